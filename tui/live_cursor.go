package tui

import (
	"sort"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/tui/monitor"
)

// current is the view the Live screen lists and how many rows have arrived
// above the table's position since it was set. Both cost O(1).
func (s *LiveScreen) current() (v monitor.View, shift int) {
	if s.paused {
		return s.pick(s.base), 0
	}
	if s.ring == nil {
		return monitor.View{}, 0
	}
	v = s.pick(s.ring.All())
	if s.follow {
		return v, 0
	}
	return v, int(s.pick(s.base).Newer())
}

// pick narrows v to the declines when that is what the screen shows.
func (s *LiveScreen) pick(v monitor.View) monitor.View {
	if s.declinesOnly {
		return v.Declines()
	}
	return v.All()
}

// position is the cursor and offset as indices of the current view.
func (s *LiveScreen) position() (cursor, offset int) {
	if !s.paused && s.follow {
		return 0, 0
	}
	_, shift := s.current()
	return s.table.cursor + shift, s.table.offset + shift
}

// setPosition puts the cursor and offset at indices of the current view.
// Live, the cursor on the newest row follows new rows; anywhere else it
// stays on its row while new ones arrive above.
func (s *LiveScreen) setPosition(cursor, offset int) {
	s.table.cursor, s.table.offset = cursor, offset
	if s.paused {
		return // indices of the frozen base already
	}
	s.follow = cursor <= 0
	if s.follow {
		s.table.cursor, s.table.offset = 0, 0
	}
	if s.ring != nil {
		s.base = s.ring.Snapshot() // now the view's indices are base's
	}
}

// move handles the navigation keys and reports whether k was one.
func (s *LiveScreen) move(ctx *Context, k tea.KeyPressMsg) bool {
	v, _ := s.current()
	t := s.table
	t.cursor, t.offset = s.position()
	if !t.Move(ctx.Keys, k, v.Len()) {
		return false
	}
	page := max(t.page, 1)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+page {
		t.offset = t.cursor - page + 1
	}
	s.setPosition(t.cursor, max(t.offset, 0))
	return true
}

// togglePause freezes the view where it is, or lets it run again with the
// same row selected (the top row follows the newest again).
func (s *LiveScreen) togglePause() {
	cursor, offset := s.position()
	if s.paused {
		// Indices of the frozen base stay right once live: current() adds
		// what arrived since the pause.
		s.paused = false
		s.follow = cursor <= 0
		if s.follow {
			s.table.cursor, s.table.offset = 0, 0
		}
		return
	}
	if s.ring == nil {
		return
	}
	s.base = s.ring.Snapshot()
	s.paused = true
	s.follow = false
	s.table.cursor, s.table.offset = cursor, offset
}

// toggleDeclines switches between every event and the declines only,
// keeping the selection on the same row or the nearest older one.
func (s *LiveScreen) toggleDeclines() {
	v, _ := s.current()
	cursor, offset := s.position()
	row, ok := v.At(cursor)
	s.declinesOnly = !s.declinesOnly
	if !ok || cursor == 0 {
		s.setPosition(0, 0)
		return
	}
	next, _ := s.current()
	if !s.paused {
		next = s.pick(s.ring.All())
	}
	i := seekSeq(next, row.Seq)
	s.setPosition(i, max(i-(cursor-offset), 0))
}

// seekSeq is the index of the newest row of v whose sequence number is at
// most seq: O(log n) reads, as rows are kept in sequence order.
func seekSeq(v monitor.View, seq uint64) int {
	n := v.Len()
	i := sort.Search(n, func(i int) bool {
		r, ok := v.At(i)
		return !ok || r.Seq <= seq
	})
	return min(i, max(n-1, 0))
}
