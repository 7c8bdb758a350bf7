package sandbox

import (
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// history draws about ninety days of card traffic: mostly settled
// purchases, recent ones pending, some refunded or reversed, ATM
// withdrawals, merchant refunds, VaultsPay transfers, and declines for
// the reasons the card's state and controls give.
func (b *bookBuilder) history() {
	r, vp := b.r, b.iss.vaultspay()
	from := b.now.Add(-bookHistory)
	merchants := b.iss.merchants
	for range bookTransactions {
		c := pick(r, b.cards)
		if c.status == api.CardInactive && r.IntN(10) > 0 {
			c = pick(r, b.cards) // inactive cards see few attempts
		}
		// A card that stopped working sees few attempts afterwards.
		redraw := r.IntN(100) < 88
		start, usableUntil := b.window(c, from)
		if redraw && usableUntil.Before(start) {
			c = pick(r, b.cards)
			start, usableUntil = b.window(c, from)
		}
		at := b.between(start, b.now)
		if redraw && at.After(usableUntil) && !usableUntil.Before(start) {
			at = b.between(start, usableUntil)
		}
		m := sampleMerchant(r, merchants)
		if c.typ == api.CardVirtual && m.Category == "atm" {
			m = sampleMerchant(r, merchants)
			if m.Category == "atm" {
				m = merchants[0]
			}
		}
		if !c.controls.empty() && r.IntN(100) < 85 {
			m = b.fittingMerchant(c, m)
		}
		t := &tx{
			id: b.iss.newID("txn_", b.iss.txTaken), accountID: c.accountID, cardID: c.id, userID: c.userID,
			currency: c.currency, typ: api.TxPurchase, created: at,
		}
		b.iss.txs.byID[t.id] = t
		mm := m
		t.merchant = &mm
		t.amount = sampleAmount(r, m, c.currency)
		if m.Category == "atm" {
			t.typ = api.TxATM
		}
		roll := r.IntN(1000)
		if d := b.historicDecline(c, m, at, roll); d != nil {
			t.status, t.reason, t.declineCode, t.declineMsg = api.TxDeclined, d.reason, d.code, d.msg
			b.txs = append(b.txs, t)
			continue
		}
		if roll < 115 && m.Category != "atm" { // a merchant refund, credited
			t.typ = api.TxRefund
			t.amount = max(t.amount/3, 1)
		}
		b.settleHistoric(t, roll)
		b.txs = append(b.txs, t)
	}
	if vp {
		b.transfers(from)
	}
}

// window is when a card can have been used in the history: from its
// issue (or the history's start) until it was frozen, terminated or ran
// out.
func (b *bookBuilder) window(c *card, from time.Time) (start, usableUntil time.Time) {
	start = c.created
	if start.Before(from) {
		start = from
	}
	usableUntil = b.now
	switch {
	case c.status == api.CardFrozen || c.status == api.CardTerminated:
		usableUntil = c.updated
	case c.expired(b.now):
		usableUntil = time.Date(c.expYear, time.Month(c.expMonth)+1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Second)
	}
	return start, usableUntil
}

// empty reports whether no control is set.
func (c controls) empty() bool {
	return len(c.allowedCategories)+len(c.blockedCategories)+len(c.allowedCountries)+
		len(c.blockedCountries)+len(c.allowedMerchants) == 0
}

// fittingMerchant returns a merchant the card's controls allow (m itself
// when it fits), scanning the catalogue from m's position.
func (b *bookBuilder) fittingMerchant(c *card, m Merchant) Merchant {
	ms := b.iss.merchants
	start := 0
	for i := range ms {
		if ms[i].ID == m.ID {
			start = i
		}
	}
	for k := range ms {
		cand := ms[(start+k)%len(ms)]
		if c.typ == api.CardVirtual && cand.Category == "atm" {
			continue
		}
		if b.iss.checkControls(c, cand) == nil {
			return cand
		}
	}
	return m
}

// historicDecline decides a past authorisation: the card's state when it
// happened, its controls, then a share of declines for the other reasons.
func (b *bookBuilder) historicDecline(c *card, m Merchant, at time.Time, roll int) *decline {
	r, vp := b.r, b.iss.vaultspay()
	// Vydapay gives a decline no code (its reference has none): the
	// sandbox keeps the reason for itself and renders none.
	pickCode := func(reason api.DeclineReason, vpCode, msg string) *decline {
		if vp {
			return &decline{reason, vpCode, msg}
		}
		return &decline{reason, "", msg}
	}
	// Draw the same numbers whatever the outcome.
	which := r.IntN(100)
	switch {
	case c.status == api.CardInactive:
		return pickCode(api.DeclineCardInactive, vaultspay.DeclineCardInactive, "The card has not been activated.")
	case c.status == api.CardTerminated && at.After(c.updated):
		return pickCode(api.DeclineCardTerminated, vaultspay.DeclineCardTerminated, "The card is "+terminatedWord(vp)+".")
	case c.status == api.CardFrozen && at.After(c.updated):
		return pickCode(api.DeclineCardFrozen, vaultspay.DeclineCardFrozen, "The card is frozen.")
	case c.expired(at):
		return pickCode(api.DeclineCardExpired, vaultspay.DeclineCardExpired, "The card has expired.")
	}
	if d := b.iss.checkControls(c, m); d != nil {
		return d
	}
	if roll >= 80 { // about 8% of the rest decline for other reasons
		return nil
	}
	switch {
	case which < 22:
		return pickCode(api.DeclineIncorrectCVC, vaultspay.DeclineInvalidCVC, "The CVC presented is incorrect.")
	case which < 44:
		return pickCode(api.DeclineInsufficient, vaultspay.DeclineInsufficient, "Insufficient funds.")
	case which < 60 && c.limit != nil:
		return pickCode(api.DeclineSpendingLimit, vaultspay.DeclineLimitExceeded, "The spending limit would be exceeded.")
	case which < 66 && vp:
		return pickCode(api.DeclineIncorrectExpiry, vaultspay.DeclineInvalidExpiry, "The expiry date presented is incorrect.")
	case which < 72 && vp && c.typ == api.CardPhysical:
		return pickCode(api.DeclineIncorrectPIN, vaultspay.DeclineInvalidPIN, "The PIN entered is incorrect.")
	case which < 95:
		return pickCode(api.DeclineSuspectedFraud, vaultspay.DeclineFraudSuspected, "Declined by fraud screening.")
	}
	return pickCode(api.DeclineSystem, vaultspay.DeclineSystemError, "The issuer could not process the authorisation.")
}

// settleHistoric gives an approved past transaction its later life.
func (b *bookBuilder) settleHistoric(t *tx, roll int) {
	r, vp := b.r, b.iss.vaultspay()
	lag := time.Duration(6+r.IntN(66)) * time.Hour
	settled := t.created.Add(lag)
	recent := b.now.Sub(t.created) < 48*time.Hour
	switch {
	case recent && r.IntN(100) < 70 || settled.After(b.now):
		t.status = api.TxPending
		return
	case t.typ == api.TxRefund:
		t.status, t.settled = api.TxSettled, settled
	case roll > 960:
		t.status, t.settled = api.TxRefunded, settled
	case roll > 935 && vp:
		t.status = api.TxReversed
		return
	default:
		t.status, t.settled = api.TxSettled, settled
	}
	if !vp && t.typ == api.TxPurchase && r.IntN(100) < 30 {
		rc := &receipt{
			id:      b.iss.newID("rcpt_", func(id string) bool { return b.iss.receipts[id] != nil }),
			txID:    t.id,
			status:  "matched",
			size:    20_000 + r.IntN(400_000),
			created: settled,
		}
		rc.filename = "receipt-" + rc.id[5:11] + ".pdf"
		t.receipt = rc
		b.iss.receipts[rc.id] = rc
	}
}

// transfers adds incoming transfers (salaries, top-ups) to VaultsPay
// accounts.
func (b *bookBuilder) transfers(from time.Time) {
	r := b.r
	var open []*account
	for _, a := range b.accts {
		if a.status == "active" {
			open = append(open, a)
		}
	}
	for range bookTransfers {
		a := pick(r, open)
		start := a.created
		if start.Before(from) {
			start = from
		}
		at := b.between(start, b.now)
		t := &tx{
			id: b.iss.newID("txn_", b.iss.txTaken), accountID: a.id, userID: a.userID, currency: a.currency,
			typ: api.TxTransfer, status: api.TxSettled, created: at, settled: at,
			amount: fromUSD(300+r.Float64()*4700, a.currency),
		}
		b.iss.txs.byID[t.id] = t
		b.txs = append(b.txs, t)
	}
}

// finish orders the book and builds its indexes and balances.
func (b *bookBuilder) finish() {
	iss := b.iss
	sortAll(b.users)
	iss.users.order = b.users
	for _, u := range b.users {
		iss.users.byID[u.id] = u
	}
	sortAll(b.accts)
	iss.accounts.order = b.accts
	sortAll(b.cards)
	iss.cards.order = b.cards
	sortAll(b.txs)
	iss.txs.order = b.txs
	var programPending int64
	for _, t := range b.txs {
		if t.cardID != "" {
			iss.cardTx[t.cardID] = append(iss.cardTx[t.cardID], t)
		}
		if t.accountID != "" {
			iss.acctTx[t.accountID] = append(iss.acctTx[t.accountID], t)
		}
		iss.userTx[t.userID] = append(iss.userTx[t.userID], t)
		if t.status != api.TxPending || t.typ == api.TxRefund {
			continue
		}
		if a, ok := iss.accounts.get(t.accountID); ok {
			a.pending += t.amount
		} else if !iss.vaultspay() {
			programPending += convert(t.amount, t.currency, programCurrency)
		}
	}
	if !iss.vaultspay() {
		iss.programAvailable, iss.programPending = programFunding, programPending
	}
}
