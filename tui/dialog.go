package tui

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Dialog is a modal over the current screen: it takes every key while open.
type Dialog interface {
	// Update handles a message; a nil Dialog closes it.
	Update(ctx *Context, msg tea.Msg) (Dialog, tea.Cmd)
	// View renders the dialog's content; the root frames and centres it.
	View(ctx *Context, width int) string
	// Bindings are the dialog's keys, for the footer and help.
	Bindings(ctx *Context) []Binding
	// Close is called when the dialog goes away for any reason (closed,
	// replaced, the session ending): it forgets anything secret.
	Close()
}

// dialogBox frames dialog content for a body width wide; the root centres
// it over the screen.
func dialogBox(ctx *Context, d Dialog, width int) string {
	inner := max(min(width-2-4-2, 64), 20) // border, padding, a margin
	content := d.View(ctx, inner)
	st := ctx.Styles.Dialog
	if lipgloss.Width(content) > inner {
		// Wrap rather than overflow on a narrow terminal.
		st = st.Width(inner + st.GetHorizontalFrameSize())
	}
	return st.Render(content)
}

// buttons renders a row of buttons, one focused; disabled ones are muted.
func buttons(s *Styles, labels []string, focus int, disabled map[int]bool) string {
	out := ""
	for i, l := range labels {
		st := s.Button
		switch {
		case disabled[i]:
			st = s.Muted.Padding(0, 2).Strikethrough(true)
		case i == focus:
			st = s.ButtonFocus
		}
		if i > 0 {
			out += "  "
		}
		out += st.Render(l)
	}
	return out
}
