package tui

import (
	"context"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/monitor"
)

// Context is what every screen and dialog shares within one session: the
// terminal size, the theme, the keymap, the backend, who is at the keyboard,
// and the live data. It is passed in, never global.
type Context struct {
	Width, Height int
	Styles        *Styles
	Keys          *KeyMap
	Backend       *backend.Backend
	Actor         backend.Actor
	Now           func() time.Time
	// Ring holds the Live view's retained events; Stats the decline figures
	// for the last hour. Both are fed by the root from the backend's feed.
	Ring  *monitor.Ring
	Stats *monitor.DeclineStats

	// io is the parent of every command's I/O: the root cancels it when the
	// session ends, so that nothing it started outlives it.
	io context.Context
	// holders maps user ids to names this session has seen, so that card
	// lists can name a card's holder without asking the provider.
	holders map[string]string
	// output shows revealed values (Options.Output); nil when this session
	// has none.
	output *Output
	// top is the screen on show; nil outside a model (tests of one screen),
	// where every screen counts as shown.
	top func() Screen
	// messages is the session's log of failures and outcomes (:messages).
	messages messageLog
	// health is the backend's health as the root last read it (each
	// tick); nil outside a model, where the live views count as current.
	health *backend.Health
	// readsWait says why the agents' reads wait for the rate limit, as of
	// the last tick; "" when they do not.
	readsWait string
}

// shown reports whether s is the screen on show. Screens that fetch for
// what they draw (the cards of Live's rows) fetch only while shown: one
// hidden behind another would otherwise ask the provider for rows nobody
// sees, at the rate events arrive.
func (c *Context) shown(s Screen) bool {
	return c.top == nil || c.top() == s
}

// maxHolders bounds the session's holder-name memory.
const maxHolders = 10_000

// IO is the context every command of this session runs its I/O under; it is
// cancelled when the session ends.
func (c *Context) IO() context.Context {
	if c.io == nil {
		return context.Background()
	}
	return c.io
}

// now is the session's clock, wall time when none was given.
func (c *Context) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// rememberUser keeps the user's name for card lists.
func (c *Context) rememberUser(u api.User) {
	if u.ID == "" {
		return
	}
	if c.holders == nil || len(c.holders) >= maxHolders {
		c.holders = map[string]string{}
	}
	c.holders[u.ID] = u.Name()
}

// holder names a card's holder: the name when this session has seen the
// user, else the user id.
func (c *Context) holder(userID string) string {
	if n, ok := c.holders[userID]; ok && n != "" {
		return n
	}
	return userID
}
