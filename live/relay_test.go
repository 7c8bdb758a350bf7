package live_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

func TestIntakeConcurrentPostsStoredExactlyOnce(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)
	const workers, perWorker = 16, 150

	// Each worker posts its own events and, every tenth one, redelivers an
	// event of its neighbour (a provider retrying), which must stay single.
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*2)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				ids := []string{fmt.Sprintf("evt_c%02d_%03d", w, i)}
				if i%10 == 9 {
					ids = append(ids, fmt.Sprintf("evt_c%02d_%03d", (w+1)%workers, i-5))
				}
				for _, id := range ids {
					body := vydapayBody(id)
					got, err := f.do(http.MethodPost, vydapay.Provider, vydapayHeaders(f.vyKeys[1], body), body)
					if err != nil || got.Status != 200 || got.Seq == 0 {
						errs <- fmt.Errorf("%s: %+v %v", id, got, err)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	const total = workers * perWorker
	recs, err := f.store.After(context.Background(), 0, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != total {
		t.Fatalf("store holds %d events, want %d", len(recs), total)
	}
	seen := map[string]bool{}
	for i, r := range recs {
		if r.Seq != uint64(i+1) {
			t.Fatalf("record %d has seq %d: sequence not contiguous", i, r.Seq)
		}
		if seen[r.EventID] {
			t.Fatalf("%s stored twice", r.EventID)
		}
		seen[r.EventID] = true
	}
	streamed := receive(t, sub, total)
	for i, r := range streamed {
		if r.Seq != uint64(i+1) {
			t.Fatalf("streamed record %d has seq %d", i, r.Seq)
		}
	}
	m := scrape(t, f.url, f.token)
	if got := m.value("carddesk_relay_events_accepted_total", "provider", "vydapay"); got != total {
		t.Errorf("accepted counter %v, want %d", got, total)
	}
	if got := m.value("carddesk_relay_events_duplicate_total", "provider", "vydapay"); got != workers*perWorker/10 {
		t.Errorf("duplicate counter %v, want %d", got, workers*perWorker/10)
	}
}

func TestHealthz(t *testing.T) {
	f := newRelayFixture(t)
	get := func() (int, live.Health) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, f.url+"/healthz", nil)
		req.Header.Set("Authorization", "Bearer "+f.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var h live.Health
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, h
	}

	status, h := get()
	if status != 200 || h.Status != "ok" || !h.Store.Writable || h.LastEventAt != nil || h.Subscribers != 0 || h.Store.LastSeq != 0 {
		t.Errorf("empty relay: %d %+v", status, h)
	}

	sub := f.subscribe(t, 0)
	before := time.Now().Add(-time.Second)
	if r := f.postVydapay(t, vydapayBody("evt_h1")); r.Status != 200 {
		t.Fatal(r)
	}
	receive(t, sub, 1)
	f.clock.advance(time.Second) // the store is checked at most once a second
	status, h = get()
	switch {
	case status != 200 || h.Status != "ok":
		t.Errorf("status %d %q", status, h.Status)
	case h.Subscribers != 1:
		t.Errorf("subscribers %d, want 1", h.Subscribers)
	case h.Store.LastSeq != 1 || h.Store.Count != 1:
		t.Errorf("store %+v", h.Store)
	case h.LastEventAt == nil || h.LastEventAt.Before(before):
		t.Errorf("last_event_at %v, want after %v", h.LastEventAt, before)
	}

	f.gate.failHealth.Store(true)
	f.clock.advance(time.Second)
	status, h = get()
	if status != http.StatusServiceUnavailable || h.Status != "degraded" || h.Store.Writable || h.Error == "" {
		t.Errorf("store not writable: %d %+v", status, h)
	}
}

func TestMetricsCountAcceptedRejectedAndDuplicates(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)
	base := scrape(t, f.url, f.token)
	for _, name := range []string{
		"carddesk_relay_store_commit_seconds", "carddesk_relay_stream_lag_seconds",
		"carddesk_relay_subscribers", "carddesk_relay_subscribers_behind_total",
		"carddesk_relay_last_event_timestamp_seconds", "go_goroutines",
	} {
		if _, ok := base[name]; !ok {
			t.Errorf("metric %s missing", name)
		}
	}
	if got := base.value("carddesk_relay_subscribers"); got != 1 {
		t.Errorf("subscribers gauge %v, want 1", got)
	}

	body := vydapayBody("evt_m1")
	for range 2 {
		if r := f.postVydapay(t, body); r.Status != 200 {
			t.Fatal(r)
		}
	}
	f.post(t, http.MethodPost, "vydapay", vydapayHeaders("whsec_wrong", body), body)
	f.post(t, http.MethodPost, "vydapay", http.Header{}, body)
	f.post(t, http.MethodPost, "nosuch", http.Header{}, body)
	f.post(t, http.MethodPost, "vydapay", http.Header{"Content-Type": {"text/xml"}}, body)
	receive(t, sub, 1)
	// The stream lag is observed once the frame's write returns, which
	// may be just after the subscriber has read it.
	waitFor(t, "the stream lag metric", func() bool {
		return scrape(t, f.url, f.token).value("carddesk_relay_stream_lag_seconds_count") >= 1
	})

	m := scrape(t, f.url, f.token)
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"carddesk_relay_events_accepted_total", []string{"provider", "vydapay"}, 1},
		{"carddesk_relay_events_duplicate_total", []string{"provider", "vydapay"}, 1},
		{"carddesk_relay_events_rejected_total", []string{"provider", "vydapay", "reason", "signature_mismatch"}, 1},
		{"carddesk_relay_events_rejected_total", []string{"provider", "vydapay", "reason", "signature_missing"}, 1},
		{"carddesk_relay_events_rejected_total", []string{"provider", "unknown", "reason", "unknown_provider"}, 1},
		{"carddesk_relay_events_rejected_total", []string{"provider", "vydapay", "reason", "unsupported_media_type"}, 1},
		{"carddesk_relay_store_commit_seconds_count", nil, 2},
	}
	for _, c := range checks {
		if got := m.value(c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if got := m.value("carddesk_relay_last_event_timestamp_seconds"); got < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("last event timestamp %v", got)
	}
}

