package sandbox

import (
	"fmt"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Settle settles a pending transaction (Vydapay: completes it) and emits
// transaction.settled / transaction.completed.
func (s *Server) Settle(provider, txID string) error {
	return s.txOp(provider, txID, "settle", func(iss *issuer, t *tx) error { return iss.settle(t) })
}

// Refund gives back a settled purchase or withdrawal and emits
// transaction.refunded.
func (s *Server) Refund(provider, txID string) error {
	return s.txOp(provider, txID, "refund", func(iss *issuer, t *tx) error { return iss.refund(t) })
}

// Reverse cancels a pending authorisation before it settles and emits
// transaction.reversed. Vydapay has no reversal, so it fails there.
func (s *Server) Reverse(provider, txID string) error {
	return s.txOp(provider, txID, "reverse", func(iss *issuer, t *tx) error { return iss.reverse(t) })
}

func (s *Server) txOp(provider, txID, what string, fn func(*issuer, *tx) error) error {
	iss, err := s.issuer(provider)
	if err != nil {
		return err
	}
	err = s.locked(iss, func() error {
		t, ok := iss.txs.get(txID)
		if !ok {
			return errNotFound("transaction", txID, "id")
		}
		return fn(iss, t)
	})
	if err != nil {
		return fmt.Errorf("%s transaction %s: %w", what, txID, err)
	}
	return nil
}

func errTxState(t *tx, what string) *apiError {
	return errConflict(typeInvalid, codeTxState, "Transaction %s is %s and cannot be %s.", t.id, t.status, what)
}

func (iss *issuer) settle(t *tx) error {
	if t.status != api.TxPending {
		return errTxState(t, "settled")
	}
	now := iss.now()
	t.status, t.settled = api.TxSettled, now
	iss.release(t, false)
	if iss.vaultspay() {
		iss.emit(vaultspay.EventTxSettled, vpTx(t))
	} else {
		iss.emit(vydapay.EventTxCompleted, vyTx(t))
	}
	return nil
}

func (iss *issuer) refund(t *tx) error {
	if t.status != api.TxSettled || (t.typ != api.TxPurchase && t.typ != api.TxATM) {
		return errTxState(t, "refunded")
	}
	t.status = api.TxRefunded
	iss.credit(t.accountID, t.amount, t.currency)
	if iss.vaultspay() {
		iss.emit(vaultspay.EventTxRefunded, vpTx(t))
	} else {
		iss.emit(vydapay.EventTxRefunded, vyTx(t))
	}
	return nil
}

func (iss *issuer) reverse(t *tx) error {
	if !iss.vaultspay() {
		return &apiError{status: 422, typ: typeInvalid, code: codeUnsupported, msg: "Vydapay has no authorisation reversal."}
	}
	if t.status != api.TxPending {
		return errTxState(t, "reversed")
	}
	t.status = api.TxReversed
	iss.release(t, true)
	iss.emit(vaultspay.EventTxReversed, vpTx(t))
	return nil
}

// release takes a held amount out of pending; back to available when the
// authorisation is given back rather than settled.
func (iss *issuer) release(t *tx, giveBack bool) {
	if iss.vaultspay() {
		a, ok := iss.accounts.get(t.accountID)
		if !ok {
			return
		}
		a.pending -= t.amount
		if giveBack {
			a.available += t.amount
		}
		a.updated = iss.now()
		return
	}
	g := convert(t.amount, t.currency, programCurrency)
	iss.programPending -= g
	if giveBack {
		iss.programAvailable += g
	}
}

// credit adds money to a VaultsPay account or the Vydapay program.
func (iss *issuer) credit(accountID string, amount int64, currency string) {
	if iss.vaultspay() {
		if a, ok := iss.accounts.get(accountID); ok {
			a.available += amount
			a.updated = iss.now()
		}
		return
	}
	iss.programAvailable += convert(amount, currency, programCurrency)
}

// TopUp adds money: on VaultsPay an incoming transfer of amount (minor
// units of the account's currency) to an active account, recorded as a
// settled transfer and emitted as transaction.settled; on Vydapay, with
// accountID "", amount pence to the program balance, with no transaction
// and no event. It returns the transfer's id ("" on Vydapay).
func (s *Server) TopUp(provider, accountID string, amount int64) (string, error) {
	iss, err := s.issuer(provider)
	if err != nil {
		return "", err
	}
	if amount <= 0 {
		return "", fmt.Errorf("top up %s: amount %d: must be positive", provider, amount)
	}
	var id string
	err = s.locked(iss, func() error {
		if !iss.vaultspay() {
			if accountID != "" {
				return fmt.Errorf("vydapay has one program balance: account id must be empty")
			}
			iss.programAvailable += amount
			return nil
		}
		a, ok := iss.accounts.get(accountID)
		if !ok {
			return errNotFound("account", accountID, "account_id")
		}
		if a.status != "active" {
			return errConflict(typeInvalid, codeAccountClosed, "Account %s is closed.", a.id)
		}
		now := iss.now()
		t := &tx{
			id: iss.newID("txn_", iss.txTaken), accountID: a.id, userID: a.userID, amount: amount,
			currency: a.currency, status: api.TxSettled, typ: api.TxTransfer, created: now, settled: now,
		}
		a.available += amount
		a.updated = now
		iss.addTx(t)
		id = t.id
		iss.emit(vaultspay.EventTxSettled, vpTx(t))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("top up %s %s: %w", provider, accountID, err)
	}
	return id, nil
}
