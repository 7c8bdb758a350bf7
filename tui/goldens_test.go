package tui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/carddesk/carddesk/tui/backend"
)

// TestGoldens renders each view and dialog at 80×24 and 120×40 and
// compares the model's own rendering, without styles, with
// testdata/TestGoldens/<size>/<view>.golden (go test ./tui -update
// rewrites them). Dates are masked: the sandbox dates its book from when it
// is seeded.
func TestGoldens(t *testing.T) {
	if *sandboxDrift {
		t.Skip("-sandbox.drift: these goldens pin the book as the references describe it; TestDriftGoldens pins a drifting one")
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			e := newEnv(t)
			u, _ := e.pickUser(t)
			s := e.start(t, backend.RoleSupervisor, size[0], size[1])
			snap := func(name string) {
				out := normalise(s.screen())
				t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(out)) })
			}
			snap("users")

			s.key("?")
			s.await("the help screen", func(m *model) bool { return m.help })
			snap("help")
			s.key("?")

			s.key("/")
			s.key(u.Email)
			s.key("enter")
			s.await("the search", func(m *model) bool {
				us, ok := topIs[*UsersScreen](m)
				return ok && !us.list.loading && len(us.list.items) == 1
			})
			s.key("enter")
			s.await("the user's detail", func(m *model) bool {
				d, ok := topIs[*UserDetail](m)
				return ok && d.user.CreatedAt.Unix() > 0 && d.accounts != nil && !d.cards.loading && len(d.cards.items) > 0
			})
			snap("user_detail")

			s.key("enter")
			s.await("the card's detail", cardDetailReady)
			snap("card_detail")

			s.key("f")
			s.await("the confirm dialog", dialogIs[*confirmDialog])
			snap("confirm")
			s.key("n")

			s.key("t")
			s.await("the terminate dialog", dialogIs[*terminateDialog])
			snap("terminate")
			s.key("esc")
			s.await("the dialog to close", func(m *model) bool { return m.dialog == nil })

			s.key("2")
			s.await("the cards", func(m *model) bool {
				c, ok := topIs[*CardsScreen](m)
				return ok && !c.list.loading && len(c.list.items) > 0
			})
			snap("cards")
		})
	}
}

// cardDetailReady: the card, its holder and its transactions are loaded.
func cardDetailReady(m *model) bool {
	d, ok := topIs[*CardDetail](m)
	return ok && d.loaded && d.holder != "" && !d.txs.loading && d.txs.gen > 0
}

// dialogIs reports whether the open dialog is a T.
func dialogIs[T Dialog](m *model) bool {
	_, ok := m.dialog.(T)
	return ok
}
