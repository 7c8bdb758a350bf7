package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/tui/backend"
)

func TestCommandLine(t *testing.T) {
	e := newEnv(t)
	u, c := e.pickUser(t)
	s := e.start(t, backend.RoleAgent, 100, 30)

	// :user with one match opens the user.
	s.key(":")
	s.key("user " + u.Email)
	s.key("enter")
	s.await(":user to open the user", func(m *model) bool {
		d, ok := topIs[*UserDetail](m)
		return ok && m.active == tabUsers && d.user.ID == u.ID
	})

	// :card with an id opens the card on the Cards view.
	s.key(":")
	s.key("card " + c.ID)
	s.key("enter")
	s.await(":card to open the card", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && m.active == tabCards && d.loaded && d.card.ID == c.ID
	})

	// :card with a last four filters the Cards view (and opens the card
	// when it is the only one).
	s.key(":")
	s.key("card " + c.LastFour)
	s.key("enter")
	s.await(":card with a last four", func(m *model) bool {
		if d, ok := topIs[*CardDetail](m); ok {
			return d.card.LastFour == c.LastFour && len(m.tabs[tabCards]) == 2
		}
		l, ok := m.tabs[tabCards][0].(*CardsScreen)
		return ok && l.query.LastFour == c.LastFour && !l.list.loading && len(l.list.items) > 1
	})

	// An unknown command says so; the views stay as they are.
	s.key(":")
	s.key("frobnicate")
	s.key("enter")
	s.await("the unknown command", func(m *model) bool {
		return m.flashText() == "Unknown command: :frobnicate" && m.flash.msg.Error
	})

	// While the command line is open, q is typed, not a quit.
	s.key(":")
	s.key("q")
	s.await("q in the command line", func(m *model) bool { return m.cmd.open && m.cmd.input.Value() == "q" })
	s.key("esc")

	// Views by number, tab and back.
	s.key("1")
	s.await("the Users view", func(m *model) bool { return m.active == tabUsers })
	s.key("tab")
	s.await("the next view", func(m *model) bool { return m.active == tabCards })
	s.key("esc")
	s.await("back on the Cards view", func(m *model) bool { return len(m.tabs[tabCards]) == 1 })
	s.key("3")
	s.await("the Live view", func(m *model) bool { return m.active == tabLive })

	// :q quits.
	s.key(":")
	s.key("q")
	s.key("enter")
	s.tm.WaitFinished(t)
}

