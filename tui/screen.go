package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
)

// Screen is one view or detail pane. The root model owns the header, the
// footer, the tabs, the navigation stack, the dialogs and the command line;
// a screen owns its own content and keys.
//
// Screens never do I/O in Update or View: they return commands, and each
// command's answer carries the request id it was sent with so that a stale
// answer (an older page, a superseded search) is dropped.
type Screen interface {
	// Title names the screen in the header breadcrumb ("Cards", "Card •••• 4821").
	Title() string
	// Init starts the screen's first load.
	Init(ctx *Context) tea.Cmd
	// Update handles a message the root did not consume. It returns the
	// screen (possibly a new one) and a command.
	Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd)
	// View renders the screen into exactly width × height cells.
	View(ctx *Context, width, height int) string
	// Bindings are the keys this screen handles, for the footer and help.
	Bindings(ctx *Context) []Binding
	// Capturing reports whether the screen is taking text input (a filter
	// being typed), so the root passes every key to it.
	Capturing() bool
}

// CardSelector is a screen with a selected card, which the card actions
// (freeze, unfreeze, reveal, terminate, activate) act on.
type CardSelector interface {
	SelectedCard() (api.Card, bool)
}

// Opener is a screen that can drill down: enter on the selected row
// returns the screen to push (a user's detail, a card's detail). The root
// runs the pushed screen's Init; the returned command is for anything else.
type Opener interface {
	Open(ctx *Context) (Screen, tea.Cmd, bool)
}

// PushMsg asks the root to push a screen onto the navigation stack.
type PushMsg struct{ Screen Screen }

// FlashMsg shows a one-line message in the footer: an outcome for a few
// seconds, a failure until it is dismissed or another message replaces
// it. Every one goes to the session's message log (:messages) in full.
type FlashMsg struct {
	Text  string
	Error bool
	// RequestID is the provider's id of the request the message is about,
	// kept apart from Text so that the footer never cuts it off.
	RequestID string
}
