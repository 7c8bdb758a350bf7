package sandbox

import (
	"fmt"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// AuthRequest is one card authorisation as the card network presents it.
type AuthRequest struct {
	CardID string
	// Amount is in minor units of the card's currency; it must be positive.
	Amount int64
	// Merchant is where the card is used; an "atm" category makes the
	// transaction an ATM withdrawal. Name and Category are required.
	Merchant Merchant
	// CVC is the code presented; "" when none was (chip and PIN).
	CVC string
	// ExpMonth and ExpYear are the expiry presented; 0 when none was.
	// Vydapay documents no expiry-mismatch decline, so its issuer checks
	// only that the card has not expired.
	ExpMonth, ExpYear int
	// Risk is the network's risk signal, 0 to 100, added to the issuer's
	// own score (category and amount); 80 or more declines as fraud.
	Risk int
	// At is when the authorisation happens; zero means now. It places the
	// transaction and the spending-limit window.
	At time.Time
}

// AuthResult is the issuer's answer.
type AuthResult struct {
	TransactionID string
	Approved      bool
	// Reason is the normalised decline reason; "" when approved.
	Reason api.DeclineReason
	// Code and Message are the provider's own decline code and words.
	Code    string
	Message string
}

// Authorize decides one authorisation against the provider's book, records
// the transaction (pending when approved, declined otherwise) and emits its
// events. An error means the request could not be decided (unknown card,
// bad amount), not a decline.
func (s *Server) Authorize(provider string, req AuthRequest) (AuthResult, error) {
	iss, err := s.issuer(provider)
	if err != nil {
		return AuthResult{}, err
	}
	var res AuthResult
	err = s.locked(iss, func() error {
		r, err := iss.authorize(req)
		res = r
		return err
	})
	if err != nil {
		return AuthResult{}, fmt.Errorf("authorize on card %s: %w", req.CardID, err)
	}
	return res, nil
}

func (iss *issuer) authorize(req AuthRequest) (AuthResult, error) {
	c, ok := iss.cards.get(req.CardID)
	if !ok {
		return AuthResult{}, errNotFound("card", req.CardID, "card_id")
	}
	if req.Amount <= 0 {
		return AuthResult{}, errInvalid(codeParamInvalid, "amount", "Amount must be a positive number of minor units.")
	}
	if req.Merchant.Name == "" || !isCategoryName(req.Merchant.Category) {
		return AuthResult{}, errInvalid(codeParamInvalid, "merchant", "A merchant needs a name and a snake_case category.")
	}
	at := req.At.UTC().Truncate(time.Second)
	if req.At.IsZero() {
		at = iss.now()
	}
	m := req.Merchant
	if m.MCC == "" {
		m.MCC = categoryMCC(m.Category)
	}
	t := &tx{
		id: iss.newID("txn_", iss.txTaken), accountID: c.accountID, cardID: c.id, userID: c.userID,
		amount: req.Amount, currency: c.currency, typ: api.TxPurchase, merchant: &m, created: at,
	}
	if m.Category == "atm" {
		t.typ = api.TxATM
	}
	d := iss.decide(c, req, at)
	if d != nil {
		t.status, t.reason, t.declineCode, t.declineMsg = api.TxDeclined, d.reason, d.code, d.msg
	} else {
		t.status = api.TxPending
		iss.hold(c, t.amount)
	}
	iss.addTx(t)
	res := AuthResult{TransactionID: t.id, Approved: d == nil}
	if d != nil {
		res.Reason, res.Code, res.Message = d.reason, d.code, d.msg
	}
	if iss.vaultspay() {
		typ := vaultspay.EventTxAuthorized
		if d != nil {
			typ = vaultspay.EventTxDeclined
		}
		iss.emit(typ, vpTx(t))
		return res, nil
	}
	typ := vydapay.EventTxCreated
	if d != nil {
		typ = vydapay.EventTxDeclined
	}
	iss.emit(typ, vyTx(t))
	if d != nil && d.reason == api.DeclineSpendingLimit {
		iss.emit(vydapay.EventLimitReached, vyCard(c))
	}
	return res, nil
}

// hold moves an approved amount from available to pending.
func (iss *issuer) hold(c *card, amount int64) {
	if iss.vaultspay() {
		if a, ok := iss.accounts.get(c.accountID); ok {
			a.available -= amount
			a.pending += amount
			a.updated = iss.now()
		}
		return
	}
	g := convert(amount, c.currency, programCurrency)
	iss.programAvailable -= g
	iss.programPending += g
}
