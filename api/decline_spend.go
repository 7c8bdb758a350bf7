package api

import "time"

// LimitWindowStart is when a spending limit's current window began as of
// at: the UTC calendar day, week (from Monday), month or year; the zero
// time for all_time. Neither reference says how windows are cut; carddesk
// reads them as calendar periods in UTC, as the sandbox keeps them. It
// reports false for a per-transaction limit or an interval it does not know.
func LimitWindowStart(i Interval, at time.Time) (time.Time, bool) {
	y, m, d := at.UTC().Date()
	switch i {
	case Daily:
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	case Weekly:
		day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)), true
	case Monthly:
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), true
	case Yearly:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), true
	case AllTime:
		return time.Time{}, true
	}
	return time.Time{}, false
}

// SpentBefore sums what the card spent in its limit's window up to at:
// its purchases and withdrawals among txs that were approved (pending or
// settled). It reports false when txs may not tell: when they may not
// reach back to the window's start (complete says they are every
// transaction of the card; otherwise one must predate the window), or when
// one in the window has a state or type carddesk does not know.
func SpentBefore(txs []Transaction, cardID string, l SpendingLimit, at time.Time) (Money, bool) {
	return spentBefore(txs, cardID, l, at, false)
}

// SpentBeforeComplete is SpentBefore for a list known to hold every
// transaction of the card.
func SpentBeforeComplete(txs []Transaction, cardID string, l SpendingLimit, at time.Time) (Money, bool) {
	return spentBefore(txs, cardID, l, at, true)
}

func spentBefore(txs []Transaction, cardID string, l SpendingLimit, at time.Time, complete bool) (Money, bool) {
	from, ok := LimitWindowStart(l.Interval, at)
	if !ok || at.IsZero() {
		return Money{}, false
	}
	sum := Money{Currency: l.Amount.Currency}
	reached := complete
	for _, t := range txs {
		if t.CardID != cardID {
			continue
		}
		if t.CreatedAt.Before(from) {
			reached = true
			continue
		}
		if t.CreatedAt.After(at) {
			continue
		}
		if !t.Status.Known() || !t.Type.Known() {
			return Money{}, false
		}
		counts := (t.Status == TxPending || t.Status == TxSettled) && (t.Type == TxPurchase || t.Type == TxATM)
		if !counts {
			continue
		}
		if t.Amount.Currency != sum.Currency {
			return Money{}, false
		}
		sum.Amount += t.Amount.Amount
	}
	if !reached {
		return Money{}, false
	}
	return sum, true
}
