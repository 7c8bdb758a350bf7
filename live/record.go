package live

import (
	"encoding/json"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Record is one event as the relay keeps and streams it.
type Record struct {
	// Seq is the relay's sequence number: 1, 2, 3, … in commit order,
	// never reused. It is zero until the store assigns it.
	Seq      uint64        `json:"seq"`
	Provider string        `json:"provider"`
	EventID  string        `json:"event_id"`
	Type     api.EventType `json:"type"`
	CardID   string        `json:"card_id,omitempty"`
	UserID   string        `json:"user_id,omitempty"`
	// OccurredAt is when the provider says the event happened; ReceivedAt
	// when the relay accepted it.
	OccurredAt time.Time `json:"occurred_at"`
	ReceivedAt time.Time `json:"received_at"`
	// Event is the normalised api.Event, JSON-encoded once at intake so that
	// storing and streaming never re-encode it.
	Event json.RawMessage `json:"event"`
}

// NewRecord builds the record of a verified, parsed event.
func NewRecord(ev api.Event, receivedAt time.Time) (Record, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return Record{}, err
	}
	return Record{
		Provider:   ev.Provider,
		EventID:    ev.ID,
		Type:       ev.Type,
		CardID:     ev.CardID(),
		UserID:     ev.UserID(),
		OccurredAt: ev.CreatedAt,
		ReceivedAt: receivedAt,
		Event:      body,
	}, nil
}

// Decode unpacks the normalised event.
func (r Record) Decode() (api.Event, error) {
	var ev api.Event
	err := json.Unmarshal(r.Event, &ev)
	return ev, err
}
