package live_test

import (
	"math/rand/v2"
	"testing"

	"github.com/carddesk/carddesk/live"
)

// Subscribers that connect while events are being appended get the stored
// ones replayed and then the live ones, with no gap and no duplicate at the
// seam, whenever they connect.
func TestStreamReplayThenLiveSeam(t *testing.T) {
	const stored, appended = 5000, 5000
	f := newStreamFixture(t, streamOptions{})
	ctx := t.Context()
	if err := f.appendEvents(ctx, 1, stored, 500, 200, nil); err != nil {
		t.Fatal(err)
	}

	// Subscribers join at different points of the appends that follow:
	// before they start, and after 1, 1000 and 3000 more. Each consumes
	// from the moment it joins.
	var waits []func()
	join := func() {
		waits = append(waits, streamConsumers(t, []*live.Subscription{f.subscribe(ctx, 0)}, 0, stored+appended))
	}
	join()
	joinAt := []int{stored + 1, stored + 1000, stored + 3000}
	err := f.appendEvents(ctx, stored+1, stored+appended, 10, 200, func(last int) {
		if len(joinAt) > 0 && last >= joinAt[0] {
			joinAt = joinAt[1:]
			join()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(waits) != 4 {
		t.Fatalf("%d subscribers joined, want 4", len(waits))
	}
	for _, wait := range waits {
		wait()
	}
}

// A subscriber resuming from a seq gets exactly what follows it.
func TestStreamResumeFromAfter(t *testing.T) {
	f := newStreamFixture(t, streamOptions{})
	ctx := t.Context()
	if err := f.appendEvents(ctx, 1, 3000, 250, 100, nil); err != nil {
		t.Fatal(err)
	}
	for _, after := range []uint64{0, 1, 999, 1000, 2999, 3000} {
		sub := f.subscribe(ctx, after)
		got := streamCollect(t, sub, after, 3000, nil)
		if len(got) != int(3000-after) {
			t.Errorf("after %d: got %d events", after, len(got))
		}
	}
	// And live from there on.
	sub := f.subscribe(ctx, 3000)
	go func() { _ = f.appendEvents(ctx, 3001, 3010, 3, 100, nil) }()
	streamCollect(t, sub, 3000, 3010, nil)
}

// The subscription survives the relay cutting its connection at random
// points, replay and live alike, across 10,000 events: it reconnects,
// resumes after its last seq, and delivers each event exactly once.
func TestSubscribeResumesAcrossDisconnects(t *testing.T) {
	const total = 10_000
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	f := newStreamFixture(t, streamOptions{})
	ctx := t.Context()
	// Half stored before the subscriber comes, half while it streams.
	if err := f.appendEvents(ctx, 1, total/2, 500, 100, nil); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	batch := 1 + rng.IntN(20)
	go func() {
		errc <- f.appendEvents(ctx, total/2+1, total, batch, 100, nil)
	}()

	cutAt := make(map[uint64]bool)
	for len(cutAt) < 60 {
		cutAt[1+rng.Uint64N(total-1)] = true
	}
	cuts := 0
	sub := f.subscribe(ctx, 0)
	streamCollect(t, sub, 0, total, func(seq uint64) {
		if cutAt[seq] {
			cuts += f.conns.cut()
		}
	})
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	// Every cut but perhaps the last was followed by a reconnect that
	// resumed where the subscription stood: all 10,000 arrived once each.
	t.Logf("%d connections cut, %d accepted", cuts, f.conns.count())
	if cuts < 5 {
		t.Errorf("only %d connections were cut", cuts)
	}
}
