package tui

import (
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

func TestErrorText(t *testing.T) {
	ctx := &Context{}
	conflict := &api.Error{Provider: "vaultspay", Status: 409, Code: "card_state", Message: "Card is frozen.", RequestID: "req_1"}
	terminated := &api.Error{Provider: "vaultspay", Status: 409, Code: "invalid_card_state", Message: "Card c1 is terminated and cannot be frozen.", RequestID: "req_3"}
	tests := []struct {
		name   string
		action backend.Action
		err    error
		want   string
	}{
		{"conflict on freeze, card not read again", backend.ActionFreeze, fmt.Errorf("freeze card c1: %w", conflict), "Card is frozen (request req_1)"},
		{"conflict on freeze, the card is frozen", backend.ActionFreeze,
			&backend.ConflictError{Err: conflict, Card: api.Card{ID: "c1", Status: api.CardFrozen}}, "it is already frozen — Card is frozen (request req_1)"},
		{"conflict on freeze, the card is terminated", backend.ActionFreeze,
			&backend.ConflictError{Err: terminated, Card: api.Card{ID: "c1", Status: api.CardTerminated}}, "Card c1 is terminated and cannot be frozen (request req_3)"},
		{"conflict on unfreeze, the card is active", backend.ActionUnfreeze,
			&backend.ConflictError{Err: conflict, Card: api.Card{ID: "c1", Status: api.CardActive}}, "it is not frozen — Card is frozen (request req_1)"},
		{"provider message", backend.ActionFreeze,
			&api.Error{Status: 400, Message: "bad\x1b]52;c;ZXZpbA==\a thing 4111 1111 1111 1111.", RequestID: "req_2"},
			"Bad thing •••• 1111 (request req_2)"},
		{"refusal", backend.ActionTerminate, &backend.RefusedError{Action: backend.ActionTerminate, CardID: "c1", Why: "your role (agent) cannot terminate cards"},
			"Your role (agent) cannot terminate cards"},
		{"network", backend.ActionFreeze, fmt.Errorf("freeze card c1: %w", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}),
			"The provider did not answer: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := actionErrorText(ctx, tt.action, tt.err); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestApplyCardEvent(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	card := api.Card{ID: "c1", UserID: "u1", LastFour: "4821", Status: api.CardActive, UpdatedAt: t0}
	tests := []struct {
		name       string
		ev         api.Event
		wantStatus api.CardStatus
		changed    bool
	}{
		{"frozen, status only", api.Event{Type: api.EventCardFrozen, CreatedAt: t0.Add(time.Second), Card: &api.Card{ID: "c1"}}, api.CardFrozen, true},
		{"another card", api.Event{Type: api.EventCardFrozen, CreatedAt: t0.Add(time.Second), Card: &api.Card{ID: "c2"}}, api.CardActive, false},
		{"older than shown", api.Event{Type: api.EventCardFrozen, CreatedAt: t0.Add(-time.Second), Card: &api.Card{ID: "c1"}}, api.CardActive, false},
		{"whole card", api.Event{Type: api.EventCardTerminated, CreatedAt: t0.Add(time.Second),
			Card: &api.Card{ID: "c1", UserID: "u1", LastFour: "4821", Status: api.CardTerminated, UpdatedAt: t0.Add(time.Second)}}, api.CardTerminated, true},
		{"transaction", api.Event{Type: api.EventTxDeclined, Transaction: &api.Transaction{CardID: "c1"}}, api.CardActive, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := card
			if got := applyCardEvent(&c, tt.ev); got != tt.changed || c.Status != tt.wantStatus {
				t.Fatalf("changed %v status %s; want %v %s", got, c.Status, tt.changed, tt.wantStatus)
			}
		})
	}
}

func TestFeedDelay(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		last, now time.Time
		want      time.Duration
	}{
		{"first batch", time.Time{}, t0, 0},
		{"long after", t0, t0.Add(time.Second), 0},
		{"just at the bound", t0, t0.Add(feedEvery), 0},
		{"30ms after", t0, t0.Add(30 * time.Millisecond), 70 * time.Millisecond},
		{"at once", t0, t0, feedEvery},
		{"clock went back", t0, t0.Add(-time.Second), feedEvery},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feedDelay(tt.last, tt.now); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPhoneText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+4915764939294", "+4915764939294"}, // Luhn-valid, but a phone number
		{"+971 50 123 4567", "+971 50 123 4567"},
		{"4111111111111111", "•••• 1111"},
		{"+44\x1b[2J7700", "+447700"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := phoneText(tt.in); got != tt.want {
			t.Errorf("phoneText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
