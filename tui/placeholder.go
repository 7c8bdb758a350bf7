package tui

import tea "charm.land/bubbletea/v2"

// placeholder stands in for a view this build does not have.
type placeholder struct {
	title, text string
}

func (p placeholder) Title() string                              { return p.title }
func (p placeholder) Init(*Context) tea.Cmd                      { return nil }
func (p placeholder) Update(*Context, tea.Msg) (Screen, tea.Cmd) { return p, nil }
func (p placeholder) Bindings(*Context) []Binding                { return nil }
func (p placeholder) Capturing() bool                            { return false }
func (p placeholder) View(ctx *Context, width, height int) string {
	return fitBlock(ctx.Styles.Muted.Render(p.text), width, height)
}
