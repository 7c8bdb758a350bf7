package vydapay

import (
	"errors"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestDeclineReason(t *testing.T) {
	tests := []struct {
		code string
		want api.DeclineReason
	}{
		{DeclineCardFrozen, api.DeclineCardFrozen},
		{DeclineCardCancelled, api.DeclineCardTerminated},
		{DeclineCardExpired, api.DeclineCardExpired},
		{DeclineInsufficientFunds, api.DeclineInsufficient},
		{DeclineSpendingLimit, api.DeclineSpendingLimit},
		{DeclineCategoryBlocked, api.DeclineCategoryBlocked},
		{DeclineCategoryNotAllowed, api.DeclineCategoryBlocked},
		{DeclineCountryBlocked, api.DeclineCountryBlocked},
		{DeclineCountryNotAllowed, api.DeclineCountryBlocked},
		{DeclineMerchantNotAllowed, api.DeclineMerchantBlocked},
		{DeclineIncorrectCVC, api.DeclineIncorrectCVC},
		{DeclineSuspectedFraud, api.DeclineSuspectedFraud},
		{DeclineProcessingError, api.DeclineSystem},
		{"do_not_honor", api.DeclineUnknown},
		{"", api.DeclineUnknown},
		{"CARD_FROZEN", api.DeclineUnknown},
	}
	for _, tt := range tests {
		if got := DeclineReason(tt.code); got != tt.want {
			t.Errorf("DeclineReason(%q) = %s, want %s", tt.code, got, tt.want)
		}
	}
}

func TestStatusesBothWays(t *testing.T) {
	cards := []struct {
		wire string
		api  api.CardStatus
	}{{"active", api.CardActive}, {"frozen", api.CardFrozen}, {"cancelled", api.CardTerminated}}
	for _, tt := range cards {
		got, err := cardStatusFromWire(tt.wire)
		if err != nil || got != tt.api {
			t.Errorf("card status %q → %q, %v; want %q", tt.wire, got, err, tt.api)
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
		got, err := txStatusFromWire(tt.wire)
		if err != nil || got != tt.api {
			t.Errorf("tx status %q → %q, %v; want %q", tt.wire, got, err, tt.api)
		}
		back, err := txStatusToWire(tt.api)
		if err != nil || back != tt.wire {
			t.Errorf("tx status %q → %q, %v; want %q", tt.api, back, err, tt.wire)
		}
	}
	for _, w := range []string{"purchase", "refund", "atm_withdrawal"} {
		got, err := txTypeFromWire(w)
		if err != nil || string(got) != w {
			t.Errorf("tx type %q → %q, %v", w, got, err)
		}
		if back, err := txTypeToWire(got); err != nil || back != w {
			t.Errorf("tx type %q → %q, %v", got, back, err)
		}
	}
	for _, w := range []string{"virtual", "physical"} {
		got, err := cardTypeFromWire(w)
		if err != nil || string(got) != w {
			t.Errorf("card type %q → %q, %v", w, got, err)
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
	fromWire := []struct {
		name, field string
		fn          func() error
	}{
		{"card status", "status", func() error { _, err := cardStatusFromWire("inactive"); return err }},
		{"card type", "type", func() error { _, err := cardTypeFromWire(""); return err }},
		{"tx status", "status", func() error { _, err := txStatusFromWire("settled"); return err }},
		{"tx type", "type", func() error { _, err := txTypeFromWire("transfer"); return err }},
		{"interval", "spending_limit.interval", func() error { _, err := intervalFromWire("fortnightly"); return err }},
	}
	for _, tt := range fromWire {
		if err := tt.fn(); err == nil || !strings.Contains(err.Error(), "field "+tt.field+":") {
			t.Errorf("%s: %v; want an error naming field %s", tt.name, err, tt.field)
		}
	}
}
