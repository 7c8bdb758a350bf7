package vydapay

import (
	"fmt"

	"github.com/carddesk/carddesk/api"
)

// The vocabulary mapping between Vydapay's words and api's, both ways.
// Switches rather than maps, so that no package state exists.

func cardStatusFromWire(s string) (api.CardStatus, error) {
	switch s {
	case "active":
		return api.CardActive, nil
	case "frozen":
		return api.CardFrozen, nil
	case "cancelled":
		return api.CardTerminated, nil
	}
	return "", fmt.Errorf("field status: unknown card status %q (want active, frozen or cancelled)", clip(s))
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

func cardTypeFromWire(s string) (api.CardType, error) {
	switch s {
	case "virtual":
		return api.CardVirtual, nil
	case "physical":
		return api.CardPhysical, nil
	}
	return "", fmt.Errorf("field type: unknown card type %q (want virtual or physical)", clip(s))
}

func cardTypeToWire(t api.CardType) (string, error) {
	switch t {
	case api.CardVirtual, api.CardPhysical:
		return string(t), nil
	}
	return "", fmt.Errorf("%w: unknown card type %q", api.ErrInvalid, clip(string(t)))
}

func intervalFromWire(s string) (api.Interval, error) {
	switch i := api.Interval(s); i {
	case api.PerTransaction, api.Daily, api.Weekly, api.Monthly, api.Yearly, api.AllTime:
		return i, nil
	}
	return "", fmt.Errorf("field spending_limit.interval: unknown interval %q", clip(s))
}

func txStatusFromWire(s string) (api.TxStatus, error) {
	switch s {
	case "pending":
		return api.TxPending, nil
	case "completed":
		return api.TxSettled, nil
	case "declined":
		return api.TxDeclined, nil
	case "refunded":
		return api.TxRefunded, nil
	}
	return "", fmt.Errorf("field status: unknown transaction status %q (want pending, completed, declined or refunded)", clip(s))
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

func txTypeFromWire(s string) (api.TxType, error) {
	switch t := api.TxType(s); t {
	case api.TxPurchase, api.TxRefund, api.TxATM:
		return t, nil
	}
	return "", fmt.Errorf("field type: unknown transaction type %q (want purchase, refund or atm_withdrawal)", clip(s))
}

func txTypeToWire(t api.TxType) (string, error) {
	switch t {
	case api.TxPurchase, api.TxRefund, api.TxATM:
		return string(t), nil
	case api.TxTransfer:
		return "", fmt.Errorf("%w: Vydapay has no transfer transactions", api.ErrInvalid)
	}
	return "", fmt.Errorf("%w: unknown transaction type %q", api.ErrInvalid, clip(string(t)))
}

// DeclineReason maps a Vydapay decline code onto the normalised reason; a
// code it does not know is api.DeclineUnknown (the caller keeps the code).
func DeclineReason(code string) api.DeclineReason {
	switch code {
	case DeclineCardFrozen:
		return api.DeclineCardFrozen
	case DeclineCardCancelled:
		return api.DeclineCardTerminated
	case DeclineCardExpired:
		return api.DeclineCardExpired
	case DeclineInsufficientFunds:
		return api.DeclineInsufficient
	case DeclineSpendingLimit:
		return api.DeclineSpendingLimit
	case DeclineCategoryBlocked, DeclineCategoryNotAllowed:
		return api.DeclineCategoryBlocked
	case DeclineCountryBlocked, DeclineCountryNotAllowed:
		return api.DeclineCountryBlocked
	case DeclineMerchantNotAllowed:
		return api.DeclineMerchantBlocked
	case DeclineIncorrectCVC:
		return api.DeclineIncorrectCVC
	case DeclineSuspectedFraud:
		return api.DeclineSuspectedFraud
	case DeclineProcessingError:
		return api.DeclineSystem
	}
	return api.DeclineUnknown
}
