package api

import (
	"encoding/json"
	"time"
)

// EventType is a normalised event type. Dialects map their own names onto
// these; an event they do not recognise keeps its provider type in Raw and
// has type EventUnknown.
type EventType string

// Event types, normalised across providers.
const (
	EventCardCreated    EventType = "card.created"
	EventCardActivated  EventType = "card.activated"
	EventCardUpdated    EventType = "card.updated"
	EventCardFrozen     EventType = "card.frozen"
	EventCardUnfrozen   EventType = "card.unfrozen"
	EventCardTerminated EventType = "card.terminated"
	EventTxAuthorized   EventType = "transaction.authorized"
	EventTxDeclined     EventType = "transaction.declined"
	EventTxSettled      EventType = "transaction.settled"
	EventTxRefunded     EventType = "transaction.refunded"
	EventTxReversed     EventType = "transaction.reversed"
	EventUserCreated    EventType = "user.created"
	EventUserUpdated    EventType = "user.updated"
	EventUserKYCUpdated EventType = "user.kyc.updated"
	EventAccountUpdated EventType = "account.updated"
	EventReceiptMatched EventType = "receipt.matched"
	EventLimitReached   EventType = "spending_limit.reached"
	EventWebhookTest    EventType = "webhook.test"
	EventUnknown        EventType = "unknown"
)

// Event is one thing that happened at a provider, as a webhook reported it.
// Exactly one of Card, Transaction, User and Account is usually set; the
// provider's own payload is kept in Raw so that nothing is lost in mapping.
// An event of a type the dialect does not know still carries the object
// its data holds when that is a card, transaction, user or account.
type Event struct {
	ID           string       `json:"id"`
	Provider     string       `json:"provider"`
	Type         EventType    `json:"type"`
	ProviderType string       `json:"provider_type"`
	CreatedAt    time.Time    `json:"created_at"`
	Card         *Card        `json:"card,omitempty"`
	Transaction  *Transaction `json:"transaction,omitempty"`
	User         *User        `json:"user,omitempty"`
	Account      *Account     `json:"account,omitempty"`
	// DataError says what in the event's data the dialect could not read
	// (its envelope and signature were good, so the event is kept and
	// streamed all the same, with no object); "" when it read it all.
	DataError string          `json:"data_error,omitempty"`
	Raw       json.RawMessage `json:"raw,omitempty"`
}

// CardID is the card the event concerns, if any.
func (e Event) CardID() string {
	switch {
	case e.Card != nil:
		return e.Card.ID
	case e.Transaction != nil:
		return e.Transaction.CardID
	}
	return ""
}

// UserID is the user the event concerns, if any.
func (e Event) UserID() string {
	switch {
	case e.User != nil:
		return e.User.ID
	case e.Card != nil:
		return e.Card.UserID
	case e.Transaction != nil:
		return e.Transaction.UserID
	case e.Account != nil:
		return e.Account.UserID
	}
	return ""
}
