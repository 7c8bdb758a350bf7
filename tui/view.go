package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// View draws header, body (the screen, the help, or a dialog over the
// screen) and footer into exactly the terminal's size, on the alt screen.
func (m *model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "carddesk"
	return v
}

// render is the frame's content.
func (m *model) render() string {
	ctx := m.ctx
	w, h := ctx.Width, ctx.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.quitting {
		return fitBlock("", w, h)
	}
	bodyH := max(h-headerHeight-footerHeight, 1)
	top := m.top()
	header := headerView(ctx, m.health, m.active, m.crumbs(), w)
	var body string
	switch {
	case m.help:
		body = helpView(ctx, top, w, bodyH)
	default:
		body = fitBlock(top.View(ctx, w, bodyH), w, bodyH)
		if m.dialog != nil {
			body = overlay(body, dialogBox(ctx, m.dialog, w), w, bodyH)
		}
	}
	line := flashLine(ctx, m.flash, w)
	if m.cmd.open {
		m.cmd.input.SetWidth(max(w-2, 1))
		line = m.cmd.input.View()
	}
	hints, pinned := m.footerHints(top)
	footer := footerView(ctx, line, hints, pinned, w)
	return fitBlock(header+"\n"+body+"\n"+footer, w, h)
}

// overlay draws the centred dialog box over the body.
func overlay(body, box string, width, height int) string {
	box = strings.TrimRight(box, "\n")
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x, y := max((width-bw)/2, 0), max((height-bh)/2, 0)
	c := lipgloss.NewCompositor(lipgloss.NewLayer(body), lipgloss.NewLayer(box).X(x).Y(y).Z(1))
	return fitBlock(c.Render(), width, height)
}

// crumbs are the titles of the current view's stack.
func (m *model) crumbs() []string {
	st := m.tabs[m.active]
	out := make([]string, len(st))
	for i, sc := range st {
		out[i] = sc.Title()
	}
	return out
}

// footerHints are the keys that apply now — the dialog's, the command
// line's, the help's, or the screen's with the enabled card actions — and
// the global keys pinned at the right.
func (m *model) footerHints(top Screen) (hints, pinned []hint) {
	ctx := m.ctx
	k := ctx.Keys
	switch {
	case m.dialog != nil:
		for _, b := range m.dialog.Bindings(ctx) {
			hints = append(hints, hintOf(b))
		}
		return hints, nil
	case m.cmd.open:
		return []hint{{key: "enter", desc: "run"}, {key: "esc", desc: "cancel"}}, nil
	case m.help:
		return []hint{hintOf(k.Help), hintOf(k.Back)}, []hint{hintOf(k.Quit)}
	case top.Capturing():
		return []hint{{key: "enter", desc: "apply"}, {key: "esc", desc: "cancel"}}, nil
	}
	if m.flash.msg.Error {
		// A failure stays until dismissed; the log has it whole.
		hints = append(hints, hintOf(k.Dismiss), hint{key: ":messages", desc: "in full"})
	}
	for _, h := range actionHintsOf(ctx, top) {
		if h.disabled == "" {
			hints = append(hints, h)
		}
	}
	for _, b := range top.Bindings(ctx) {
		hints = append(hints, hintOf(b))
	}
	hints = append(hints, hintOf(k.NextTab), hintOf(k.Command))
	return hints, []hint{hintOf(k.Help), hintOf(k.Quit)}
}
