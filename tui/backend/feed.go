package backend

import (
	"context"
	"sync"

	"github.com/carddesk/carddesk/api"
)

// Update is one relay event as a session receives it. The event's objects
// are shared by every session and the cache: read them, never change them.
// Event.Raw (the provider's payload) is not carried.
type Update struct {
	Seq   uint64
	Event api.Event
	// Why is the reason inferred for a decline that came without one,
	// from the card as carddesk knew it when the event arrived; nil
	// otherwise. Shared like the event's objects.
	Why *api.Decline
}

// Feed is one session's view of the relay's events. Updates wait in the
// feed until the session asks for them, so the backend never waits on a
// slow session; a session that falls FeedLimit updates behind loses the
// oldest and is told how many (Skipped).
type Feed struct {
	set    *feedSet
	limit  int
	signal chan struct{} // holds one wake-up when updates are pending

	mu      sync.Mutex
	q       []Update // pending updates are q[head:]
	head    int
	dropped uint64 // dropped since the last Wait returned
	skipped uint64 // dropped before the batch the last Wait returned
	closed  bool
}

// Subscribe opens a feed of every update applied from now on. Close it when
// the session ends.
func (b *Backend) Subscribe() *Feed {
	f := &Feed{set: &b.feeds, limit: FeedLimit, signal: make(chan struct{}, 1)}
	b.feeds.add(f)
	return f
}

// Wait blocks until at least one update is pending, then returns all that
// are, in sequence order. It fails with ctx's error when ctx ends first, and
// with ErrFeedClosed once the feed is closed (or, after the last pending
// updates, once the backend has stopped).
func (f *Feed) Wait(ctx context.Context) ([]Update, error) {
	for {
		f.mu.Lock()
		if f.head < len(f.q) {
			out := f.q[f.head:]
			f.q, f.head = nil, 0
			f.skipped, f.dropped = f.dropped, 0
			f.mu.Unlock()
			return out, nil
		}
		closed := f.closed
		f.mu.Unlock()
		if closed {
			return nil, ErrFeedClosed
		}
		select {
		case <-f.signal:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Skipped is how many updates were dropped, because the session fell more
// than FeedLimit behind, just before the batch the last Wait returned.
func (f *Feed) Skipped() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.skipped
}

// Close stops the feed and drops what is pending. It is safe to call more
// than once.
func (f *Feed) Close() {
	f.set.remove(f)
	f.mu.Lock()
	f.closed = true
	f.q, f.head = nil, 0
	f.mu.Unlock()
	f.wake()
}

// push queues updates, dropping the oldest beyond the limit. It never
// blocks on the session.
func (f *Feed) push(ups []Update) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.q = append(f.q, ups...)
	if over := len(f.q) - f.head - f.limit; over > 0 {
		clear(f.q[f.head : f.head+over]) // let the dropped events go
		f.head += over
		f.dropped += uint64(over)
	}
	if f.head > f.limit/2 {
		n := copy(f.q, f.q[f.head:])
		clear(f.q[n:])
		f.q, f.head = f.q[:n], 0
	}
	f.mu.Unlock()
	f.wake()
}

// stop marks the feed closed but leaves pending updates to be taken.
func (f *Feed) stop() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.wake()
}

func (f *Feed) wake() {
	select {
	case f.signal <- struct{}{}:
	default:
	}
}

// feedSet is every open feed of a backend.
type feedSet struct {
	mu      sync.Mutex
	feeds   map[*Feed]struct{}
	stopped bool
}

func (s *feedSet) add(f *Feed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		f.closed = true
		return
	}
	s.feeds[f] = struct{}{}
}

func (s *feedSet) remove(f *Feed) {
	s.mu.Lock()
	delete(s.feeds, f)
	s.mu.Unlock()
}

// publish hands a batch to every feed, in the order Run applied it.
func (s *feedSet) publish(ups []Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.feeds {
		f.push(ups)
	}
}

// stop closes every feed for good, once Run has returned.
func (s *feedSet) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	for f := range s.feeds {
		f.stop()
	}
	clear(s.feeds)
}

// Feeds is how many sessions are subscribed.
func (b *Backend) Feeds() int {
	b.feeds.mu.Lock()
	defer b.feeds.mu.Unlock()
	return len(b.feeds.feeds)
}
