package live_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// checkStoreChange: sub went from the old relay's store to next's, says
// so, and tags what it delivers with the store it came from.
func checkStoreChange(t *testing.T, sub *live.Subscription, old, next *relayFixture) {
	t.Helper()
	from, to := old.store.Epoch(), next.store.Epoch()
	if from == "" || to == "" || from == to {
		t.Fatalf("epochs %q and %q: want two, distinct", from, to)
	}
	c, ok := sub.StoreChanged()
	if !ok || c.From != from || c.To != to || c.LastSeq != 3 || !strings.Contains(c.Message, "not the one this subscriber followed") {
		t.Errorf("StoreChanged() = %+v, %v; want from %s at seq 3 to %s", c, ok, from, to)
	}
	// The new store's events come before its live frame.
	timeout := time.NewTimer(awaitTimeout)
	defer timeout.Stop()
	for sub.State() != live.StateLive {
		select {
		case <-sub.States():
		case <-timeout.C:
			t.Fatalf("not live on the new store: %v, %v", sub.State(), sub.Err())
		}
	}
	if sub.Epoch() != to || sub.Err() != nil {
		t.Errorf("after the change: epoch %q, state %v, err %v", sub.Epoch(), sub.State(), sub.Err())
	}
}
