package monitor

import (
	"slices"
	"testing"
	"time"

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
		{"declined without a reason: not given",
			api.Event{Type: api.EventTxDeclined, Transaction: &api.Transaction{CardID: "card_3"}, CreatedAt: t0},
			"card_3", "", true, true, true, api.DeclineNotGiven},
		{"declined with a code carddesk does not know: other",
			api.Event{Type: api.EventTxDeclined, Transaction: &api.Transaction{CardID: "card_7", Status: api.TxDeclined,
				Decline: &api.Decline{Reason: api.DeclineOther, Code: "velocity_exceeded"}}, CreatedAt: t0},
			"card_7", "", true, true, true, api.DeclineOther},
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
	if got := reasonIndex("made_up"); all[got] != api.DeclineOther {
		t.Errorf("an unknown reason counts as %q", all[got])
	}
	if got := reasonIndex(""); all[got] != api.DeclineNotGiven {
		t.Errorf("no reason counts as %q", all[got])
	}
}

// A row of an event type carddesk does not know shows the provider's name.
func TestRowTypeName(t *testing.T) {
	r := RowOf(1, api.Event{Type: api.EventUnknown, ProviderType: "transaction.updated", CreatedAt: t0})
	if got := r.TypeName(); got != "transaction.updated" {
		t.Errorf("TypeName = %q", got)
	}
	r = RowOf(2, api.Event{Type: api.EventCardFrozen, ProviderType: "card.frozen", CreatedAt: t0})
	if got := r.TypeName(); got != "card.frozen" {
		t.Errorf("TypeName = %q", got)
	}
}

// An inference made when the event arrived is the row's reason, labelled
// so, and is counted apart from the same reason given by a provider.
func TestInferredReasonCountedApart(t *testing.T) {
	s := NewDeclineStats(StatsConfig{Clock: func() time.Time { return t0 }})
	given := RowOf(1, api.Event{Type: api.EventTxDeclined, CreatedAt: t0, Transaction: &api.Transaction{CardID: "card_1",
		Status: api.TxDeclined, Decline: &api.Decline{Reason: api.DeclineCardFrozen, Code: "card_frozen"}}})
	inferred := RowOf(2, api.Event{Type: api.EventTxDeclined, CreatedAt: t0, Transaction: &api.Transaction{CardID: "card_2",
		Status: api.TxDeclined, Decline: &api.Decline{Reason: api.DeclineNotGiven}}})
	inferred.Why = &api.Decline{Reason: api.DeclineCardFrozen, Inferred: true, Basis: "the card was frozen"}
	none := RowOf(3, api.Event{Type: api.EventTxDeclined, CreatedAt: t0, Transaction: &api.Transaction{CardID: "card_3",
		Status: api.TxDeclined, Decline: &api.Decline{Reason: api.DeclineNotGiven}}})
	for _, r := range []Row{given, inferred, inferred, none} {
		s.Add(r)
	}
	if d := inferred.Decline(); !d.Inferred || d.Reason != api.DeclineCardFrozen {
		t.Errorf("inferred row's decline %+v", d)
	}
	got := s.Top(t0, 10).Reasons
	want := []ReasonCount{
		{Reason: api.DeclineCardFrozen, Group: api.GroupCardState, Inferred: true, Count: 2},
		{Reason: api.DeclineCardFrozen, Group: api.GroupCardState, Count: 1},
		{Reason: api.DeclineNotGiven, Group: api.GroupNotGiven, Count: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("reasons %+v\nwant    %+v", got, want)
	}
}
