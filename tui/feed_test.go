package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// testRelay is a relay subscription the test feeds by hand.
type testRelay struct {
	ch chan []live.Record
}

func (r *testRelay) Events() <-chan []live.Record { return r.ch }
func (r *testRelay) State() live.State            { return live.StateLive }
func (r *testRelay) Err() error                   { return nil }

func (r *testRelay) send(t *testing.T, seq uint64, ev api.Event) {
	t.Helper()
	rec, err := live.NewRecord(ev, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec.Seq = seq
	r.ch <- []live.Record{rec}
}

// runBackend runs the backend for the test.
func runBackend(t *testing.T, be *backend.Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- be.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("backend Run: %v", err)
		}
	})
}

// A card.frozen event turns the card frozen in the Cards list and in its
// detail at once; a declined transaction shows at the top of the card's
// transactions with its reason; both reach the Live ring and the stats.
func TestEventsPatchEveryScreen(t *testing.T) {
	relay := &testRelay{ch: make(chan []live.Record, 4)}
	e := newEnvWith(t, relay)
	runBackend(t, e.be)
	s := e.start(t, backend.RoleAgent, 120, 40)

	s.key("2")
	var card api.Card
	s.await("an active card in the Cards list", func(m *model) bool {
		c, ok := topIs[*CardsScreen](m)
		if !ok || c.list.loading {
			return false
		}
		for i, it := range c.list.items {
			if it.Status == api.CardActive {
				c.list.table.SetCursor(i, len(c.list.items))
				card = it
				return true
			}
		}
		return false
	})
	s.key("enter")
	s.await("the card's detail", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.loaded && d.card.ID == card.ID && !d.txs.loading
	})

	now := time.Now().UTC()
	relay.send(t, 1, api.Event{
		ID: "evt_test_frozen", Provider: "vaultspay", Type: api.EventCardFrozen, CreatedAt: now,
		Card: &api.Card{ID: card.ID, Status: api.CardFrozen, UpdatedAt: now},
	})
	relay.send(t, 2, api.Event{
		ID: "evt_test_declined", Provider: "vaultspay", Type: api.EventTxDeclined, CreatedAt: now,
		Transaction: &api.Transaction{
			ID: "tx_test_declined", CardID: card.ID, UserID: card.UserID, Status: api.TxDeclined, Type: api.TxPurchase,
			Amount: api.Money{Amount: 1250, Currency: "BHD"}, CreatedAt: now,
			Merchant: api.Merchant{Name: "EVIL\x1b]52;c;ZXZpbA==\aSHOP", City: "Manama", Country: "BH"},
			Decline:  &api.Decline{Reason: api.DeclineCardFrozen, Code: "card_frozen"},
		},
	})
	s.await("the events everywhere", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		list := m.tabs[tabCards][0].(*CardsScreen)
		inList := false
		for _, c := range list.list.items {
			if c.ID == card.ID && c.Status == api.CardFrozen {
				inList = true
			}
		}
		return ok && d.card.Status == api.CardFrozen && inList &&
			len(d.txs.items) > 0 && d.txs.items[0].ID == "tx_test_declined" && m.ctx.Ring.Len() == 2
	})
	out := s.screen()
	for _, want := range []string{"frozen", "BHD 1.250", "EVILSHOP", "card frozen (card state)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the screen lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ZXZpbA") {
		t.Errorf("an escape sequence reached the screen:\n%s", out)
	}
}
