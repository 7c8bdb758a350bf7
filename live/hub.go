package live

import (
	"sync"
	"sync/atomic"
)

// Hub fans each committed batch out to every stream subscriber. Publish runs
// on the store's commit path, so it never blocks: each subscriber has a
// bounded queue, and a subscriber whose queue is full is marked behind and
// fed nothing more until its stream handler has caught it up from the store.
type Hub struct {
	mu   sync.Mutex                // serialises changes to subs
	subs atomic.Pointer[[]*hubSub] // copy-on-write: Publish reads without locking
}

// NewHub returns a hub with no subscribers.
func NewHub() *Hub {
	h := &Hub{}
	h.subs.Store(&[]*hubSub{})
	return h
}

// Publish hands a committed batch (ascending Seq) to every subscriber. It
// never blocks and never allocates per record; subscribers share recs, so
// the caller must not modify it afterwards. Batches must be published in
// commit order, as a store's CommitFunc receives them.
func (h *Hub) Publish(recs []Record) {
	if len(recs) == 0 {
		return
	}
	for _, s := range *h.subs.Load() {
		s.push(recs)
	}
}

// Subscribers is the number of subscribers attached now.
func (h *Hub) Subscribers() int {
	return len(*h.subs.Load())
}

// subscribe attaches a new subscriber whose queue holds up to limit records.
func (h *Hub) subscribe(limit int) *hubSub {
	s := newHubSub(limit)
	h.mu.Lock()
	defer h.mu.Unlock()
	old := *h.subs.Load()
	next := make([]*hubSub, len(old), len(old)+1)
	copy(next, old)
	next = append(next, s)
	h.subs.Store(&next)
	return s
}

// unsubscribe detaches s; it receives nothing more.
func (h *Hub) unsubscribe(s *hubSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := *h.subs.Load()
	next := make([]*hubSub, 0, len(old))
	for _, o := range old {
		if o != s {
			next = append(next, o)
		}
	}
	h.subs.Store(&next)
}
