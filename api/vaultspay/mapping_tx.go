package vaultspay

import (
	"github.com/carddesk/carddesk/api"
)

// DeclineReason maps a VaultsPay decline code onto the normalised reason:
// a code it does not know is api.DeclineOther (the caller keeps the code),
// and no code at all api.DeclineNotGiven.
func DeclineReason(code string) api.DeclineReason {
	switch code {
	case "":
		return api.DeclineNotGiven
	case DeclineCardFrozen:
		return api.DeclineCardFrozen
	case DeclineCardTerminated:
		return api.DeclineCardTerminated
	case DeclineCardExpired:
		return api.DeclineCardExpired
	case DeclineCardInactive:
		return api.DeclineCardInactive
	case DeclineInsufficient:
		return api.DeclineInsufficient
	case DeclineLimitExceeded:
		return api.DeclineSpendingLimit
	case DeclineMCCBlocked:
		return api.DeclineCategoryBlocked
	case DeclineCountryBlocked:
		return api.DeclineCountryBlocked
	case DeclineMerchantBlocked:
		return api.DeclineMerchantBlocked
	case DeclineInvalidCVC:
		return api.DeclineIncorrectCVC
	case DeclineInvalidPIN:
		return api.DeclineIncorrectPIN
	case DeclineInvalidExpiry:
		return api.DeclineIncorrectExpiry
	case DeclineFraudSuspected:
		return api.DeclineSuspectedFraud
	case DeclineSystemError:
		return api.DeclineSystem
	}
	return api.DeclineOther
}

// txStatus and txType check a filter's words: a request carries only the
// words carddesk decided on. Reading is tolerant: mapTransaction keeps any
// word VaultsPay sends, known or not.
func txStatus(id, s string) (api.TxStatus, error) {
	switch st := api.TxStatus(s); st {
	case api.TxPending, api.TxSettled, api.TxDeclined, api.TxRefunded, api.TxReversed:
		return st, nil
	}
	return "", fieldErr("transaction", id, "status", "%q is not pending, settled, declined, refunded or reversed", clip(s))
}

func txType(id, s string) (api.TxType, error) {
	switch t := api.TxType(s); t {
	case api.TxPurchase, api.TxRefund, api.TxATM, api.TxTransfer:
		return t, nil
	}
	return "", fieldErr("transaction", id, "type", "%q is not purchase, refund, atm_withdrawal or transfer", clip(s))
}

func mapTransaction(w Transaction) (api.Transaction, error) {
	if w.ID == "" {
		return api.Transaction{}, fieldErr("transaction", "(no id)", "id", "is missing")
	}
	status, typ := api.TxStatus(w.Status), api.TxType(w.Type)
	if w.Currency == "" {
		return api.Transaction{}, fieldErr("transaction", w.ID, "currency", "is missing")
	}
	created, err := parseTime("transaction", w.ID, "created_at", w.CreatedAt, true)
	if err != nil {
		return api.Transaction{}, err
	}
	if w.SettledAt != nil {
		// Not carried by api.Transaction, but a bad one is still bad input.
		if _, err := parseTime("transaction", w.ID, "settled_at", *w.SettledAt, false); err != nil {
			return api.Transaction{}, err
		}
	}
	tx := api.Transaction{
		ID:        w.ID,
		UserID:    w.UserID,
		AccountID: w.AccountID,
		Amount:    money(w.Amount, w.Currency),
		Status:    status,
		Type:      typ,
		CreatedAt: created,
	}
	if w.CardID != nil {
		tx.CardID = *w.CardID
	}
	if m := w.Merchant; m != nil {
		tx.Merchant = api.Merchant{ID: m.ID, Name: m.Name, Category: m.Category, MCC: m.MCC, City: m.City, Country: m.Country}
	}
	// A decline without a code names no reason: carddesk infers one above
	// the dialect, or says none was given.
	switch {
	case w.Decline != nil:
		tx.Decline = &api.Decline{Reason: DeclineReason(w.Decline.Code), Code: w.Decline.Code, Message: w.Decline.Message}
	case status == api.TxDeclined:
		tx.Decline = &api.Decline{Reason: api.DeclineNotGiven}
	}
	return tx, nil
}
