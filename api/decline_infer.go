package api

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// DeclineFacts is what carddesk knows about the card of a decline when it
// shows one. Inference uses only what is at hand (a cached card, a page
// already read): it never costs a request.
type DeclineFacts struct {
	// Card is the card as carddesk last read it, or as a webhook last
	// told of it; nil when not known.
	Card *Card
	// Spent is what the card had spent in its limit's window before the
	// decline (SpentBefore); nil when not known.
	Spent *Money
}

// ExplainDecline is the reason to show for a declined transaction, and
// false for one that was not declined.
//
// The provider's code, when it gave one, is the reason, known or not.
// Otherwise the reason is inferred from the card, in the order an issuer
// checks (DESIGN §3): its state, its expiry, its spending controls
// (category, country, merchant) and its spending limit — and only from a
// card that has not changed since the decline (its updated_at is not
// after the transaction's time), because what carddesk knows of it now is
// then what it was at that moment. Expiry is the exception: a card keeps
// its expiry for life. What carddesk cannot see (funds, CVC, PIN, fraud
// scores) is never inferred. With no code and no inference the reason is
// DeclineNotGiven, never a system error.
func ExplainDecline(tx Transaction, f DeclineFacts) (Decline, bool) {
	if tx.Status != TxDeclined && tx.Decline == nil {
		return Decline{}, false
	}
	out := Decline{Reason: DeclineNotGiven}
	if d := tx.Decline; d != nil {
		if d.Given() {
			return *d, true
		}
		out.Message = d.Message
	}
	c := f.Card
	if c == nil || (tx.CardID != "" && c.ID != tx.CardID) || tx.CreatedAt.IsZero() {
		return out, true
	}
	unchanged := !c.UpdatedAt.IsZero() && !c.UpdatedAt.After(tx.CreatedAt)
	infer := func(r DeclineReason, basis string) (Decline, bool) {
		out.Reason, out.Inferred, out.Basis = r, true, basis
		return out, true
	}
	if unchanged {
		switch c.Status {
		case CardTerminated:
			return infer(DeclineCardTerminated, "the card was terminated")
		case CardFrozen:
			return infer(DeclineCardFrozen, "the card was frozen")
		case CardInactive:
			return infer(DeclineCardInactive, "the card was not activated")
		}
	}
	if end, ok := expiryEnd(*c); ok && !tx.CreatedAt.Before(end) {
		return infer(DeclineCardExpired, "the card expired at the end of "+c.Expiry())
	}
	if !unchanged {
		return out, true
	}
	if r, basis := controlsRefuse(c.Controls, tx.Merchant); r != "" {
		return infer(r, basis)
	}
	if basis := limitRefuses(c.Limit, tx.Amount, f.Spent); basis != "" {
		return infer(DeclineSpendingLimit, basis)
	}
	return out, true
}

// expiryEnd is the first instant after the card's expiry month.
func expiryEnd(c Card) (time.Time, bool) {
	if c.ExpMonth < 1 || c.ExpMonth > 12 || c.ExpYear < 1 {
		return time.Time{}, false
	}
	return time.Date(c.ExpYear, time.Month(c.ExpMonth)+1, 1, 0, 0, 0, 0, time.UTC), true
}

// controlsRefuse names the control that refuses a merchant, if one does.
// A merchant field the transaction lacks refuses nothing: it cannot be
// told apart from one the card allows.
func controlsRefuse(ctl SpendingControls, m Merchant) (DeclineReason, string) {
	if cat := m.Category; cat != "" {
		if hasFold(ctl.BlockedCategories, cat) {
			return DeclineCategoryBlocked, cat + " blocked by the card's controls"
		}
		if len(ctl.AllowedCategories) > 0 && !hasFold(ctl.AllowedCategories, cat) {
			return DeclineCategoryBlocked, cat + " not among the card's allowed categories"
		}
	}
	if country := m.Country; country != "" {
		if hasFold(ctl.BlockedCountries, country) {
			return DeclineCountryBlocked, country + " blocked by the card's controls"
		}
		if len(ctl.AllowedCountries) > 0 && !hasFold(ctl.AllowedCountries, country) {
			return DeclineCountryBlocked, country + " not among the card's allowed countries"
		}
	}
	if m.ID != "" && len(ctl.AllowedMerchants) > 0 && !slices.Contains(ctl.AllowedMerchants, m.ID) {
		name := m.Name
		if name == "" {
			name = m.ID
		}
		return DeclineMerchantBlocked, name + " not among the card's allowed merchants"
	}
	return "", ""
}

// limitRefuses says how the amount would pass the card's limit, or "".
// A per-transaction limit needs only the amount; any other needs what was
// spent in the window before.
func limitRefuses(l *SpendingLimit, amount Money, spent *Money) string {
	if l == nil || !l.Interval.Known() || !strings.EqualFold(l.Amount.Currency, amount.Currency) || amount.Amount <= 0 {
		return ""
	}
	if l.Interval == PerTransaction {
		if amount.Amount > l.Amount.Amount {
			return fmt.Sprintf("%s is over the card's %s per-transaction limit", amount, l.Amount)
		}
		return ""
	}
	if spent == nil || !strings.EqualFold(spent.Currency, amount.Currency) {
		return ""
	}
	if spent.Amount+amount.Amount > l.Amount.Amount {
		return fmt.Sprintf("%s of the card's %s %s limit already spent", *spent, l.Amount, intervalWord(l.Interval))
	}
	return ""
}

func intervalWord(i Interval) string {
	if i == AllTime {
		return "all-time"
	}
	return string(i)
}

func hasFold(list []string, v string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.EqualFold(s, v) })
}