func TestShutdownDrainsInFlightPost(t *testing.T) {
	f := newRelayFixture(t)
	entered, release := f.gate.hold()

	// A delivery reaches the store and is held there.
	body := vydapayBody("evt_inflight")
	type outcome struct {
		r   reply
		err error
	}
	answer := make(chan outcome, 1)
	go func() {
		r, err := f.do(http.MethodPost, vydapay.Provider, vydapayHeaders(f.vyKeys[1], body), body)
		answer <- outcome{r, err}
	}()
	<-entered

	shutdown := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), awaitTimeout)
		defer cancel()
		shutdown <- f.relay.Shutdown(ctx)
	}()
	// New deliveries are refused (the provider will retry them) once the
	// shutdown has begun; nothing signals that moment, so poll for it.
	waitFor(t, "new deliveries refused", func() bool {
		r := f.postVydapay(t, vydapayBody("evt_late"))
		return r.Status == http.StatusServiceUnavailable && r.Error == "relay shutting down"
	})
	release()

	if got := <-answer; got.err != nil || got.r.Status != 200 || got.r.Seq != 1 {
		t.Fatalf("in-flight delivery: %+v %v, want 200 seq 1", got.r, got.err)
	}
	if err := <-shutdown; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	f.gate.mu.Lock()
	closedWhile := f.gate.closedWhile
	f.gate.mu.Unlock()
	if closedWhile {
		t.Error("the store was closed while a delivery was still appending")
	}

	// The acknowledged event is durable: reopen the database.
	store, err := sqlitestore.Open(context.Background(), f.path, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	recs, err := store.After(context.Background(), 0, 10)
	if err != nil || len(recs) != 1 || recs[0].EventID != "evt_inflight" || recs[0].Provider != vydapay.Provider {
		t.Fatalf("reopened store holds %v (%v), want the in-flight event only", eventIDs(recs), err)
	}
}

func TestShutdownTellsSubscribers(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), awaitTimeout)
	defer cancel()
	if err := f.relay.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	timeout := time.NewTimer(awaitTimeout)
	defer timeout.Stop()
	for sub.State() == live.StateLive {
		select {
		case <-sub.States():
		case <-timeout.C:
			t.Fatal("subscriber still live after shutdown")
		}
	}
	if err := f.relay.Shutdown(ctx); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("second shutdown: %v", err)
	}
}

func TestNewRelayRefusesIncompleteConfig(t *testing.T) {
	hub := live.NewHub()
	store := live.NewNopStore(hub.Publish)
	vy, err := vydapay.NewVerifier("whsec_x")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  live.RelayConfig
		want string
	}{
		{"no store", live.RelayConfig{Hub: hub, Token: "t", Schemes: schemes("vydapay", vy)}, "no store"},
		{"no hub", live.RelayConfig{Store: store, Token: "t", Schemes: schemes("vydapay", vy)}, "no hub"},
		{"no scheme", live.RelayConfig{Store: store, Hub: hub, Token: "t"}, "no webhook scheme"},
		{"no token", live.RelayConfig{Store: store, Hub: hub, Schemes: schemes("vydapay", vy)}, "no stream token"},
		{"scheme under the wrong name", live.RelayConfig{Store: store, Hub: hub, Token: "t", Schemes: schemes("vaultspay", vy)}, "does not verify"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := live.NewRelay(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}
