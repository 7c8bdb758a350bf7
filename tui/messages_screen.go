package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// MessagesScreen is the session's message log (:messages): every failure
// and outcome, newest first, each whole — wrapped, never cut — with its
// time and the provider's request id.
type MessagesScreen struct {
	// top is the first line shown, counted from the newest message's.
	top int
	// page is the lines the last frame had room for.
	page int
}

// NewMessages returns the message log's screen.
func NewMessages() *MessagesScreen { return &MessagesScreen{} }

// Title names the screen for the breadcrumb.
func (s *MessagesScreen) Title() string { return "Messages" }

// Init: the log is the session's own; nothing to load.
func (s *MessagesScreen) Init(*Context) tea.Cmd { return nil }

// Update scrolls.
func (s *MessagesScreen) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	keys, page := ctx.Keys, max(s.page, 1)
	switch {
	case key.Matches(k, keys.Up):
		s.top--
	case key.Matches(k, keys.Down):
		s.top++
	case key.Matches(k, keys.PageUp):
		s.top -= page
	case key.Matches(k, keys.PageDown):
		s.top += page
	case key.Matches(k, keys.Top):
		s.top = 0
	case key.Matches(k, keys.Bottom):
		s.top = 1 << 30 // clamped when drawn
	}
	s.top = max(s.top, 0)
	return s, nil
}

// stampWidth is the time and mark before each message: "14:02:33 ✗ ".
const stampWidth = 11

// View draws a status line and the messages, wrapped to the width.
func (s *MessagesScreen) View(ctx *Context, width, height int) string {
	st := ctx.Styles
	log := &ctx.messages
	n := log.Len()
	noun := "messages"
	if n == 1 {
		noun = "message"
	}
	status := st.Muted.Render(fmt.Sprintf("%d %s this session, newest first · times UTC", n, noun))
	if n == 0 {
		return fitBlock(status+"\n"+st.Muted.Render("Nothing has failed or been done yet."), width, height)
	}
	var lines []string
	textW := max(width-stampWidth, 10)
	for i := range n {
		m := log.newest(i)
		text := withRequest(m.Text, m.RequestID)
		if m.Count > 1 {
			text += " (×" + strconv.Itoa(m.Count) + ")"
		}
		mark, style := "✓", st.Value
		if m.Error {
			mark, style = "✗", st.FlashError
		}
		for j, line := range strings.Split(ansi.Wrap(text, textW, ""), "\n") {
			lead := strings.Repeat(" ", stampWidth)
			if j == 0 {
				lead = st.Muted.Render(m.At.UTC().Format("15:04:05")) + " " + style.Render(mark) + " "
			}
			lines = append(lines, lead+style.Render(line))
		}
	}
	s.page = max(height-1, 1)
	s.top = min(s.top, max(len(lines)-s.page, 0))
	shown := lines[s.top:min(s.top+s.page, len(lines))]
	return fitBlock(status+"\n"+strings.Join(shown, "\n"), width, height)
}

// Bindings are the keys the screen answers to.
func (s *MessagesScreen) Bindings(ctx *Context) []Binding {
	k := ctx.Keys
	return []Binding{k.Up, k.Down, k.PageDown, k.Top, k.Back}
}

// Capturing is false: the screen takes no text.
func (s *MessagesScreen) Capturing() bool { return false }
