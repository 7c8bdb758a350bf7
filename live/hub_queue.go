package live

import "sync"

// hubSub is one subscriber's live queue: the batches published since it
// last took them, bounded by a number of records.
type hubSub struct {
	// ready holds a token when there is something to take (batches or an
	// overflow); capacity 1, so Publish never blocks on it.
	ready chan struct{}

	mu       sync.Mutex
	limit    int
	queued   int // records in batches
	batches  [][]Record
	overflow bool // the queue was full: batches were dropped
}

func newHubSub(limit int) *hubSub {
	return &hubSub{ready: make(chan struct{}, 1), limit: limit}
}

// push queues a batch, or marks the subscriber overflowed when the batch
// does not fit. An empty queue always takes the batch, so that a batch
// larger than the bound does not leave the subscriber behind for ever.
func (s *hubSub) push(recs []Record) {
	s.mu.Lock()
	switch {
	case s.overflow:
		s.mu.Unlock()
		return
	case s.queued > 0 && s.queued+len(recs) > s.limit:
		s.overflow = true
		clear(s.batches)
		s.batches = s.batches[:0]
		s.queued = 0
	default:
		s.batches = append(s.batches, recs)
		s.queued += len(recs)
	}
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// take returns the queued batches, or overflow=true when the subscriber
// fell behind (then batches is empty and the subscriber stays overflowed,
// fed nothing, until reset). spare is an emptied slice from the previous
// take, reused as the next queue so that steady state does not allocate.
func (s *hubSub) take(spare [][]Record) (batches [][]Record, overflow bool) {
	clear(spare)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.overflow {
		return spare[:0], true
	}
	batches = s.batches
	s.batches = spare[:0]
	s.queued = 0
	return batches, false
}

// reset clears an overflow: the subscriber is fed again from the next
// Publish on. The caller then catches up from the store, which holds
// everything published before.
func (s *hubSub) reset() {
	s.mu.Lock()
	s.overflow = false
	clear(s.batches)
	s.batches = s.batches[:0]
	s.queued = 0
	s.mu.Unlock()
}

// overflowed reports whether the subscriber fell behind since its last reset.
func (s *hubSub) overflowed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.overflow
}
