package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/tui/backend"
)

// TestDriftGoldens: a VaultsPay that has moved on from carddesk's wire
// decisions (sandbox Drift) — cards suspended_by_bank or single_use,
// limits fortnightly, transactions of type fee or disputed, decline codes
// carddesk does not know or none — shows every list whole, its words as
// sent (testdata/TestDriftGoldens, -update rewrites them).
func TestDriftGoldens(t *testing.T) {
	e := newEnvFrom(t, sandbox.Config{Seed: 7, RateLimit: -1, Start: newTestClock().Now(), Drift: true}, nil, nil)
	s := e.start(t, backend.RoleSupervisor, 120, 40)
	snap := func(name string) {
		out := normalise(s.screen())
		t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(out)) })
	}
	snap("users")

	s.key("2")
	var card api.Card
	s.await("a card in a state carddesk does not know", func(m *model) bool {
		c, ok := topIs[*CardsScreen](m)
		if !ok || c.list.loading {
			return false
		}
		for i, it := range c.list.items {
			if !it.Status.Known() {
				c.list.table.SetCursor(i, len(c.list.items))
				card = it
				return true
			}
		}
		return false
	})
	snap("cards")
	if out := s.screen(); !strings.Contains(out, string(card.Status)) {
		t.Errorf("the card's state %q does not show:\n%s", card.Status, out)
	}

	s.key("enter")
	s.await("the card's detail", cardDetailReady)
	snap("card_detail")

	// What carddesk cannot judge, it does not loosen; what protects the
	// customer it offers, and the provider decides.
	s.key("u")
	s.await("unfreeze refused, saying why", func(m *model) bool {
		return strings.Contains(m.flashText(), "a state carddesk does not know")
	})
	s.key("f")
	s.await("the freeze confirmation", dialogIs[*confirmDialog])
	s.key("n")
	s.await("the dialog to close", func(m *model) bool { return m.dialog == nil })
}
