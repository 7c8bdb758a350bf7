package sqlitestore

import (
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
)

// Times: received_at is Unix nanoseconds (indexed, ordered, the relay's own
// clock); occurred_at is the provider's time as RFC 3339 text with
// nanoseconds, so any time an event can carry round-trips to the same
// instant. Both come back in UTC.

// recordColumns are the columns scanRecord reads, in order.
const recordColumns = `seq, provider, event_id, type, card_id, user_id, occurred_at, received_at, event`

// checkRecord says why rec cannot be stored, if it cannot.
func checkRecord(rec live.Record) error {
	switch {
	case rec.Provider == "":
		return fmt.Errorf("missing provider")
	case rec.EventID == "":
		return fmt.Errorf("missing event id")
	case !rec.ReceivedAt.IsZero() && !fitsNanos(rec.ReceivedAt):
		return fmt.Errorf("received_at %s out of range", rec.ReceivedAt.Format(time.RFC3339))
	}
	return nil
}

// fitsNanos says whether t can be held as Unix nanoseconds (1678 to 2262).
func fitsNanos(t time.Time) bool {
	return !t.Before(time.Unix(0, math.MinInt64)) && !t.After(time.Unix(0, math.MaxInt64))
}

// insertArgs are the INSERT's arguments for rec under seq: the row, then
// the tombstone it must not have.
func insertArgs(seq uint64, rec live.Record) []any {
	event := []byte(rec.Event)
	if event == nil {
		event = []byte{}
	}
	return []any{
		int64(seq),
		rec.Provider,
		rec.EventID,
		string(rec.Type),
		nullString(rec.CardID),
		nullString(rec.UserID),
		occurredText(rec.OccurredAt),
		rec.ReceivedAt.UnixNano(),
		event,
		rec.Provider,
		rec.EventID,
	}
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

func occurredText(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: t.UTC().Format(time.RFC3339Nano), Valid: true}
}

// scanRecord reads one row of recordColumns.
func scanRecord(row interface{ Scan(...any) error }) (live.Record, error) {
	var (
		rec              live.Record
		seq, received    int64
		typ              string
		card, user, when sql.NullString
		event            []byte
	)
	if err := row.Scan(&seq, &rec.Provider, &rec.EventID, &typ, &card, &user, &when, &received, &event); err != nil {
		return live.Record{}, err
	}
	rec.Seq = uint64(seq)
	rec.Type = api.EventType(typ)
	rec.CardID = card.String
	rec.UserID = user.String
	if when.Valid {
		t, err := time.Parse(time.RFC3339Nano, when.String)
		if err != nil {
			return live.Record{}, fmt.Errorf("event %d: occurred_at %q: %w", seq, when.String, err)
		}
		rec.OccurredAt = t.UTC()
	}
	rec.ReceivedAt = time.Unix(0, received).UTC()
	if len(event) > 0 {
		rec.Event = event
	}
	return rec, nil
}
