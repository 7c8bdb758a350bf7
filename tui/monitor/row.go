package monitor

import (
	"time"

	"github.com/carddesk/carddesk/api"
)

// Row is one event as the Live view shows it.
type Row struct {
	// Seq is the relay's sequence number of the event.
	Seq uint64
	// At is when the event happened, as the provider stamped it.
	At       time.Time
	Type     api.EventType
	Provider string
	CardID   string
	UserID   string
	// Tx and Card point at the event's own objects rather than copies: one
	// event is fanned out to every session's ring, and a copy per session
	// would multiply memory by the number of agents. Nobody may modify
	// them.
	Tx   *api.Transaction
	Card *api.Card
}

// RowOf builds the row of an event carrying relay sequence number seq. An
// event without a time of its own takes its transaction's, or its card's
// last update.
func RowOf(seq uint64, ev api.Event) Row {
	at := ev.CreatedAt
	switch {
	case !at.IsZero():
	case ev.Transaction != nil:
		at = ev.Transaction.CreatedAt
	case ev.Card != nil:
		at = ev.Card.UpdatedAt
	}
	return Row{
		Seq:      seq,
		At:       at,
		Type:     ev.Type,
		Provider: ev.Provider,
		CardID:   ev.CardID(),
		UserID:   ev.UserID(),
		Tx:       ev.Transaction,
		Card:     ev.Card,
	}
}

// Declined reports whether the row is a declined transaction: a
// transaction.declined event, or any event whose transaction says declined.
func (r Row) Declined() bool {
	return r.Type == api.EventTxDeclined || r.Tx != nil && r.Tx.Status == api.TxDeclined
}

// Attempt reports whether the row is an authorisation attempt, approved or
// declined: what the decline rate is a fraction of.
func (r Row) Attempt() bool {
	return r.Type == api.EventTxAuthorized || r.Type == api.EventTxDeclined
}

// Reason is the decline reason of a declined row (unknown when the provider
// gave none) and "" for any other row.
func (r Row) Reason() api.DeclineReason {
	switch {
	case !r.Declined():
		return ""
	case r.Tx != nil && r.Tx.Decline != nil && r.Tx.Decline.Reason != "":
		return r.Tx.Decline.Reason
	}
	return api.DeclineUnknown
}
