package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Column describes one column of a Table.
type Column struct {
	Title string
	// Min is the narrowest the column may be; Flex its share of the spare
	// width (0 keeps it at Min); Max caps it (0: no cap).
	Min, Flex, Max int
	// Drop orders the columns to hide when the terminal is too narrow for
	// every Min: the highest goes first; 0 never goes.
	Drop int
	// Last columns take only the room left once every other column is at
	// its widest: they appear on wide terminals and never narrow the rest.
	Last  bool
	Right bool
	// Color, when set, styles a cell of an unselected row by its value
	// (a card's status, a KYC state).
	Color func(s *Styles, cell string) lipgloss.Style
}

// RowKind picks a row's style.
type RowKind int

// Row kinds.
const (
	RowNormal RowKind = iota
	RowDecline
	RowMuted
)

// Row is one row: cells already made safe, one per column.
type Row struct {
	Cells []string
	Kind  RowKind
}

// Table is the one list component: users, cards and transactions differ in
// their columns and rows only. It holds the cursor and the scroll position;
// the rows come from a function so that only the rows on screen are built.
type Table struct {
	Columns []Column
	cursor  int
	offset  int
	// page is the number of rows last drawn, for the page keys.
	page int
}

// Cursor is the selected row's index.
func (t *Table) Cursor() int { return t.cursor }

// SetCursor moves the cursor, clamped to n rows.
func (t *Table) SetCursor(i, n int) {
	t.cursor = max(0, min(i, n-1))
}

// Move handles the navigation keys over n rows and reports whether the key
// was one of them.
func (t *Table) Move(keys *KeyMap, msg tea.KeyPressMsg, n int) bool {
	page := max(t.page, 1)
	switch {
	case key.Matches(msg, keys.Up):
		t.cursor--
	case key.Matches(msg, keys.Down):
		t.cursor++
	case key.Matches(msg, keys.PageUp):
		t.cursor -= page
	case key.Matches(msg, keys.PageDown):
		t.cursor += page
	case key.Matches(msg, keys.Top):
		t.cursor = 0
	case key.Matches(msg, keys.Bottom):
		t.cursor = n - 1
	default:
		return false
	}
	t.SetCursor(t.cursor, n)
	return true
}

// layout picks the visible columns and their widths for a total width:
// the columns that are not Last first, then the Last ones in the room left.
func (t *Table) layout(width int) (idx []int, widths []int) {
	idx, widths = t.layoutFirst(width)
	used := max(len(idx)-1, 0)
	for _, w := range widths {
		used += w
	}
	for i, c := range t.Columns {
		left := width - used - 1 // a gap before it
		if !c.Last || left < c.Min {
			continue
		}
		w := left
		if c.Max > 0 {
			w = min(w, c.Max)
		}
		at := len(idx)
		for k, j := range idx {
			if j > i {
				at = k
				break
			}
		}
		idx = append(idx[:at:at], append([]int{i}, idx[at:]...)...)
		widths = append(widths[:at:at], append([]int{w}, widths[at:]...)...)
		used += w + 1
	}
	return idx, widths
}

// layoutFirst lays out the columns that are not Last.
func (t *Table) layoutFirst(width int) (idx []int, widths []int) {
	for i, c := range t.Columns {
		if !c.Last {
			idx = append(idx, i)
		}
	}
	need := func() int {
		sum := max(len(idx)-1, 0) // one-cell gaps
		for _, i := range idx {
			sum += t.Columns[i].Min
		}
		return sum
	}
	for need() > width {
		drop, best := -1, 0
		for k, i := range idx {
			if d := t.Columns[i].Drop; d > best {
				drop, best = k, d
			}
		}
		if drop < 0 {
			break
		}
		idx = append(idx[:drop], idx[drop+1:]...)
	}
	widths = make([]int, len(idx))
	flex := 0
	for k, i := range idx {
		widths[k] = t.Columns[i].Min
		flex += t.Columns[i].Flex
	}
	spare := width - need()
	for spare > 0 && flex > 0 {
		given := 0
		for k, i := range idx {
			c := t.Columns[i]
			if c.Flex == 0 || (c.Max > 0 && widths[k] >= c.Max) {
				continue
			}
			add := max(spare*c.Flex/flex, 1)
			if c.Max > 0 {
				add = min(add, c.Max-widths[k])
			}
			add = min(add, spare-given)
			widths[k] += add
			given += add
			if given == spare {
				break
			}
		}
		if given == 0 {
			break
		}
		spare -= given
	}
	return idx, widths
}

// View draws the header and the rows on screen into width × height cells.
// row builds row i of n; it is called for the visible rows only.
func (t *Table) View(s *Styles, width, height, n int, row func(i int) Row) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	idx, widths := t.layout(width)
	rows := height - 1
	t.page = max(rows, 1)
	t.SetCursor(t.cursor, n)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+rows {
		t.offset = t.cursor - rows + 1
	}
	t.offset = max(0, min(t.offset, n-rows))

	lines := make([]string, 0, height)
	head := make([]string, len(idx))
	for k, i := range idx {
		head[k] = cell(t.Columns[i].Title, widths[k], t.Columns[i].Right)
	}
	lines = append(lines, s.TableHeader.Render(fitLine(strings.Join(head, " "), width)))
	for r := t.offset; r < min(n, t.offset+rows); r++ {
		lines = append(lines, t.renderRow(s, row(r), r == t.cursor, idx, widths, width))
	}
	return strings.Join(lines, "\n")
}

// renderRow draws one row. Cells in the row's own style, and the gaps
// between them, are drawn as one run; only a cell that its column colours
// is styled on its own. Styling each cell apart cost most of a Live frame
// and sent a reset after every cell.
func (t *Table) renderRow(s *Styles, r Row, selected bool, idx, widths []int, width int) string {
	base := s.Row
	switch {
	case selected:
		base = s.RowSelected
	case r.Kind == RowDecline:
		base = s.RowDecline
	case r.Kind == RowMuted:
		base = s.Muted
	}
	var b, run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			b.WriteString(base.Render(run.String()))
			run.Reset()
		}
	}
	used := 0
	for k, i := range idx {
		c := t.Columns[i]
		text := ""
		if i < len(r.Cells) {
			text = r.Cells[i]
		}
		if k > 0 {
			run.WriteByte(' ')
			used++
		}
		fitted := cell(text, widths[k], c.Right)
		used += widths[k]
		if selected || c.Color == nil || r.Kind != RowNormal {
			run.WriteString(fitted)
			continue
		}
		flush()
		b.WriteString(c.Color(s, text).Render(fitted))
	}
	if used < width {
		run.WriteString(strings.Repeat(" ", width-used))
	}
	flush()
	return b.String()
}

// cell fits plain text into w cells, left or right aligned.
func cell(text string, w int, right bool) string {
	if ansi.StringWidth(text) > w {
		text = ansi.Truncate(text, w, "…")
	}
	if right {
		return padLeft(text, w)
	}
	return fitLine(text, w)
}
