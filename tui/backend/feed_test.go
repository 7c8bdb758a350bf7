package backend

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
)

// Every feed gets every update in order; a session that never reads holds
// up neither the others nor Run.
func TestFanOut(t *testing.T) {
	le := newLiveEnv(t, vaultspay.Provider)
	a, c, stalled := le.b.Subscribe(), le.b.Subscribe(), le.b.Subscribe()
	t.Cleanup(a.Close)
	t.Cleanup(c.Close)
	if n := le.b.Feeds(); n != 4 {
		t.Errorf("Feeds() = %d, want 4", n)
	}

	const batches, per = 50, 40
	tx := api.Transaction{ID: "tx_1", CardID: "card_1", Status: api.TxDeclined}
	var seq uint64
	for range batches {
		recs := make([]live.Record, per)
		for i := range recs {
			seq++
			recs[i] = rec(t, seq, api.Event{ID: "evt", Type: api.EventTxDeclined, Transaction: &tx, Raw: []byte(`{"provider":"payload"}`)})
		}
		// send returns only once Run has taken the batch: Run keeps going
		// while the stalled feed reads nothing.
		le.relay.send(t, recs...)
	}
	for name, f := range map[string]*Feed{"a": a, "c": c, "first": le.feed} {
		checkInOrder(t, name, waitSeq(t, f, seq), 1, seq)
	}
	ups, err := stalled.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, "stalled", ups, 1, seq)
	if n := stalled.Skipped(); n != 0 {
		t.Errorf("stalled feed skipped %d, want 0", n)
	}
	stalled.Close()
	if n := le.b.Feeds(); n != 3 {
		t.Errorf("Feeds() after a Close = %d, want 3", n)
	}
}

func checkInOrder(t *testing.T, name string, ups []Update, from, to uint64) {
	t.Helper()
	if uint64(len(ups)) != to-from+1 {
		t.Fatalf("%s: %d updates, want %d", name, len(ups), to-from+1)
	}
	for i, u := range ups {
		if u.Seq != from+uint64(i) {
			t.Fatalf("%s: update %d has seq %d, want %d", name, i, u.Seq, from+uint64(i))
		}
		if u.Event.Type == "" {
			t.Fatalf("%s: update %d has no event", name, i)
		}
		if u.Event.Raw != nil {
			t.Fatalf("%s: update %d carries the provider's payload", name, i)
		}
	}
}

// A feed that falls more than FeedLimit behind loses the oldest updates
// and says how many; nothing is dropped while it keeps up.
func TestFeedSkipsPastItsLimit(t *testing.T) {
	b := New(Config{Client: newEnv(t, vaultspay.Provider).client})
	f := b.Subscribe()
	const extra = 2000
	var seq uint64
	for seq < FeedLimit+extra {
		batch := make([]Update, 1000)
		for i := range batch {
			seq++
			batch[i] = Update{Seq: seq, Event: api.Event{Type: api.EventTxAuthorized}}
		}
		b.feeds.publish(batch)
	}
	ups, err := f.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, "behind", ups, extra+1, seq)
	if n := f.Skipped(); n != extra {
		t.Errorf("Skipped() = %d, want %d", n, extra)
	}

	b.feeds.publish([]Update{{Seq: seq + 1, Event: api.Event{Type: api.EventTxAuthorized}}})
	ups, err = f.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, "caught up", ups, seq+1, seq+1)
	if n := f.Skipped(); n != 0 {
		t.Errorf("Skipped() after catching up = %d, want 0", n)
	}
}

func TestFeedEnds(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	relay := newFakeRelay()
	b := New(Config{Client: e.client, Relay: relay, PingEvery: time.Hour})

	closed := b.Subscribe()
	closed.Close()
	closed.Close()
	if _, err := closed.Wait(context.Background()); !errors.Is(err, ErrFeedClosed) {
		t.Errorf("Wait after Close: %v, want ErrFeedClosed", err)
	}

	waiting := b.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := waiting.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait with a cancelled context: %v", err)
	}

	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(runCtx) }()
	tx := api.Transaction{ID: "tx_1", CardID: "card_1"}
	relay.send(t, rec(t, 1, api.Event{ID: "evt_1", Type: api.EventTxAuthorized, Transaction: &tx}))
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := b.Run(context.Background()); err == nil {
		t.Error("a second Run was accepted")
	}
	ups, err := waiting.Wait(context.Background())
	if err != nil || len(ups) != 1 {
		t.Fatalf("after Run stopped: %d updates, %v; want the pending one", len(ups), err)
	}
	if _, err := waiting.Wait(context.Background()); !errors.Is(err, ErrFeedClosed) {
		t.Errorf("Wait once drained after Run stopped: %v, want ErrFeedClosed", err)
	}
	if _, err := b.Subscribe().Wait(context.Background()); !errors.Is(err, ErrFeedClosed) {
		t.Errorf("Wait on a feed opened after Run stopped: %v, want ErrFeedClosed", err)
	}
}
