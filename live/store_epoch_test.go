package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// TestSubscriberFollowsANewStore: the relay restarts on another database
// (its file was lost and a new one created, or another restored) at the
// same address. A subscriber that had followed the old store to seq 3 is
// told so and resumes from the start of the new one: it gets every event
// of the new store, in order, and says what happened; it is neither stuck
// ("after 3 is beyond the relay's last seq 2") nor silently skipping the
// new store's first three events.
func TestSubscriberFollowsANewStore(t *testing.T) {
	for _, stored := range []int{2, 5} {
		t.Run(fmt.Sprintf("new store holds %d", stored), func(t *testing.T) {
			var current atomic.Pointer[http.Handler]
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				(*current.Load()).ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			serve := func(f *relayFixture) {
				h := f.relay.Handler()
				current.Store(&h)
			}

			old := newRelayFixtureOn(t, filepath.Join(t.TempDir(), "relay.db"), nil)
			serve(old)
			for i := range 3 {
				if r := old.postVydapay(t, vydapayBody(fmt.Sprintf("evt_old_%d", i))); r.Status != http.StatusOK {
					t.Fatal(r)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			sub := live.Subscribe(ctx, live.SubscribeConfig{
				URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/stream", Token: old.token,
				MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
			})
			if got := receive(t, sub, 3); got[2].Seq != 3 || got[2].Epoch != old.store.Epoch() {
				t.Fatalf("from the old store: %v, epoch %q", eventIDs(got), got[2].Epoch)
			}

			next := newRelayFixtureOn(t, filepath.Join(t.TempDir(), "relay.db"), nil)
			for i := range stored {
				if r := next.postVydapay(t, vydapayBody(fmt.Sprintf("evt_new_%d", i))); r.Status != http.StatusOK {
					t.Fatal(r)
				}
			}
			serve(next)
			shutdown, done := context.WithTimeout(context.Background(), awaitTimeout)
			defer done()
			if err := old.relay.Shutdown(shutdown); err != nil { // the subscriber reconnects
				t.Fatal(err)
			}
			got := receive(t, sub, stored)
			for i, r := range got {
				if r.Seq != uint64(i+1) || r.EventID != fmt.Sprintf("evt_new_%d", i) || r.Epoch != next.store.Epoch() {
					t.Fatalf("from the new store: %v (seqs %v), want all %d from seq 1", eventIDs(got), seqsOf(got), stored)
				}
			}
			checkStoreChange(t, sub, old, next)
		})
	}
}

func seqsOf(recs []live.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Seq
	}
	return out
}
