package tui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/tui/monitor"
)

// topLine is one line of a top list: what, a quieter note, and a figure.
type topLine struct {
	what, note, figure string
}

// topPanels draws the top reasons, merchants and cards side by side, each
// in a bordered panel. Wide, the reasons get the room for their group and
// their share of the hour's declines; narrow, both are left out.
func (s *DeclinesScreen) topPanels(ctx *Context, top monitor.Ranking, lay layout, width int) string {
	st := ctx.Styles
	const gap = 1
	rw := (width - 2*gap) / 3
	if lay.wide {
		rw = min(64, width/2+2)
	}
	ow := (width - rw - 2*gap) / 2
	if ow < 12 {
		return ""
	}
	reasons := make([]topLine, len(top.Reasons))
	for i, r := range top.Reasons {
		reasons[i] = topLine{what: reasonLine(r), figure: strconv.Itoa(r.Count)}
		if lay.wide {
			reasons[i].note = r.Group.Label()
			reasons[i].figure += "  " + padLeft(percentText(ratio(r.Count, top.Declines)), 4)
		}
	}
	merchants := make([]topLine, len(top.Merchants))
	for i, m := range top.Merchants {
		merchants[i] = topLine{what: safe(m.Key), figure: strconv.Itoa(m.Count)}
	}
	if top.OtherMerchants > 0 && len(merchants) < lay.topN {
		merchants = append(merchants, topLine{what: "(other merchants)", figure: strconv.Itoa(top.OtherMerchants)})
	}
	cards := make([]topLine, len(top.Cards))
	for i, c := range top.Cards {
		cards[i] = topLine{what: s.cards.masked(c.Key), figure: strconv.Itoa(c.Count)}
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		topPanel(st, "Top reasons", reasons, lay.topN, rw), " ",
		topPanel(st, "Top merchants", merchants, lay.topN, ow), " ",
		topPanel(st, "Top cards", cards, lay.topN, ow))
}

// topPanel draws a list in a panel w cells wide and rows lines tall, in
// columns: what, its note when there is room for one, the figure at the
// right end.
func topPanel(st *Styles, title string, lines []topLine, rows, w int) string {
	cw := w - st.Panel.GetHorizontalFrameSize()
	figW, whatW, noteW := 0, 0, 0
	for _, l := range lines {
		figW = max(figW, ansi.StringWidth(l.figure))
		whatW = max(whatW, ansi.StringWidth(l.what))
		noteW = max(noteW, ansi.StringWidth(l.note))
	}
	room := cw - figW - 1
	whatW = min(whatW, room)
	if noteW > 0 {
		// The note takes what is left after the names, or goes.
		if noteW = min(noteW, room-whatW-2); noteW < 6 {
			noteW = 0
		}
	}
	out := make([]string, 0, rows+1)
	out = append(out, st.Title.Render(title))
	if len(lines) == 0 {
		out = append(out, st.Muted.Render("none in the last hour"))
	}
	for _, l := range lines {
		line := fitLine(l.what, whatW)
		if noteW > 0 {
			line += "  " + st.Muted.Render(fitLine(l.note, noteW))
		}
		out = append(out, fitLine(line, room)+" "+padLeft(l.figure, figW))
	}
	return st.Panel.Width(w).Render(fitBlock(strings.Join(out, "\n"), cw, rows+1))
}
