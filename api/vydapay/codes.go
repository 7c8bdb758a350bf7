package vydapay

import (
	"fmt"

	"github.com/carddesk/carddesk/api"
)

// The vocabulary mapping between Vydapay's words and api's, both ways.
// Switches rather than maps, so that no package state exists.
//
// Reading is tolerant (DESIGN §3): a word Vydapay sends that is not in its
// reference is kept as sent (api's Known says it is not a normalised one),
// so that a status or type added one day shows as is instead of failing
// the page, the detail or the webhook it came in. Writing is strict: a
// filter or a request carries only words the reference has.

func cardStatusFromWire(s string) api.CardStatus {
	if s == "cancelled" {
		return api.CardTerminated
	}
	return api.CardStatus(s)
}

// cardStatusToWire refuses inactive: Vydapay cards are never inactive.
func cardStatusToWire(s api.CardStatus) (string, error) {
	switch s {
	case api.CardActive:
		return "active", nil
	case api.CardFrozen:
		return "frozen", nil
	case api.CardTerminated:
		return "cancelled", nil
	case api.CardInactive:
		return "", fmt.Errorf("%w: Vydapay has no inactive cards", api.ErrInvalid)
	}
	return "", fmt.Errorf("%w: unknown card status %q", api.ErrInvalid, clip(string(s)))
}

func cardTypeFromWire(s string) api.CardType { return api.CardType(s) }

func cardTypeToWire(t api.CardType) (string, error) {
	switch t {
	case api.CardVirtual, api.CardPhysical:
		return string(t), nil
	}
	return "", fmt.Errorf("%w: unknown card type %q", api.ErrInvalid, clip(string(t)))
}

func intervalFromWire(s string) api.Interval { return api.Interval(s) }

// txStatusFromWire keeps "settled" and "reversed", which Vydapay does not
// document, as they come: only "completed" is Vydapay's word for settled.
func txStatusFromWire(s string) api.TxStatus {
	if s == "completed" {
		return api.TxSettled
	}
	return api.TxStatus(s)
}

// txStatusToWire refuses reversed: Vydapay has no reversals.
func txStatusToWire(s api.TxStatus) (string, error) {
	switch s {
	case api.TxPending:
		return "pending", nil
	case api.TxSettled:
		return "completed", nil
	case api.TxDeclined:
		return "declined", nil
	case api.TxRefunded:
		return "refunded", nil
	case api.TxReversed:
		return "", fmt.Errorf("%w: Vydapay has no reversed transactions", api.ErrInvalid)
	}
	return "", fmt.Errorf("%w: unknown transaction status %q", api.ErrInvalid, clip(string(s)))
}

func txTypeFromWire(s string) api.TxType { return api.TxType(s) }

func txTypeToWire(t api.TxType) (string, error) {
	switch t {
	case api.TxPurchase, api.TxRefund, api.TxATM:
		return string(t), nil
	case api.TxTransfer:
		return "", fmt.Errorf("%w: Vydapay has no transfer transactions", api.ErrInvalid)
	}
	return "", fmt.Errorf("%w: unknown transaction type %q", api.ErrInvalid, clip(string(t)))
}
