package loadtest

import (
	"context"
	"sync"
	"time"

	"github.com/carddesk/carddesk/live"
)

// subscriber consumes one stream subscription and notes what arrived.
type subscriber struct {
	sub      *live.Subscription
	maker    *eventMaker
	sent     *timeline
	progress chan<- struct{} // poked (without blocking) after each batch
	live     chan struct{}   // closed once the subscription first goes live

	mu         sync.Mutex
	got        bitset
	delivered  int64
	repeated   int64
	outOfOrder int64
	behind     int64
	lastSeq    uint64
	samples    []time.Duration
}

// run reads the subscription until its channel closes (its ctx is done).
func (s *subscriber) run() {
	events, states := s.sub.Events(), s.sub.States()
	wentLive := false
	for {
		select {
		case batch, ok := <-events:
			if !ok {
				return
			}
			s.note(batch, time.Now())
			select {
			case s.progress <- struct{}{}:
			default:
			}
		case st, ok := <-states:
			if !ok {
				states = nil // closed as the subscription ends
				continue
			}
			// Behind implies it was live, should the live state have
			// been overwritten in the channel before this read.
			if (st == live.StateLive || st == live.StateBehind) && !wentLive {
				wentLive = true
				close(s.live)
			}
			if st == live.StateBehind {
				s.mu.Lock()
				s.behind++
				s.mu.Unlock()
			}
		}
	}
}

func (s *subscriber) note(batch []live.Record, at time.Time) {
	now := at.UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range batch {
		r := &batch[i]
		if r.Seq <= s.lastSeq {
			s.outOfOrder++
		}
		s.lastSeq = max(s.lastSeq, r.Seq)
		n, ours := s.maker.number(r.EventID)
		if !ours {
			continue // another sender's event on a shared relay
		}
		if !s.got.add(n) {
			s.repeated++
			continue
		}
		s.delivered++
		if sent := s.sent.get(n); sent != 0 {
			s.samples = append(s.samples, time.Duration(now-sent))
		}
	}
}

// missing keeps the numbers in want that this subscriber has not received.
func (s *subscriber) missing(want []int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := want[:0:0]
	for _, n := range want {
		if !s.got.has(n) {
			out = append(out, n)
		}
	}
	return out
}

// awaitLive waits for the subscription to go live, ctx, or the deadline.
func (s *subscriber) awaitLive(ctx context.Context, wait time.Duration) bool {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-s.live:
		return true
	case <-ctx.Done():
	case <-t.C:
	}
	return false
}
