package loadtest

import (
	"sync"
	"sync/atomic"
)

const chunkBits = 16

// timeline holds one Unix-nanosecond stamp per event number, growing in
// chunks so that concurrent writers and readers never copy it. Zero means
// not stamped.
type timeline struct {
	mu     sync.RWMutex
	chunks []*[1 << chunkBits]atomic.Int64
}

func (t *timeline) slot(n int64, grow bool) *atomic.Int64 {
	c, i := int(n>>chunkBits), n&(1<<chunkBits-1)
	t.mu.RLock()
	if c < len(t.chunks) {
		s := &t.chunks[c][i]
		t.mu.RUnlock()
		return s
	}
	t.mu.RUnlock()
	if !grow {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for c >= len(t.chunks) {
		t.chunks = append(t.chunks, new([1 << chunkBits]atomic.Int64))
	}
	return &t.chunks[c][i]
}

// set stamps event n.
func (t *timeline) set(n, nanos int64) { t.slot(n, true).Store(nanos) }

// get is event n's stamp, or 0.
func (t *timeline) get(n int64) int64 {
	if s := t.slot(n, false); s != nil {
		return s.Load()
	}
	return 0
}

// bitset is a growable set of event numbers, for one goroutine (or under
// its owner's lock).
type bitset []uint64

// add inserts n and says whether it was new.
func (b *bitset) add(n int64) bool {
	w, bit := int(n>>6), uint64(1)<<(n&63)
	for w >= len(*b) {
		*b = append(*b, 0)
	}
	if (*b)[w]&bit != 0 {
		return false
	}
	(*b)[w] |= bit
	return true
}

func (b bitset) has(n int64) bool {
	w := int(n >> 6)
	return w < len(b) && b[w]&(1<<(n&63)) != 0
}
