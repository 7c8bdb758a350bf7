package tui

import (
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
)

func TestTableLayout(t *testing.T) {
	cols := []Column{
		{Title: "A", Min: 10},
		{Title: "B", Min: 10, Flex: 1},
		{Title: "C", Min: 10, Drop: 1},
		{Title: "D", Min: 10, Flex: 3, Max: 20, Drop: 2},
	}
	tests := []struct {
		width     int
		wantCols  []int
		wantTotal int
	}{
		{80, []int{0, 1, 2, 3}, 80},
		{43, []int{0, 1, 2, 3}, 43},
		{42, []int{0, 1, 2}, 42}, // D goes first (highest Drop)
		{31, []int{0, 1}, 31},    // then C
		{15, []int{0, 1}, 21},    // A and B never go: the row is cut later
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.width), func(t *testing.T) {
			tb := Table{Columns: cols}
			idx, widths := tb.layout(tt.width)
			if !equalInts(idx, tt.wantCols) {
				t.Fatalf("columns %v, want %v", idx, tt.wantCols)
			}
			total := len(widths) - 1
			for k, w := range widths {
				total += w
				if c := cols[idx[k]]; w < c.Min || c.Max > 0 && w > c.Max {
					t.Errorf("column %s width %d outside %d..%d", c.Title, w, c.Min, c.Max)
				}
			}
			if total != tt.wantTotal {
				t.Fatalf("total width %d, want %d", total, tt.wantTotal)
			}
		})
	}
}

// A Last column appears only in the room left once the others are at
// their widest, and never narrows them.
func TestTableLastColumn(t *testing.T) {
	cols := []Column{
		{Title: "A", Min: 10},
		{Title: "B", Min: 10, Flex: 1, Max: 20},
		{Title: "C", Min: 8, Max: 30, Last: true},
		{Title: "D", Min: 5},
	}
	tests := []struct {
		width    int
		wantCols []int
		widths   []int
	}{
		{30, []int{0, 1, 3}, []int{10, 13, 5}},
		{37, []int{0, 1, 3}, []int{10, 20, 5}},
		{45, []int{0, 1, 3}, []int{10, 20, 5}},       // 8 left: one short of C and its gap
		{46, []int{0, 1, 2, 3}, []int{10, 20, 8, 5}}, // C in its place
		{100, []int{0, 1, 2, 3}, []int{10, 20, 30, 5}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.width), func(t *testing.T) {
			tb := Table{Columns: cols}
			idx, widths := tb.layout(tt.width)
			if !equalInts(idx, tt.wantCols) || !equalInts(widths, tt.widths) {
				t.Errorf("columns %v widths %v, want %v %v", idx, widths, tt.wantCols, tt.widths)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The table builds only the rows on screen, keeps the cursor visible, and
// every line is exactly the width.
func TestTableScrollsAndRendersVisibleRowsOnly(t *testing.T) {
	ctx := &Context{Styles: NewStyles(true, true), Keys: DefaultKeyMap()}
	tb := Table{Columns: []Column{{Title: "N", Min: 6, Flex: 1}, {Title: "Name", Min: 10, Flex: 2}}}
	const n = 100_000
	built := 0
	row := func(i int) Row {
		built++
		return Row{Cells: []string{strconv.Itoa(i), safe("row \x1b[2J" + strconv.Itoa(i))}}
	}
	keys := []struct {
		msg        tea.KeyPressMsg
		wantCursor int
	}{
		{tea.KeyPressMsg{Code: 'j', Text: "j"}, 1},
		{tea.KeyPressMsg{Code: tea.KeyPgDown}, 10},
		{tea.KeyPressMsg{Code: 'G', Text: "G"}, n - 1},
		{tea.KeyPressMsg{Code: 'k', Text: "k"}, n - 2},
		{tea.KeyPressMsg{Code: 'g', Text: "g"}, 0},
		{tea.KeyPressMsg{Code: tea.KeyUp}, 0},
	}
	out := tb.View(ctx.Styles, 40, 10, n, row)
	for _, k := range keys {
		if !tb.Move(ctx.Keys, k.msg, n) {
			t.Fatalf("%s not handled", k.msg)
		}
		if tb.Cursor() != k.wantCursor {
			t.Fatalf("after %s the cursor is %d, want %d", k.msg, tb.Cursor(), k.wantCursor)
		}
		built = 0
		out = tb.View(ctx.Styles, 40, 10, n, row)
		if built > 9 {
			t.Fatalf("built %d rows for 9 on screen", built)
		}
		onScreen := false
		for _, l := range strings.Split(ansi.Strip(out), "\n")[1:] {
			if strings.HasPrefix(l, strconv.Itoa(tb.Cursor())+" ") {
				onScreen = true
			}
			if strings.Contains(l, "\x1b") || strings.Contains(l, "[2J") {
				t.Fatalf("an escape reached a row: %q", l)
			}
		}
		if !onScreen {
			t.Fatalf("the cursor's row %d is not on screen:\n%s", tb.Cursor(), ansi.Strip(out))
		}
	}
	lines := strings.Split(out, "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines, want 10", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != 40 {
			t.Fatalf("line %q is %d wide", ansi.Strip(l), w)
		}
	}
}

// A stale answer (to a load a newer one superseded) is dropped.
func TestListerDropsStaleAnswers(t *testing.T) {
	ctx := &Context{Styles: NewStyles(true, true), Keys: DefaultKeyMap()}
	var l lister[string]
	l.idOf = func(s string) string { return s }
	if cmd := l.reload(ctx, nil); cmd != nil { // gen 1; no fetch set, nothing runs
		t.Fatal("a load without a fetch")
	}
	l.gen = 2 // a newer load went out
	if mine, loaded := l.update(pageMsg[string]{to: &l, gen: 1, page: pageOf("old")}); !mine || loaded {
		t.Fatalf("stale answer: mine %v loaded %v", mine, loaded)
	}
	if len(l.items) != 0 {
		t.Fatalf("stale items kept: %v", l.items)
	}
	if _, loaded := l.update(pageMsg[string]{to: &l, gen: 2, page: pageOf("new")}); !loaded || l.items[0] != "new" {
		t.Fatalf("current answer not taken: %v", l.items)
	}
	var other lister[string]
	if mine, _ := l.update(pageMsg[string]{to: &other, gen: 2, page: pageOf("x")}); mine {
		t.Fatal("another list's answer taken")
	}
}

func pageOf(items ...string) api.Page[string] { return api.Page[string]{Items: items} }
