package monitor

// View is what a Live screen lists: every row or the declines only, either
// following the ring (live) or frozen at the moment it was taken (paused).
// Index 0 is the newest row of the view. A View is a small value; taking
// one costs nothing and it reads the ring it came from, so it has the
// ring's concurrency rules.
//
// A frozen view never shows rows appended after it was taken. Rows it held
// that the ring has since overwritten (more than the ring's capacity
// arrived while paused) are gone: the frozen view's Len shrinks from the
// old end, so the rows that remain keep their indices and a paused screen
// does not jump; At beyond Len reports false.
type View struct {
	ring     *Ring
	declines bool
	frozen   bool
	end      uint64 // Ring.Total when frozen
	declEnd  uint64 // declines ever appended when frozen
}

// All is the live view of every retained row.
func (r *Ring) All() View { return View{ring: r} }

// Declines is the live view of the retained declined rows.
func (r *Ring) Declines() View { return View{ring: r, declines: true} }

// Snapshot is a view of every row frozen at the current Total: pause.
func (r *Ring) Snapshot() View {
	return View{ring: r, frozen: true, end: r.total, declEnd: r.declTotal}
}

// All is the same view (live or frozen at the same moment) over every row.
func (v View) All() View {
	v.declines = false
	return v
}

// Declines is the same view (live or frozen at the same moment) over the
// declined rows only.
func (v View) Declines() View {
	v.declines = true
	return v
}

// Frozen reports whether the view is a snapshot.
func (v View) Frozen() bool { return v.frozen }

// DeclinesOnly reports whether the view lists declined rows only.
func (v View) DeclinesOnly() bool { return v.declines }

// Len is the number of rows the view can show now.
func (v View) Len() int {
	r := v.ring
	switch {
	case r == nil:
		return 0
	case !v.frozen && !v.declines:
		return r.rows.n
	case !v.frozen:
		return r.declines.n
	case !v.declines:
		return span(v.end, r.oldest())
	default:
		return span(v.declEnd, r.oldestDecline())
	}
}

// At is the view's i-th newest row (0 = newest), and false when i is out
// of range or the row is gone.
func (v View) At(i int) (Row, bool) {
	if i < 0 || i >= v.Len() {
		return Row{}, false
	}
	r := v.ring
	if !v.declines {
		last := r.total
		if v.frozen {
			last = v.end
		}
		return r.byPos(last - 1 - uint64(i)), true
	}
	last := r.declTotal
	if v.frozen {
		last = v.declEnd
	}
	k := last - 1 - uint64(i)
	return r.byPos(r.declines.at(int(k - r.oldestDecline()))), true
}

// Newer is how many rows the view would list that arrived after it was
// frozen ("paused: 132 new"); 0 for a live view.
func (v View) Newer() uint64 {
	switch {
	case v.ring == nil || !v.frozen:
		return 0
	case v.declines:
		return v.ring.declTotal - v.declEnd
	default:
		return v.ring.total - v.end
	}
}

// span is end-start, or 0 when start is at or past end.
func span(end, start uint64) int {
	if end <= start {
		return 0
	}
	return int(end - start)
}
