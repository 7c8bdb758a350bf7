package live_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// TestSandboxToSubscriberEndToEnd runs the sandbox issuer's simulator
// delivering signed webhooks of both providers into a relay over SQLite,
// and a stream subscriber that must see every event the relay accepted,
// in sequence, once.
func TestSandboxToSubscriberEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end with the sandbox simulator")
	}
	vpSecret, vySecret := vaultspay.NewSecret(), vydapay.NewSecret()
	vp, err := vaultspay.NewVerifier(vpSecret)
	if err != nil {
		t.Fatal(err)
	}
	vy, err := vydapay.NewVerifier(vySecret)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "relay.db"), sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		t.Fatal(err)
	}
	const token = "e2e-token-0123456789"
	relay, err := live.NewRelay(live.RelayConfig{
		Store: store, Hub: hub, Token: token,
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: vp, vydapay.Provider: vy},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(relay.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), awaitTimeout)
		defer cancel()
		if err := relay.Shutdown(ctx); err != nil {
			t.Errorf("relay shutdown: %v", err)
		}
	})

	subCtx, stopSub := context.WithCancel(context.Background())
	t.Cleanup(stopSub)
	sub := live.Subscribe(subCtx, live.SubscribeConfig{URL: "ws" + srv.URL[len("http"):] + "/v1/stream", Token: token})

	sb, err := sandbox.New(sandbox.Config{
		Seed: 7, Rate: 200, DeliveryBackoff: 10 * time.Millisecond,
		VaultsPayWebhookSecret: vpSecret, VydapayWebhookSecret: vySecret,
		VaultsPayWebhookURLs: []string{srv.URL + "/webhooks/vaultspay"},
		VydapayWebhookURLs:   []string{srv.URL + "/webhooks/vydapay"},
	})
	if err != nil {
		t.Fatal(err)
	}
	sbCtx, stopSandbox := context.WithCancel(context.Background())
	var sbDone sync.WaitGroup
	sbDone.Go(func() { _ = sb.Run(sbCtx) })
	t.Cleanup(func() { stopSandbox(); sbDone.Wait() })

	// Read until a few hundred events of both providers arrived, then stop
	// the simulator and read on until everything the relay accepted is in.
	const want = 400
	var got []live.Record
	byProvider := map[string]int{}
	read := func(until func() bool) {
		t.Helper()
		timeout := time.NewTimer(2 * awaitTimeout)
		defer timeout.Stop()
		for !until() {
			select {
			case batch := <-sub.Events():
				for _, r := range batch {
					if r.Seq != uint64(len(got)+1) {
						t.Fatalf("record %d has seq %d: gap or duplicate", len(got), r.Seq)
					}
					if _, err := r.Decode(); err != nil {
						t.Fatalf("record %d: %v", r.Seq, err)
					}
					got = append(got, r)
					byProvider[r.Provider]++
				}
			case <-timeout.C:
				last, err := store.LastSeq(context.Background())
				t.Fatalf("received %d events (%v), store's last seq %d (%v), state %v, err %v",
					len(got), byProvider, last, err, sub.State(), sub.Err())
			}
		}
	}
	read(func() bool {
		return len(got) >= want && byProvider[vaultspay.Provider] > 0 && byProvider[vydapay.Provider] > 0
	})
	t.Logf("%d events streamed while the simulator ran", len(got))
	stopSandbox()
	sbDone.Wait()
	// Deliveries the simulator abandoned may still be appending: closing
	// the HTTP server waits for them (the stream's hijacked connection
	// stays up), so that the store's last seq is final.
	srv.Close()

	// Every stored event reached the subscriber. The relay acknowledged
	// each of them, except those whose delivery the stopping simulator
	// abandoned mid-append (counted as sender_gone; stored all the same,
	// and a retry would be acknowledged as a duplicate). An abandoned
	// append can still be committing after the server closed, so read the
	// store, the stream and the counters until they agree or time runs out.
	var (
		last                uint64
		m                   metricSet
		accepted, abandoned float64
	)
	deadline := time.Now().Add(2 * awaitTimeout)
	for {
		var err error
		if last, err = store.LastSeq(context.Background()); err != nil {
			t.Fatal(err)
		}
		read(func() bool { return uint64(len(got)) >= last })
		m = scrapeHandler(t, relay.OpsHandler())
		accepted, abandoned = 0, 0
		for _, p := range []string{vaultspay.Provider, vydapay.Provider} {
			accepted += m.value("carddesk_relay_events_accepted_total", "provider", p)
			abandoned += m.value("carddesk_relay_events_rejected_total", "provider", p, "reason", "sender_gone")
		}
		settled := accepted <= float64(last) && accepted+abandoned >= float64(last)
		if settled || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if uint64(len(got)) != last || accepted > float64(last) || accepted+abandoned < float64(last) {
		t.Errorf("relay accepted %v events (%v abandoned), store's last seq %d, subscriber received %d", accepted, abandoned, last, len(got))
	}
	for _, reason := range []string{"signature_mismatch", "signature_missing", "timestamp_stale", "invalid_event", "malformed_json"} {
		for _, p := range []string{vaultspay.Provider, vydapay.Provider} {
			if n := m.value("carddesk_relay_events_rejected_total", "provider", p, "reason", reason); n != 0 {
				t.Errorf("relay rejected %v sandbox deliveries of %s as %s", n, p, reason)
			}
		}
	}
	t.Logf("%d events: %v", len(got), byProvider)
}
