package monitor

// DefaultCapacity is how many events the Live view retains unless told.
const DefaultCapacity = 50_000

// Ring retains the most recent rows, up to its capacity, newest first, with
// a second index of the declined ones so that "declines only" costs the
// same per row as everything. Appending is O(1) and, once the ring is full,
// overwrites in place without allocating.
//
// A Ring is not safe for concurrent use: one session's Live view owns it
// and appends from Update.
type Ring struct {
	rows circ[Row]
	// declines holds the positions (0-based append counts) of the declined
	// rows still retained, oldest first.
	declines  circ[uint64]
	total     uint64 // rows ever appended
	declTotal uint64 // declined rows ever appended
}

// NewRing returns an empty ring retaining up to capacity rows;
// DefaultCapacity when capacity is not positive.
func NewRing(capacity int) *Ring {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &Ring{
		rows:     circ[Row]{max: capacity},
		declines: circ[uint64]{max: capacity},
	}
}

// Append adds row as the newest, dropping the oldest row when full.
func (r *Ring) Append(row Row) {
	if r.rows.full() && r.declines.n > 0 && r.declines.at(0) == r.oldest() {
		// The row about to be overwritten is the oldest decline. Comparing
		// positions, rather than asking the old row again, keeps the index
		// right even if that row's transaction changed since.
		r.declines.dropOldest()
	}
	r.rows.push(row)
	if row.Declined() {
		r.declines.push(r.total)
		r.declTotal++
	}
	r.total++
}

// Len is the number of rows retained.
func (r *Ring) Len() int { return r.rows.n }

// Cap is the most rows the ring retains.
func (r *Ring) Cap() int { return r.rows.max }

// Total is the number of rows ever appended.
func (r *Ring) Total() uint64 { return r.total }

// At is the i-th newest row retained (0 = newest); the zero Row when i is
// out of range.
func (r *Ring) At(i int) Row {
	if i < 0 || i >= r.rows.n {
		return Row{}
	}
	return r.rows.at(r.rows.n - 1 - i)
}

// oldest is the position of the oldest retained row.
func (r *Ring) oldest() uint64 { return r.total - uint64(r.rows.n) }

// oldestDecline is the decline count of the oldest retained decline.
func (r *Ring) oldestDecline() uint64 { return r.declTotal - uint64(r.declines.n) }

// byPos is the retained row at position pos.
func (r *Ring) byPos(pos uint64) Row { return r.rows.at(int(pos - r.oldest())) }
