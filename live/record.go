package live

import (
	"encoding/json"
	"errors"
	"fmt"
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
	// Epoch is the store that gave Seq (see Store.Epoch), as a
	// Subscription delivers the record; "" when unknown. It is not stored
	// or streamed with the record: the stream names its store once.
	Epoch string `json:"-"`
}

// NewRecord builds the record of a verified, parsed event.
//
// ev.Raw, the provider's payload, goes into the record as it is, not
// re-encoded: it must be valid JSON (an error says so if it is not), and
// Decode gives it back byte for byte, except that in the record's body, as
// in everything the relay keeps, card numbers in strings are masked and
// characters a terminal acts on are escaped (see maskStored).
func NewRecord(ev api.Event, receivedAt time.Time) (Record, error) {
	body, err := encodeEvent(ev)
	if err != nil {
		return Record{}, err
	}
	if body, err = maskStored(body); err != nil {
		return Record{}, fmt.Errorf("encode event: %w", err)
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

// encodeEvent is json.Marshal(ev), except that ev.Raw is copied in as it
// is rather than compacted, which for a payload of a kilobyte or more is
// most of the encoding's work. Raw is the last field of api.Event.
func encodeEvent(ev api.Event) ([]byte, error) {
	raw := ev.Raw
	ev.Raw = nil
	body, err := json.Marshal(ev)
	if err != nil || len(raw) == 0 {
		return body, err
	}
	if !json.Valid(raw) {
		return nil, errors.New("encode event: raw payload is not valid JSON")
	}
	// body ends with the object's closing brace; Raw goes in before it.
	out := make([]byte, 0, len(body)+len(`,"raw":`)+len(raw))
	out = append(out, body[:len(body)-1]...)
	out = append(out, `,"raw":`...)
	out = append(out, raw...)
	return append(out, '}'), nil
}
