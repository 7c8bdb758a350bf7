package vaultspay_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// The mode is what VaultsPay's ping says (livemode), never the key's look:
// VaultsPay documents no key prefix. Before a ping has answered it is
// unknown. A vp_test_-looking key whose ping says livemode was shown TEST.
func TestModeIsWhatThePingSays(t *testing.T) {
	tests := []struct {
		name string
		cfg  sandbox.Config
		key  func(sandbox.Config) string
		want api.Mode
	}{
		{"vp_test_ key, test mode", sandbox.Config{}, func(c sandbox.Config) string { return c.VaultsPayKey }, api.ModeTest},
		{"vp_test_ key, live mode", sandbox.Config{VaultsPayLive: true}, func(c sandbox.Config) string { return c.VaultsPayKey }, api.ModeLive},
		{"read-only vp_test_ key, live mode", sandbox.Config{VaultsPayLive: true}, func(c sandbox.Config) string { return c.VaultsPayReadOnlyKey }, api.ModeLive},
		{"vp_live_ key", sandbox.Config{VaultsPayKey: "vp_live_0123456789abcdef"}, func(c sandbox.Config) string { return c.VaultsPayKey }, api.ModeLive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newSandbox(t, tt.cfg)
			c := e.client(t, tt.key(e.cfg), nil)
			if got := c.Mode(); got != api.ModeUnknown {
				t.Fatalf("before any ping: %q, want unknown", got)
			}
			if _, err := c.Ping(context.Background()); err != nil {
				t.Fatalf("Ping: %v", err)
			}
			if got := c.Mode(); got != tt.want {
				t.Errorf("after the ping: %q, want %q", got, tt.want)
			}
		})
	}
}

// A ping that answers without livemode leaves the mode unknown: absent is
// not false.
func TestModeUnknownWhenThePingSaysNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"object":"ping","ok":true,"time":"2026-04-24T14:52:03Z"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := vaultspay.New(vaultspay.Config{BaseURL: srv.URL + "/v1", Key: "vp_test_abc"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := c.Mode(); got != api.ModeUnknown {
		t.Errorf("mode %q after a ping without livemode, want unknown", got)
	}
}
