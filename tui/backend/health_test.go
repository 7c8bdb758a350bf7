package backend

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// The API's states are told apart: up, the key refused, and the provider
// out of reach with the cause in words — a wrong key and a closed port
// both read "down" before.
func TestHealthOfTheAPI(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			e := newEnv(t, provider)
			b := New(Config{Client: e.client})
			if h := b.Health(); h.API != APIUnknown || !h.CheckedAt.IsZero() {
				t.Errorf("before any check: %+v", h)
			}
			h := b.CheckAPI(context.Background())
			if h.API != APIUp || h.APILatency <= 0 || h.APIErr != "" || h.CheckedAt.IsZero() {
				t.Errorf("provider up: %+v; want up with a measured latency", h)
			}
			wrongKey := map[string]string{vaultspay.Provider: "vp_test_notthekey0123456789", vydapay.Provider: "sk_test_notthekey0123456789"}[provider]
			h = New(Config{Client: e.newClient(t, provider, wrongKey)}).CheckAPI(context.Background())
			if h.API != APIKeyRefused || h.APICause != "401" || !strings.HasPrefix(h.APIErr, "the API key was refused: ") {
				t.Errorf("wrong key: %+v; want key refused with the provider's words", h)
			}
			e.ts.Close()
			h = b.CheckAPI(context.Background())
			host := strings.TrimPrefix(e.ts.URL, "http://")
			if h.API != APIUnreachable || h.APICause != "connection refused" || h.APIErr != "can't reach "+host+": connection refused" {
				t.Errorf("provider gone: %+v; want unreachable, connection refused", h)
			}
		})
	}
}

func TestHealthOfTheRelay(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	if h := New(Config{Client: e.client}).Health(); h.Relay != live.StateOffline || h.RelayErr != "no relay configured" {
		t.Errorf("no relay: %v %q", h.Relay, h.RelayErr)
	}
	relay := newFakeRelay()
	b := New(Config{Client: e.client, Relay: relay})
	if h := b.Health(); h.Relay != live.StateLive || h.RelayErr != "" {
		t.Errorf("live relay: %v %q", h.Relay, h.RelayErr)
	}
	relay.set(live.StateOffline, errors.New("relay: 401 unauthorized\x1b]52;c;ZXZpbA==\a"))
	h := b.Health()
	if h.Relay != live.StateOffline || !strings.HasPrefix(h.RelayErr, "relay: 401 unauthorized") || strings.ContainsRune(h.RelayErr, 0x1b) {
		t.Errorf("offline relay: %v %q; want its error, terminal-safe", h.Relay, h.RelayErr)
	}
}

// Run checks the API on its own.
func TestRunChecksTheAPI(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	b := New(Config{Client: e.client, PingEvery: time.Hour})
	pinged := make(chan struct{}, 1)
	b.onPing = func() {
		select {
		case pinged <- struct{}{}:
		default:
		}
	}
	run(t, b)
	select {
	case <-pinged:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not check the API")
	}
	if h := b.Health(); h.API != APIUp || h.CheckedAt.IsZero() {
		t.Errorf("after Run's first check: %+v", h)
	}
}
