package monitor

import (
	"slices"
	"time"

	"github.com/carddesk/carddesk/api"
)

// t0 is a fixed moment on a minute boundary for the tests.
var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// txRow is an authorisation of card at merchant, declined for reason when
// reason is not "".
func txRow(seq uint64, at time.Time, card, merchant string, reason api.DeclineReason) Row {
	tx := &api.Transaction{
		ID:       "tx_" + card,
		CardID:   card,
		UserID:   "usr_1",
		Amount:   api.Money{Amount: 1250, Currency: "AED"},
		Status:   api.TxPending,
		Type:     api.TxPurchase,
		Merchant: api.Merchant{Name: merchant},
	}
	typ := api.EventTxAuthorized
	if reason != "" {
		typ = api.EventTxDeclined
		tx.Status = api.TxDeclined
		tx.Decline = &api.Decline{Reason: reason, Code: "x"}
	}
	return Row{Seq: seq, At: at, Type: typ, Provider: "vaultspay", CardID: card, UserID: "usr_1", Tx: tx}
}

// pattern builds rows 1..len(p): 'd' declined, anything else approved.
func pattern(p string) []Row {
	rows := make([]Row, len(p))
	for i, c := range p {
		var reason api.DeclineReason
		if c == 'd' {
			reason = api.DeclineInsufficient
		}
		rows[i] = txRow(uint64(i+1), t0, "card_a", "Spinneys", reason)
	}
	return rows
}

// seqsOf lists a view's row seqs, newest first, failing on a hole.
func seqsOf(v View) []uint64 {
	out := []uint64{}
	for i := range v.Len() {
		row, ok := v.At(i)
		if !ok {
			return append(out, 0)
		}
		out = append(out, row.Seq)
	}
	return out
}

// seqRange is hi, hi-1, …, lo.
func seqRange(hi, lo uint64) []uint64 {
	out := []uint64{}
	for s := hi; s >= lo && s > 0; s-- {
		out = append(out, s)
	}
	return out
}

// rowSeqs lists rows' seqs.
func rowSeqs(rows []Row) []uint64 {
	out := []uint64{}
	for _, r := range rows {
		out = append(out, r.Seq)
	}
	return out
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

// sameSeqs compares seq lists, treating nil and empty alike.
func sameSeqs(a, b []uint64) bool { return len(a) == 0 && len(b) == 0 || slices.Equal(a, b) }
