package bench

import (
	"context"
	"sync/atomic"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// countingFeed passes a relay subscription's batches on to the backend,
// counting the events.
type countingFeed struct {
	src backend.RelayFeed
	ch  chan []live.Record
}

// newCountingFeed forwards src's batches until ctx is done or src ends.
func newCountingFeed(ctx context.Context, src backend.RelayFeed, n *atomic.Int64) *countingFeed {
	f := &countingFeed{src: src, ch: make(chan []live.Record)}
	go func() {
		defer close(f.ch)
		for {
			select {
			case <-ctx.Done():
				return
			case recs, ok := <-src.Events():
				if !ok {
					return
				}
				n.Add(int64(len(recs)))
				select {
				case f.ch <- recs:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return f
}

func (f *countingFeed) Events() <-chan []live.Record { return f.ch }
func (f *countingFeed) State() live.State            { return f.src.State() }
func (f *countingFeed) Err() error                   { return f.src.Err() }
