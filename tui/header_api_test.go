package tui

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/backend"
)

// startOn runs a dashboard over be, without waiting for anything.
func startOn(t *testing.T, be *backend.Backend) *session {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	m := New(Options{
		Backend: be,
		Actor:   backend.Actor{Agent: "alice", Session: "states", Role: backend.RoleAgent},
		Context: ctx,
	}).(*model)
	return runSession(t, m, 140, 30, cancel)
}

// The header tells apart a refused key, a rate limit (with when it
// resets), a provider out of reach (with the cause in words), a provider
// failing, and a provider up. A wrong key and a rate limit both read
// "api down" before, and so did a closed port, with no cause.
func TestHeaderSaysWhatTheAPICheckFound(t *testing.T) {
	fe := newFaultEnv(t)
	key := fe.srv.Config().VaultsPayKey
	behind := func(rules ...faults.Rule) string {
		front, err := faults.New(fe.srv.Handler(), faults.Config{Rules: rules, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(front)
		t.Cleanup(ts.Close)
		t.Cleanup(front.Close)
		return ts.URL
	}
	gone := httptest.NewServer(nil)
	gone.Close()
	tests := []struct {
		name string
		base string
		key  string
		want string
	}{
		{"up", behind(), key, "api up"},
		{"key refused", behind(), "vp_test_notthekey0123456789", "api key refused"},
		{"rate limited", behind(faults.Rule{Kind: faults.RateLimit, Path: "/ping", Delay: time.Minute}), key, "api rate limited · resets "},
		{"unreachable", gone.URL, key, "api unreachable: connection refused"},
		{"provider error", behind(faults.Rule{Kind: faults.ServerError, Path: "/ping", Status: 503}), key, "api error 503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, err := vaultspay.New(vaultspay.Config{BaseURL: tt.base + "/vaultspay/v1", Key: tt.key, Tuning: faultTuning()})
			if err != nil {
				t.Fatal(err)
			}
			be := backend.New(backend.Config{Client: client})
			s := startOn(t, be)
			be.CheckAPI(context.Background())
			s.tm.Send(tickMsg(time.Now())) // the header reads the health on its tick
			want := tt.want
			if strings.HasSuffix(want, "resets ") {
				// The provider said when: a minute from its answer.
				reset := client.RateLimit().Reset
				if wait := time.Until(reset); wait < 50*time.Second || wait > 70*time.Second {
					t.Errorf("the window resets at %v, %v from now; want the minute the provider asked for", reset, wait)
				}
				want += reset.UTC().Format("15:04:05")
			}
			s.await("the header to say "+want, func(m *model) bool { return strings.Contains(headerLine(m), want) })
			if tt.name == "up" {
				return
			}
			var logged []string
			s.inspect(func(m *model) {
				for i := range m.ctx.messages.Len() {
					logged = append(logged, m.ctx.messages.newest(i).Text)
				}
			})
			if !slices.ContainsFunc(logged, func(s string) bool { return strings.HasPrefix(s, "VaultsPay check: ") }) {
				t.Errorf("the message log says %q; want the failed check, in full", logged)
			}
		})
	}
}
