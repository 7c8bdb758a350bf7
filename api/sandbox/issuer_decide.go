package sandbox

import (
	"fmt"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// Fraud scoring: a score of fraudThreshold or more declines.
const fraudThreshold = 80

// amountRisk scores the size of a payment, in dollars.
func amountRisk(usd float64) int {
	switch {
	case usd >= 1000:
		return 40
	case usd >= 500:
		return 25
	case usd >= 250:
		return 10
	}
	return 0
}

// decline is one decision to refuse.
type decline struct {
	reason api.DeclineReason
	code   string
	msg    string
}

// decide runs the checks in order: card terminated/cancelled, inactive,
// frozen, expired, wrong CVC, wrong expiry, spending controls (category,
// country, merchant), spending limit over its interval window, funds, and
// fraud score. It returns nil to approve. Called under the lock.
func (iss *issuer) decide(c *card, req AuthRequest, at time.Time) *decline {
	vp := iss.vaultspay()
	// Vydapay gives a decline no code (its reference has none): the
	// sandbox keeps the reason for itself and renders none.
	pick := func(reason api.DeclineReason, vpCode, msg string, args ...any) *decline {
		code := ""
		if vp {
			code = vpCode
		}
		return &decline{reason: reason, code: code, msg: fmt.Sprintf(msg, args...)}
	}
	switch c.status {
	case api.CardTerminated:
		return pick(api.DeclineCardTerminated, vaultspay.DeclineCardTerminated, "The card is %s.", terminatedWord(vp))
	case api.CardInactive:
		return pick(api.DeclineCardInactive, vaultspay.DeclineCardInactive, "The card has not been activated.")
	case api.CardFrozen:
		return pick(api.DeclineCardFrozen, vaultspay.DeclineCardFrozen, "The card is frozen.")
	}
	if c.expired(at) {
		return pick(api.DeclineCardExpired, vaultspay.DeclineCardExpired, "The card expired at the end of %02d/%d.", c.expMonth, c.expYear)
	}
	if req.CVC != "" && req.CVC != c.cvc {
		return pick(api.DeclineIncorrectCVC, vaultspay.DeclineInvalidCVC, "The CVC presented is incorrect.")
	}
	if vp && req.ExpMonth != 0 && (req.ExpMonth != c.expMonth || req.ExpYear != c.expYear) {
		return pick(api.DeclineIncorrectExpiry, vaultspay.DeclineInvalidExpiry, "The expiry date presented is incorrect.")
	}
	if d := iss.checkControls(c, req.Merchant); d != nil {
		return d
	}
	if c.limit != nil {
		spent := iss.spent(c, c.limit.interval, at)
		if spent+req.Amount > c.limit.amount {
			lim := api.Money{Amount: c.limit.amount, Currency: c.currency}
			return pick(api.DeclineSpendingLimit, vaultspay.DeclineLimitExceeded,
				"The spending limit of %s %s would be exceeded.", lim, intervalWords(c.limit.interval))
		}
	}
	if !iss.hasFunds(c, req.Amount) {
		return pick(api.DeclineInsufficient, vaultspay.DeclineInsufficient, "Insufficient funds.")
	}
	if score := categoryRisk(req.Merchant.Category) + amountRisk(toUSD(req.Amount, c.currency)) + req.Risk; score >= fraudThreshold {
		return pick(api.DeclineSuspectedFraud, vaultspay.DeclineFraudSuspected, "Declined by fraud screening (score %d).", min(score, 100))
	}
	return nil
}

func terminatedWord(vp bool) string {
	if vp {
		return "terminated"
	}
	return "cancelled"
}

func intervalWords(i api.Interval) string {
	switch i {
	case api.PerTransaction:
		return "per transaction"
	case api.Daily:
		return "per day"
	case api.Weekly:
		return "per week"
	case api.Monthly:
		return "per month"
	case api.Yearly:
		return "per year"
	}
	return "in total"
}

func (iss *issuer) checkControls(c *card, m Merchant) *decline {
	vp := iss.vaultspay()
	ctl := c.controls
	if contains(ctl.blockedCategories, m.Category) {
		code := "" // Vydapay names no reason
		if vp {
			code = vaultspay.DeclineMCCBlocked
		}
		return &decline{api.DeclineCategoryBlocked, code, fmt.Sprintf("Merchant category %s is blocked on this card.", m.Category)}
	}
	if len(ctl.allowedCategories) > 0 && !contains(ctl.allowedCategories, m.Category) {
		code := "" // Vydapay names no reason
		if vp {
			code = vaultspay.DeclineMCCBlocked
		}
		return &decline{api.DeclineCategoryBlocked, code, fmt.Sprintf("Merchant category %s is not allowed on this card.", m.Category)}
	}
	if contains(ctl.blockedCountries, m.Country) {
		code := "" // Vydapay names no reason
		if vp {
			code = vaultspay.DeclineCountryBlocked
		}
		return &decline{api.DeclineCountryBlocked, code, fmt.Sprintf("Payments in %s are blocked on this card.", m.Country)}
	}
	if len(ctl.allowedCountries) > 0 && !contains(ctl.allowedCountries, m.Country) {
		code := "" // Vydapay names no reason
		if vp {
			code = vaultspay.DeclineCountryBlocked
		}
		return &decline{api.DeclineCountryBlocked, code, fmt.Sprintf("Payments in %s are not allowed on this card.", m.Country)}
	}
	if len(ctl.allowedMerchants) > 0 && !contains(ctl.allowedMerchants, m.ID) {
		code := "" // Vydapay names no reason
		if vp {
			code = vaultspay.DeclineMerchantBlocked
		}
		return &decline{api.DeclineMerchantBlocked, code, fmt.Sprintf("Merchant %s is not allowed on this card.", m.Name)}
	}
	return nil
}

// windowStart is when a limit's interval began as of at (UTC calendar;
// weeks start on Monday).
func windowStart(i api.Interval, at time.Time) time.Time {
	y, m, d := at.UTC().Date()
	switch i {
	case api.Daily:
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	case api.Weekly:
		day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		back := (int(day.Weekday()) + 6) % 7
		return day.AddDate(0, 0, -back)
	case api.Monthly:
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case api.Yearly:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// spent sums the card's approved amounts in the interval's window up to at.
func (iss *issuer) spent(c *card, i api.Interval, at time.Time) int64 {
	if i == api.PerTransaction {
		return 0
	}
	from := windowStart(i, at)
	var sum int64
	txs := iss.cardTx[c.id]
	for k := len(txs) - 1; k >= 0; k-- {
		t := txs[k]
		if t.created.Before(from) {
			break
		}
		if !t.created.After(at) && t.approved() {
			sum += t.amount
		}
	}
	return sum
}

// hasFunds checks the money behind the card: the VaultsPay account's
// available balance or the Vydapay program balance.
func (iss *issuer) hasFunds(c *card, amount int64) bool {
	if iss.vaultspay() {
		a, ok := iss.accounts.get(c.accountID)
		return ok && a.status == "active" && a.available >= amount
	}
	return convert(amount, c.currency, programCurrency) <= iss.programAvailable
}
