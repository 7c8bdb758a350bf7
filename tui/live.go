package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/monitor"
)

// LiveScreens builds the Live and Declines views: the Options.Screens hook.
func LiveScreens(ctx *Context) (live, declines Screen) {
	return NewLive(ctx), NewDeclines(ctx)
}

// LiveScreen is the transaction stream, newest first, from the session's
// Ring: declines highlighted with their reason, pause and resume, declines
// only, and enter on a row opens its card. Its cost per frame is the rows
// on screen, whatever the ring retains.
type LiveScreen struct {
	ring  *monitor.Ring
	table Table
	cards cardBook

	declinesOnly bool
	paused       bool
	// base is the ring frozen when the position was last set. Paused, it is
	// the view shown. Live and away from the top, the table's cursor and
	// offset count rows of base: the rows that arrived since push them down
	// by base.Newer(), so the selected row stays selected.
	base monitor.View
	// follow: live with the cursor on the newest row, which it follows.
	follow bool
	// window is reused from frame to frame for the rows on screen.
	window []monitor.Row
}

// NewLive returns the Live view over ctx.Ring.
func NewLive(ctx *Context) *LiveScreen {
	s := &LiveScreen{ring: ctx.Ring, follow: true}
	s.table.Columns = liveColumns()
	return s
}

// Title names the view.
func (s *LiveScreen) Title() string { return "Live" }

// Init looks up the cards of what is already on screen.
func (s *LiveScreen) Init(ctx *Context) tea.Cmd {
	s.ring = ctx.Ring
	return s.lookupCards(ctx)
}

// Update handles pause, declines only and navigation, keeps the cards it
// shows current, and looks up the cards that come on screen.
func (s *LiveScreen) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	s.ring = ctx.Ring
	if s.cards.update(msg) {
		return s, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, ctx.Keys.Pause):
			s.togglePause()
		case key.Matches(msg, ctx.Keys.DeclinesOnly):
			s.toggleDeclines()
		default:
			if !s.move(ctx, msg) {
				return s, nil
			}
		}
	case EventsMsg, TickMsg, tea.WindowSizeMsg, ShownMsg:
		// New rows, a new size, or back on show: other cards may be on
		// screen.
	default:
		return s, nil
	}
	return s, s.lookupCards(ctx)
}

// lookupCards asks for the cards of the rows on screen that are unknown.
func (s *LiveScreen) lookupCards(ctx *Context) tea.Cmd {
	if !ctx.shown(s) {
		return nil
	}
	v, shift := s.current()
	rows := monitor.Window(v, s.table.offset+shift, max(s.table.page, ctx.Height))
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.Card != nil {
			s.cards.put(*r.Card)
		}
		ids = append(ids, r.CardID)
	}
	return s.cards.lookup(ctx, ids)
}

// Bindings are the keys the Live view answers to.
func (s *LiveScreen) Bindings(ctx *Context) []Binding {
	k := ctx.Keys
	pause := k.Pause
	if s.paused {
		pause.SetHelp(k.Pause.Help().Key, "resume")
	}
	only := k.DeclinesOnly
	if s.declinesOnly {
		only.SetHelp(k.DeclinesOnly.Help().Key, "all events")
	}
	open := k.Enter
	open.SetHelp(k.Enter.Help().Key, "open card")
	return []Binding{pause, only, open, k.Up, k.Down, k.Top, k.Bottom}
}

// Capturing: the Live view takes no text.
func (s *LiveScreen) Capturing() bool { return false }

// selected is the row under the cursor.
func (s *LiveScreen) selected() (monitor.Row, bool) {
	v, shift := s.current()
	return v.At(s.table.cursor + shift)
}

// Open drills into the selected row's card.
func (s *LiveScreen) Open(ctx *Context) (Screen, tea.Cmd, bool) {
	row, ok := s.selected()
	if !ok || row.CardID == "" {
		return nil, nil, false
	}
	// The root initialises the screen it pushes.
	return NewCardDetail(row.CardID), nil, true
}

// SelectedCard is the card of the selected row, once it is known, so that
// f on a live decline freezes that card (after confirmation).
func (s *LiveScreen) SelectedCard() (api.Card, bool) {
	row, ok := s.selected()
	if !ok || row.CardID == "" {
		return api.Card{}, false
	}
	if c, ok := s.cards.card(row.CardID); ok {
		return c, true
	}
	if row.Card != nil && row.Card.LastFour != "" {
		return *row.Card, true
	}
	return api.Card{}, false
}
