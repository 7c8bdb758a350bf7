package tui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/live"
)

// countingFeed stands between the relay subscription and the backend, as
// the dashboard's relay feed, and counts every sequence number it passes
// on. It adds no buffer: each batch is handed on before the next is taken,
// so the backend still sets the subscription's pace.
type countingFeed struct {
	sub      *live.Subscription
	out      chan []live.Record
	progress chan struct{} // poked, without blocking, after each batch

	mu         sync.Mutex
	seen       []uint8 // times each seq was passed on, up to 255; sized up front
	distinct   int
	repeated   int
	outOfRange int
	outOfOrder int
	last       uint64
	batches    int
}

// newCountingFeed counts seqs 1 to maxSeq one by one (higher ones count as
// out of range) and passes batches on until ctx is done.
func newCountingFeed(ctx context.Context, sub *live.Subscription, maxSeq int) *countingFeed {
	f := &countingFeed{sub: sub, out: make(chan []live.Record), progress: make(chan struct{}, 1), seen: make([]uint8, maxSeq+1)}
	go f.run(ctx)
	return f
}

func (f *countingFeed) Events() <-chan []live.Record { return f.out }
func (f *countingFeed) State() live.State            { return f.sub.State() }
func (f *countingFeed) Err() error                   { return f.sub.Err() }

func (f *countingFeed) run(ctx context.Context) {
	defer close(f.out)
	in := f.sub.Events()
	for {
		select {
		case <-ctx.Done():
			return
		case batch, ok := <-in:
			if !ok {
				return
			}
			f.note(batch)
			select {
			case f.progress <- struct{}{}:
			default:
			}
			select {
			case f.out <- batch:
			case <-ctx.Done():
				return
			}
		}
	}
}

func (f *countingFeed) note(batch []live.Record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches++
	for _, r := range batch {
		if r.Seq <= f.last {
			f.outOfOrder++
		}
		f.last = max(f.last, r.Seq)
		if r.Seq == 0 || r.Seq >= uint64(len(f.seen)) {
			f.outOfRange++
			continue
		}
		switch f.seen[r.Seq] {
		case 0:
			f.distinct++
		case 255:
			continue
		default:
			f.repeated++
		}
		f.seen[r.Seq]++
	}
}

// feedCounts is what the feed passed on.
type feedCounts struct {
	distinct, repeated, outOfRange, outOfOrder, batches int
	missing                                             []uint64 // of the seqs waited for, the first few not seen
}

// await waits until the feed has passed on every seq in want, or until
// wait has passed or ctx is done, and says what it passed on. It wakes on
// the feed's progress, never on a timer tick.
func (f *countingFeed) await(ctx context.Context, want []uint64, wait time.Duration) feedCounts {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	next := 0 // want[:next] have been seen; a seen seq stays seen
	for {
		f.mu.Lock()
		for next < len(want) && want[next] < uint64(len(f.seen)) && f.seen[want[next]] > 0 {
			next++
		}
		f.mu.Unlock()
		if next == len(want) {
			return f.counts(want)
		}
		select {
		case <-f.progress:
		case <-deadline.C:
			return f.counts(want)
		case <-ctx.Done():
			return f.counts(want)
		}
	}
}

// counts is what the feed passed on, and the first few seqs of want it
// did not.
func (f *countingFeed) counts(want []uint64) feedCounts {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := feedCounts{distinct: f.distinct, repeated: f.repeated, outOfRange: f.outOfRange, outOfOrder: f.outOfOrder, batches: f.batches}
	for _, seq := range want {
		if seq >= uint64(len(f.seen)) || f.seen[seq] == 0 {
			c.missing = append(c.missing, seq)
			if len(c.missing) == 5 {
				break
			}
		}
	}
	return c
}

// stateCounts counts the subscription's state changes after it first went
// live (the channel keeps only the newest change, so quick ones may merge).
type stateCounts struct {
	behind, dropped atomic.Int64 // behind: caught up from the store; dropped: connecting or offline again
}

// watchStates counts sub's state changes until its States channel closes.
func watchStates(sub *live.Subscription) *stateCounts {
	c := &stateCounts{}
	go func() {
		for st := range sub.States() {
			switch st {
			case live.StateBehind:
				c.behind.Add(1)
			case live.StateConnecting, live.StateOffline:
				c.dropped.Add(1)
			}
		}
	}()
	return c
}
