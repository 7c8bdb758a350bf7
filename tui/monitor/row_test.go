package monitor

import (
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestRowOf(t *testing.T) {
	tx := &api.Transaction{ID: "tx_1", CardID: "card_1", UserID: "usr_1", Status: api.TxDeclined,
		Decline: &api.Decline{Reason: api.DeclineCardFrozen}, CreatedAt: t0}
	card := &api.Card{ID: "card_2", UserID: "usr_2", Status: api.CardFrozen}
	tests := []struct {
		name       string
		ev         api.Event
		wantCard   string
		wantUser   string
		wantAt     bool // At equals t0
		declined   bool
		attempt    bool
		wantReason api.DeclineReason
	}{
		{"declined transaction, time from the transaction",
			api.Event{Type: api.EventTxDeclined, Provider: "vydapay", Transaction: tx},
			"card_1", "usr_1", true, true, true, api.DeclineCardFrozen},
		{"card event",
			api.Event{Type: api.EventCardFrozen, Provider: "vaultspay", Card: card, CreatedAt: t0},
			"card_2", "usr_2", true, false, false, ""},
		{"card event, time from the card's last update",
			api.Event{Type: api.EventCardUnfrozen, Card: &api.Card{ID: "card_6", UserID: "usr_6", UpdatedAt: t0}},
			"card_6", "usr_6", true, false, false, ""},
		{"declined without a reason is unknown",
			api.Event{Type: api.EventTxDeclined, Transaction: &api.Transaction{CardID: "card_3"}, CreatedAt: t0},
			"card_3", "", true, true, true, api.DeclineUnknown},
		{"approved",
			api.Event{Type: api.EventTxAuthorized, Transaction: &api.Transaction{CardID: "card_4", Status: api.TxPending}},
			"card_4", "", false, false, true, ""},
		{"settled transaction is no attempt",
			api.Event{Type: api.EventTxSettled, Transaction: &api.Transaction{CardID: "card_5", Status: api.TxSettled}},
			"card_5", "", false, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := RowOf(42, tt.ev)
			if r.Seq != 42 || r.Type != tt.ev.Type || r.Provider != tt.ev.Provider {
				t.Errorf("row = %+v", r)
			}
			if r.CardID != tt.wantCard || r.UserID != tt.wantUser {
				t.Errorf("card, user = %q, %q; want %q, %q", r.CardID, r.UserID, tt.wantCard, tt.wantUser)
			}
			if r.At.Equal(t0) != tt.wantAt {
				t.Errorf("At = %v", r.At)
			}
			if r.Declined() != tt.declined || r.Attempt() != tt.attempt || r.Reason() != tt.wantReason {
				t.Errorf("declined %v attempt %v reason %q; want %v %v %q",
					r.Declined(), r.Attempt(), r.Reason(), tt.declined, tt.attempt, tt.wantReason)
			}
			if r.Tx != tt.ev.Transaction || r.Card != tt.ev.Card {
				t.Error("row does not carry the event's transaction and card")
			}
		})
	}
}

func TestReasonIndexMatchesAPI(t *testing.T) {
	all := api.DeclineReasons()
	if len(all) != numReasons {
		t.Fatalf("api has %d decline reasons, numReasons is %d", len(all), numReasons)
	}
	for i, r := range all {
		if got := reasonIndex(r); got != i {
			t.Errorf("reasonIndex(%q) = %d, want %d", r, got, i)
		}
	}
	if got := reasonIndex("made_up"); all[got] != api.DeclineUnknown {
		t.Errorf("an unknown reason counts as %q", all[got])
	}
}
