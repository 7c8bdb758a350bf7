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
	At   time.Time
	Type api.EventType
	// ProviderType is the provider's own name for the event's type: what
	// to show when Type is api.EventUnknown.
	ProviderType string
	Provider     string
	CardID       string
	UserID       string
	// Tx and Card point at the event's own objects rather than copies: one
	// event is fanned out to every session's ring, and a copy per session
	// would multiply memory by the number of agents. Nobody may modify
	// them.
	Tx   *api.Transaction
	Card *api.Card
	// Why is the decline's reason as inferred when the event arrived, from
	// what carddesk knew of the card at that moment (api.ExplainDecline);
	// nil when the provider gave the reason or nothing could be inferred.
	// Shared like Tx: nobody may modify it.
	Why *api.Decline
	// DataError is why the event's data could not be read, if it could not.
	DataError string
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
		Seq:          seq,
		At:           at,
		Type:         ev.Type,
		ProviderType: ev.ProviderType,
		Provider:     ev.Provider,
		CardID:       ev.CardID(),
		UserID:       ev.UserID(),
		Tx:           ev.Transaction,
		Card:         ev.Card,
		DataError:    ev.DataError,
	}
}

// TypeName is the event's type as an agent reads it: the provider's own
// name when carddesk does not know the type.
func (r Row) TypeName() string {
	if r.Type.Known() || r.ProviderType == "" {
		return string(r.Type)
	}
	return r.ProviderType
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

// Decline is why a declined row was declined: the provider's reason, or
// the one inferred when the event arrived (Why), or api.DeclineNotGiven;
// the zero Decline for any other row.
func (r Row) Decline() api.Decline {
	switch {
	case !r.Declined():
		return api.Decline{}
	case r.Why != nil:
		return *r.Why
	case r.Tx != nil && r.Tx.Decline != nil && r.Tx.Decline.Reason != "":
		return *r.Tx.Decline
	}
	return api.Decline{Reason: api.DeclineNotGiven}
}

// Reason is the decline reason of a declined row (api.DeclineNotGiven
// when there is none) and "" for any other row.
func (r Row) Reason() api.DeclineReason {
	return r.Decline().Reason
}
