package vydapay

import (
	"errors"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestStatusesBothWays(t *testing.T) {
	cards := []struct {
		wire string
		api  api.CardStatus
	}{{"active", api.CardActive}, {"frozen", api.CardFrozen}, {"cancelled", api.CardTerminated}}
	for _, tt := range cards {
		if got := cardStatusFromWire(tt.wire); got != tt.api {
			t.Errorf("card status %q → %q; want %q", tt.wire, got, tt.api)
		}
		back, err := cardStatusToWire(tt.api)
		if err != nil || back != tt.wire {
			t.Errorf("card status %q → %q, %v; want %q", tt.api, back, err, tt.wire)
		}
	}
	txs := []struct {
		wire string
		api  api.TxStatus
	}{{"pending", api.TxPending}, {"completed", api.TxSettled}, {"declined", api.TxDeclined}, {"refunded", api.TxRefunded}}
	for _, tt := range txs {
		if got := txStatusFromWire(tt.wire); got != tt.api {
			t.Errorf("tx status %q → %q; want %q", tt.wire, got, tt.api)
		}
		back, err := txStatusToWire(tt.api)
		if err != nil || back != tt.wire {
			t.Errorf("tx status %q → %q, %v; want %q", tt.api, back, err, tt.wire)
		}
	}
	for _, w := range []string{"purchase", "refund", "atm_withdrawal"} {
		got := txTypeFromWire(w)
		if string(got) != w || !got.Known() {
			t.Errorf("tx type %q → %q", w, got)
		}
		if back, err := txTypeToWire(got); err != nil || back != w {
			t.Errorf("tx type %q → %q, %v", got, back, err)
		}
	}
	for _, w := range []string{"virtual", "physical"} {
		got := cardTypeFromWire(w)
		if string(got) != w || !got.Known() {
			t.Errorf("card type %q → %q", w, got)
		}
		if back, err := cardTypeToWire(got); err != nil || back != w {
			t.Errorf("card type %q → %q, %v", got, back, err)
		}
	}
}

func TestStatusesRefused(t *testing.T) {
	toWire := []struct {
		name string
		fn   func() (string, error)
	}{
		{"inactive card", func() (string, error) { return cardStatusToWire(api.CardInactive) }},
		{"unknown card status", func() (string, error) { return cardStatusToWire("lost") }},
		{"reversed tx", func() (string, error) { return txStatusToWire(api.TxReversed) }},
		{"unknown tx status", func() (string, error) { return txStatusToWire("settled ") }},
		{"transfer", func() (string, error) { return txTypeToWire(api.TxTransfer) }},
		{"unknown tx type", func() (string, error) { return txTypeToWire("fee") }},
		{"unknown card type", func() (string, error) { return cardTypeToWire("metal") }},
	}
	for _, tt := range toWire {
		if got, err := tt.fn(); !errors.Is(err, api.ErrInvalid) {
			t.Errorf("%s: %q, %v; want ErrInvalid", tt.name, got, err)
		}
	}
}

// A word the reference does not have is kept as Vydapay sent it, and said
// to be unknown: it never fails the object it comes in.
func TestUnknownWordsKeptAsSent(t *testing.T) {
	tests := []struct {
		name  string
		got   string
		known bool
	}{
		{"card status", string(cardStatusFromWire("suspended_by_bank")), cardStatusFromWire("suspended_by_bank").Known()},
		{"card type", string(cardTypeFromWire("single_use")), cardTypeFromWire("single_use").Known()},
		{"tx status", string(txStatusFromWire("reversed_by_network")), txStatusFromWire("reversed_by_network").Known()},
		{"tx type", string(txTypeFromWire("fee")), txTypeFromWire("fee").Known()},
		{"interval", string(intervalFromWire("fortnightly")), intervalFromWire("fortnightly").Known()},
	}
	want := map[string]string{"card status": "suspended_by_bank", "card type": "single_use", "tx status": "reversed_by_network",
		"tx type": "fee", "interval": "fortnightly"}
	for _, tt := range tests {
		if tt.got != want[tt.name] || tt.known {
			t.Errorf("%s: %q (known %v), want %q kept as unknown", tt.name, tt.got, tt.known, want[tt.name])
		}
	}
	if got := txStatusFromWire(""); got.Known() {
		t.Errorf("an absent status reads as known %q", got)
	}
}
