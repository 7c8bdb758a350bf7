package live_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHealthzProbesTheStoreAtMostOncePerSecond: /healthz costs the store
// one write check a second whatever the request rate, with or without the
// token; requests that come while a check runs share it. Counted twice:
// the checks that reached the store, and the writes the file holds.
func TestHealthzProbesTheStoreAtMostOncePerSecond(t *testing.T) {
	f := newRelayFixture(t)
	f.clock.freeze()
	var inside atomic.Int64 // /healthz requests in the relay's handler now
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inside.Add(1)
		defer inside.Add(-1)
		f.relay.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	get := func(token bool) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
		if token {
			req.Header.Set("Authorization", "Bearer "+f.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("/healthz answered %d", resp.StatusCode)
		}
	}
	burst := func(n int) {
		gate := make(chan struct{})
		f.gate.healthGate.Store(&gate)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { get(i%2 == 0) })
		}
		// Hold the check until every request is in: each one that does
		// not share it would start its own.
		waitFor(t, "the requests to arrive", func() bool { return inside.Load() == int64(n) })
		f.gate.healthGate.Store(nil)
		close(gate)
		wg.Wait()
	}
	written := func() int64 { return fileMeta(t, f.path, "health_check") }
	base := written()

	burst(40)
	for i := range 40 {
		get(i%2 == 0)
	}
	if calls, writes := f.gate.healthCalls.Load(), written()-base; calls != 1 || writes != 1 {
		t.Fatalf("80 requests within a second: %d store checks, %d writes; want 1 and 1", calls, writes)
	}
	f.clock.advance(time.Second)
	burst(40)
	if calls, writes := f.gate.healthCalls.Load(), written()-base; calls != 2 || writes != 2 {
		t.Fatalf("40 more a second later: %d store checks, %d writes in all; want 2 and 2", calls, writes)
	}
}
