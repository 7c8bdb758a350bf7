package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// helpSection is one group of the help screen.
type helpSection struct {
	title string
	hints []hint
}

// actionHintsOf turns the action table into hints for the selected card.
func actionHintsOf(ctx *Context, sc Screen) []hint {
	var out []hint
	for _, a := range actionHints(ctx, sc) {
		h := hintOf(a.Binding)
		h.disabled = a.Disabled
		out = append(out, h)
	}
	return out
}

// helpSections is everything the keys do here: the same data as the
// footer, in full.
func helpSections(ctx *Context, sc Screen) []helpSection {
	k := ctx.Keys
	hs := func(bs ...Binding) []hint {
		out := make([]hint, len(bs))
		for i, b := range bs {
			out[i] = hintOf(b)
		}
		return out
	}
	var secs []helpSection
	if sc != nil {
		secs = append(secs, helpSection{"This screen: " + sc.Title(), hs(sc.Bindings(ctx)...)})
	}
	actions, title := actionHintsOf(ctx, sc), "Card actions"
	if actions == nil {
		title = "Card actions"
		for _, a := range cardActions() {
			actions = append(actions, hintOf(a.Key(k)))
		}
	}
	secs = append(secs,
		helpSection{title, actions},
		helpSection{"Navigate", hs(k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Enter, k.Back)},
		helpSection{"Views", hs(k.Users, k.Cards, k.Live, k.Declines, k.NextTab, k.PrevTab)},
		helpSection{"General", hs(k.Command, k.Refresh, k.Dismiss, k.Help, k.Quit)},
	)
	var cmds []hint
	for _, c := range commandHelp() {
		cmds = append(cmds, hint{key: c[0], desc: c[1]})
	}
	secs = append(secs, helpSection{"Commands", cmds})
	return secs
}

// helpView lays the sections out in columns that fit width × height.
func helpView(ctx *Context, sc Screen, width, height int) string {
	s := ctx.Styles
	secs := helpSections(ctx, sc)
	var blocks [][]string
	reasons := []string{}
	for _, sec := range secs {
		keyW := 0
		for _, h := range sec.hints {
			keyW = max(keyW, ansi.StringWidth(h.key))
		}
		lines := []string{s.Title.Render(sec.title)}
		for _, h := range sec.hints {
			k := h.key + strings.Repeat(" ", keyW-ansi.StringWidth(h.key))
			line := s.FooterKey.Render(k) + " " + s.Value.Render(h.desc)
			if h.disabled != "" {
				line = s.Muted.Render(k+" "+h.desc) + s.Muted.Render(" ✗")
				reasons = appendOnce(reasons, h.key+" "+h.desc+": "+h.disabled)
			}
			lines = append(lines, line)
		}
		blocks = append(blocks, lines)
	}
	avail := height - 1
	cols := balancedColumns(blocks, avail, max(width/32, 1))
	colW := max(min(width/max(len(cols), 1), 44), 1)
	used := 0
	for _, col := range cols {
		used = max(used, len(col))
	}
	grid := make([]string, used)
	for _, col := range cols {
		for i := range used {
			cellText := ""
			if i < len(col) {
				cellText = col[i]
			}
			grid[i] += fitLine(cellText, colW)
		}
	}
	// Why the crossed-out actions are unavailable, when there is room;
	// the key itself says why in any case.
	var foot []string
	switch room := avail - used - 1; {
	case len(reasons) == 0:
	case len(reasons) <= room:
		foot = append(foot, "")
		for _, r := range reasons {
			foot = append(foot, s.Muted.Render("✗ "+safe(r)))
		}
	case room >= 1:
		foot = append(foot, "", s.Muted.Render("✗ not available on this card: press the key to see why"))
	}
	out := s.DialogTitle.Render("Help") + s.Muted.Render("  ? or esc closes")
	lines := append([]string{out}, grid...)
	return fitBlock(strings.Join(append(lines, foot...), "\n"), width, height)
}

// balancedColumns packs the blocks into the shortest columns that need no
// more than maxCols of them (or into columns of the full height).
func balancedColumns(blocks [][]string, height, maxCols int) [][]string {
	tallest := 1
	for _, b := range blocks {
		tallest = max(tallest, len(b))
	}
	for h := min(tallest, height); h < height; h++ {
		if cols := packColumns(blocks, h); len(cols) <= maxCols {
			return cols
		}
	}
	return packColumns(blocks, height)
}

// packColumns fills columns of at most height lines with whole blocks,
// splitting a block only when it is taller than a column.
func packColumns(blocks [][]string, height int) [][]string {
	var cols [][]string
	var cur []string
	for _, b := range blocks {
		need := len(b)
		if len(cur) > 0 {
			need++ // a blank line between blocks
		}
		if len(cur)+need > height && len(cur) > 0 {
			cols = append(cols, cur)
			cur = nil
		}
		if len(cur) > 0 {
			cur = append(cur, "")
		}
		for _, line := range b {
			if len(cur) == height {
				cols = append(cols, cur)
				cur = nil
			}
			cur = append(cur, line)
		}
	}
	if len(cur) > 0 {
		cols = append(cols, cur)
	}
	return cols
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
