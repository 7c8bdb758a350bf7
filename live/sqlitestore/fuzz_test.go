package sqlitestore

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
)

// FuzzRecordRoundTrip stores records whose fields come from outside (the
// providers choose event ids, card ids and the payload) and checks that
// each comes back byte for byte, or is refused with an error.
func FuzzRecordRoundTrip(f *testing.F) {
	f.Add("vydapay", "evt_1", "transaction.declined", "card_1", "ich_1", []byte(`{"id":"evt_1"}`), int64(1773480413589793238))
	f.Add("vaultspay", "msg_2", "unknown", "", "", []byte{}, int64(0))
	f.Add("vydapay", "'; DROP TABLE events;--", "x", "\x00", "\xff\xfe", []byte{0, 1, 2, 0xff}, int64(-1))
	f.Add("", "evt_3", "card.frozen", "c", "u", []byte("{}"), int64(1))
	f.Add("vydapay", "", "card.frozen", "c", "u", []byte("{}"), int64(1))
	f.Add("vydapay", "☃", "☃", "☃", "☃", []byte("☃"), int64(-9223372036854775808))
	s, _ := openTest(f, Options{})
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("vaultspay", "\x1b]52;c;eA==\x07\u202e"+"4929 5801 7316 0424", "\u009b2J", "card_\u200b", "\ufeff", []byte(`{"a":`+"4929580173160424"+`}`), int64(4929580173160424))
	f.Fuzz(func(t *testing.T, provider, id, typ, card, user string, event []byte, occurred int64) {
		ctx := context.Background()
		rec := live.Record{
			Provider: provider, EventID: id, Type: api.EventType(typ), CardID: card, UserID: user,
			OccurredAt: time.Unix(0, occurred).UTC(), ReceivedAt: baseTime(), Event: event,
		}
		got, err := s.Append(ctx, []live.Record{rec})
		if provider == "" || id == "" {
			if err == nil {
				t.Fatalf("Append of a record without provider or id succeeded")
			}
			return
		}
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		back, err := s.After(ctx, got[0].Seq-1, 1)
		if err != nil || len(back) != 1 || back[0].Seq != got[0].Seq {
			t.Fatalf("After(%d) = %v, %v; want the record at %d", got[0].Seq-1, back, err, got[0].Seq)
		}
		if got[0].Duplicate {
			if back[0].Provider != provider || back[0].EventID != id {
				t.Fatalf("duplicate of %q/%q answered with %q/%q", provider, id, back[0].Provider, back[0].EventID)
			}
			return
		}
		want := rec
		want.Seq = got[0].Seq
		if len(want.Event) == 0 {
			want.Event = nil
		}
		if !reflect.DeepEqual(back[0], want) {
			t.Fatalf("stored\n%#v\nread back\n%#v", want, back[0])
		}
	})
}
