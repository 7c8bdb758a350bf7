package monitor

// circ is a bounded FIFO that grows on demand up to max items and then
// overwrites its oldest item in place, so that a ring nobody fills never
// costs its full capacity and a full one never allocates again.
type circ[T any] struct {
	items []T
	start int // slot of the oldest item
	n     int // items held
	max   int // capacity, at least 1
}

// full reports whether the next push overwrites the oldest item.
func (b *circ[T]) full() bool { return b.n == b.max }

// push adds v as the newest item, overwriting the oldest when full.
func (b *circ[T]) push(v T) {
	if b.n == b.max {
		b.items[b.start] = v
		b.start++
		if b.start == len(b.items) {
			b.start = 0
		}
		return
	}
	if b.n == len(b.items) {
		b.grow()
	}
	i := b.start + b.n
	if i >= len(b.items) {
		i -= len(b.items)
	}
	b.items[i] = v
	b.n++
}

// at is the j-th oldest item (0 = oldest); j must be in [0, n).
func (b *circ[T]) at(j int) T {
	i := b.start + j
	if i >= len(b.items) {
		i -= len(b.items)
	}
	return b.items[i]
}

// dropOldest forgets the oldest item, releasing what it points to.
func (b *circ[T]) dropOldest() {
	var zero T
	b.items[b.start] = zero
	b.start++
	if b.start == len(b.items) {
		b.start = 0
	}
	b.n--
}

// grow doubles the storage (at least 64, at most max), oldest item first.
func (b *circ[T]) grow() {
	size := min(b.max, max(2*len(b.items), 64))
	items := make([]T, size)
	for j := range b.n {
		items[j] = b.at(j)
	}
	b.items, b.start = items, 0
}
