package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// field is one labelled value of a detail pane.
type field struct {
	label, value string
}

// fieldGrid lays fields out in as many columns as the width allows (one
// to three), row by row.
func fieldGrid(s *Styles, fields []field, width int) []string {
	labelW := 0
	for _, f := range fields {
		labelW = max(labelW, ansi.StringWidth(f.label))
	}
	cols := max(1, min(3, width/40))
	colW := width / cols
	var lines []string
	for i := 0; i < len(fields); i += cols {
		var b strings.Builder
		for c := 0; c < cols && i+c < len(fields); c++ {
			f := fields[i+c]
			label := s.Label.Render(f.label + strings.Repeat(" ", labelW-ansi.StringWidth(f.label)+1))
			cellW := colW
			if c < cols-1 {
				cellW--
			}
			if i+c == len(fields)-1 {
				cellW = width - c*colW // the last field takes the rest of its row
			}
			b.WriteString(fitLine(label+f.value, cellW))
			if c < cols-1 && i+c < len(fields)-1 {
				b.WriteString(" ")
			}
		}
		lines = append(lines, fitLine(b.String(), width))
	}
	return lines
}

// fieldLines lays fields out one to a line, each with the whole width:
// for values too long for a column of the grid (a card's controls and
// metadata), which a cell would cut.
func fieldLines(s *Styles, fields []field, width int) []string {
	labelW := 0
	for _, f := range fields {
		labelW = max(labelW, ansi.StringWidth(f.label))
	}
	lines := make([]string, 0, len(fields))
	for _, f := range fields {
		label := s.Label.Render(f.label + strings.Repeat(" ", labelW-ansi.StringWidth(f.label)+1))
		lines = append(lines, fitLine(label+f.value, width))
	}
	return lines
}

// shortDay renders a date alone.
func shortDay(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}
