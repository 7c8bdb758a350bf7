package tui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// filterBox is the "/" line of a list screen: a text input that is either
// being typed in or shows the filter in force.
type filterBox struct {
	input  textinput.Model
	typing bool
	value  string // the filter in force
}

func newFilterBox(ctx *Context, placeholder string) filterBox {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = placeholder
	in.CharLimit = maxQueryLen
	in.SetStyles(textinput.DefaultStyles(ctx.Styles.IsDark))
	return filterBox{input: in}
}

// open starts typing, from the filter in force.
func (f *filterBox) open() tea.Cmd {
	f.typing = true
	f.input.SetValue(f.value)
	f.input.CursorEnd()
	return f.input.Focus()
}

// filterResult is what a key did to the box.
type filterResult int

const (
	filterTyping filterResult = iota
	filterApplied
	filterCancelled
)

// update handles a key while typing.
func (f *filterBox) update(ctx *Context, msg tea.Msg) (filterResult, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter":
			f.typing = false
			f.input.Blur()
			f.value = f.input.Value()
			return filterApplied, nil
		case "esc":
			f.typing = false
			f.input.Blur()
			return filterCancelled, nil
		}
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return filterTyping, cmd
}

// view is the filter line: the input while typing, else the filter in force.
func (f *filterBox) view(ctx *Context, width int, status string) string {
	s := ctx.Styles
	f.input.SetWidth(max(width-len(f.input.Prompt)-2, 1))
	left := ""
	switch {
	case f.typing:
		left = f.input.View()
	case f.value != "":
		left = s.Label.Render("filter ") + s.Value.Render(safe(f.value))
	default:
		left = s.Muted.Render("/ to filter")
	}
	return joinEnds(left, s.Muted.Render(status), width)
}
