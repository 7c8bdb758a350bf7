package live_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// TestRelayStopsAcknowledgingOnDamage: pages of the database go bad while
// the relay runs. The replay that reads them fails, and from then on the
// relay acknowledges nothing (503: the provider keeps the event), /healthz
// says what happened and what to do (503), and /metrics counts the failed
// read.
func TestRelayStopsAcknowledgingOnDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "relay.db")
	first := newRelayFixtureOn(t, path, nil)
	for i := range 300 {
		if r := first.postVydapay(t, vydapayBody(fmt.Sprintf("evt_d%d", i))); r.Status != http.StatusOK {
			t.Fatal(r)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), awaitTimeout)
	defer cancel()
	if err := first.relay.Shutdown(ctx); err != nil { // the WAL goes into the file
		t.Fatal(err)
	}

	f := newRelayFixtureOn(t, path, nil)
	corruptPages(t, path)
	subCtx, stop := context.WithCancel(context.Background())
	defer stop()
	sub := live.Subscribe(subCtx, live.SubscribeConfig{
		URL: "ws" + strings.TrimPrefix(f.url, "http") + "/v1/stream", Token: f.token,
		MinBackoff: time.Second, MaxBackoff: time.Second,
	})
	timeout := time.NewTimer(awaitTimeout)
	defer timeout.Stop()
	for sub.Err() == nil || !strings.Contains(sub.Err().Error(), "store unavailable") {
		select {
		case <-sub.States():
		case <-sub.Events(): // the pages before the damage
		case <-timeout.C:
			t.Fatalf("the replay did not fail: state %v, err %v", sub.State(), sub.Err())
		}
	}

	if r := f.postVydapay(t, vydapayBody("evt_after")); r.Status != http.StatusServiceUnavailable {
		t.Errorf("a webhook after the damage: %d %q, want 503", r.Status, r.Error)
	}
	f.clock.advance(time.Second)
	status, body := getWith(t, f.url+"/healthz", f.token)
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "is damaged") || !strings.Contains(body, "restore it from a backup") ||
		!strings.Contains(body, `"read_errors":1`) {
		t.Errorf("/healthz after the damage: %d %s", status, body)
	}
	m := scrape(t, f.url, f.token)
	if got := m.value("carddesk_relay_store_read_errors_total"); got != 1 {
		t.Errorf("read errors metric %v, want 1", got)
	}
	if got := m.value("carddesk_relay_store_ok"); got != 0 {
		t.Errorf("store ok metric %v, want 0", got)
	}
}