// Every view, the help and the dialogs fit the terminal at every size:
// exactly width × height cells, nothing wrapped or overflowing.
func TestResizeNeverOverflows(t *testing.T) {
	e := newEnv(t)
	u, c := e.pickUser(t)
	s := e.start(t, backend.RoleSupervisor, 120, 40)
	s.openCard(u, c)
	sizes := [][2]int{{80, 24}, {120, 40}, {100, 30}, {60, 16}, {200, 60}, {81, 25}}
	check := func(what string) {
		t.Helper()
		for _, sz := range sizes {
			s.tm.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			var frame string
			s.inspect(func(m *model) { frame = m.render() })
			lines := strings.Split(frame, "\n")
			if len(lines) != sz[1] {
				t.Fatalf("%s at %dx%d: %d lines", what, sz[0], sz[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Fatalf("%s at %dx%d: line %d is %d wide: %q", what, sz[0], sz[1], i, w, ansi.Strip(l))
				}
			}
		}
	}
	check("card detail")
	s.key("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	check("confirm dialog")
	s.key("esc")
	s.key("t")
	s.await("the terminate dialog", dialogIs[*terminateDialog])
	check("terminate dialog")
	s.key("esc")
	s.key("?")
	s.await("the help", func(m *model) bool { return m.help })
	check("help")
	s.key("?")
	s.key("esc")
	s.await("the user's detail", func(m *model) bool { _, ok := topIs[*UserDetail](m); return ok })
	check("user detail")
	s.key("2")
	s.await("the cards", func(m *model) bool {
		l, ok := topIs[*CardsScreen](m)
		return ok && len(l.list.items) > 0
	})
	check("cards")
}

// The theme follows the terminal's background and NO_COLOR, also from an
// SSH client's environment.
func TestThemeFollowsBackgroundAndNoColor(t *testing.T) {
	e := newEnv(t)
	s := e.start(t, backend.RoleViewer, 80, 24)
	s.tm.Send(tea.BackgroundColorMsg{Color: lipgloss.Color("#ffffff")})
	s.await("the light theme", func(m *model) bool { return !m.ctx.Styles.IsDark && !m.ctx.Styles.NoColor })
	s.tm.Send(tea.EnvMsg{"TERM=xterm-256color", "NO_COLOR=1"})
	s.await("no colour", func(m *model) bool { return m.ctx.Styles.NoColor && !m.ctx.Styles.IsDark })
}

func TestCardsFilterAndUsersByLastFour(t *testing.T) {
	e := newEnv(t)
	u, c := e.pickUser(t)
	s := e.start(t, backend.RoleAgent, 120, 40)

	// Users by a card's last four: the card's holder is among them.
	s.key("/")
	s.key(c.LastFour)
	s.key("enter")
	s.await("the holders of cards ending "+c.LastFour, func(m *model) bool {
		us, ok := topIs[*UsersScreen](m)
		if !ok || us.list.loading || us.query != c.LastFour {
			return false
		}
		for _, it := range us.list.items {
			if it.ID == u.ID {
				return true
			}
		}
		return false
	})

	// Cards by status and type.
	s.key("2")
	s.key("/")
	s.key("status:frozen type:physical")
	s.key("enter")
	s.await("frozen physical cards", func(m *model) bool {
		l, ok := topIs[*CardsScreen](m)
		if !ok || l.list.loading || l.query.Status != "frozen" || len(l.list.items) == 0 {
			return false
		}
		for _, it := range l.list.items {
			if it.Status != "frozen" || it.Type != "physical" {
				t.Errorf("card %s is %s %s", it.ID, it.Status, it.Type)
			}
		}
		return true
	})

	// A bad filter says why and keeps the filter in force.
	s.key("/")
	s.tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the line
	s.key("status:lost")
	s.key("enter")
	s.await("the filter error", func(m *model) bool {
		l, ok := topIs[*CardsScreen](m)
		return ok && l.queryErr != nil && l.filter.typing && l.query.Status == "frozen"
	})
	if out := s.screen(); !strings.Contains(out, `Filter status "lost": want inactive, active, frozen or terminated`) {
		t.Fatalf("the error is not shown:\n%s", out)
	}
	s.key("esc")
	s.await("the filter in force again", func(m *model) bool {
		l, ok := topIs[*CardsScreen](m)
		return ok && !l.filter.typing && l.queryErr == nil && l.filter.value == "status:frozen type:physical"
	})
	// esc on the filtered list clears the filter.
	s.key("esc")
	s.await("all cards", func(m *model) bool {
		l, ok := topIs[*CardsScreen](m)
		return ok && l.query.Empty() && !l.list.loading && len(l.list.items) > 0
	})
}

// The next page loads as the cursor nears the end of what is loaded; a
// failure's flash stays past the five seconds an outcome's lasts, until
// dismissed.
func TestPagingAndFlashExpiry(t *testing.T) {
	e := newEnv(t)
	s := e.start(t, backend.RoleViewer, 80, 24)
	var first int
	s.inspect(func(m *model) { first = len(m.top().(*UsersScreen).list.items) })
	if first != pageSize {
		t.Fatalf("first page has %d users, want %d", first, pageSize)
	}
	s.key("G")
	s.await("the second page", func(m *model) bool {
		l := m.top().(*UsersScreen).list
		return !l.loading && len(l.items) > pageSize
	})
	s.key(":")
	s.key("nope")
	s.key("enter")
	s.await("the flash", func(m *model) bool { return m.flashText() != "" })
	e.clock.Advance(4 * time.Second)
	s.tm.Send(tickMsg(e.clock.Now()))
	s.await("the flash to stay", func(m *model) bool { return m.flashText() != "" })
	e.clock.Advance(2 * time.Second)
	s.tm.Send(tickMsg(e.clock.Now()))
	s.await("the failure to stay past five seconds", func(m *model) bool { return m.flashText() != "" })
	s.key("x")
	s.await("the flash dismissed", func(m *model) bool { return m.flashText() == "" })
}
