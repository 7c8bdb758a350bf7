package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
)

func TestAppendAfterRoundTrip(t *testing.T) {
	t0 := baseTime()
	paris := time.FixedZone("CET", 3600)
	cases := []struct {
		name string
		rec  live.Record
	}{
		{"declined transaction", declineRecord(t, "vydapay", "evt_1", t0)},
		{"user event, no card", live.Record{
			Provider: "vaultspay", EventID: "msg_2", Type: api.EventUserKYCUpdated, UserID: "usr_9",
			OccurredAt: t0.Add(-time.Hour), ReceivedAt: t0.Add(time.Nanosecond),
			Event: json.RawMessage(`{"id":"msg_2","type":"user.kyc.updated","user":{"id":"usr_9","kyc":"verified"}}`),
		}},
		{"no occurred time, no ids", live.Record{
			Provider: "vaultspay", EventID: "msg_3", Type: api.EventWebhookTest,
			ReceivedAt: t0.Add(2 * time.Second), Event: json.RawMessage(`{}`),
		}},
		{"occurred time in another zone", live.Record{
			Provider: "vydapay", EventID: "evt_4", Type: api.EventCardFrozen, CardID: "card_1", UserID: "ich_1",
			OccurredAt: time.Date(2026, 3, 14, 10, 0, 0, 1, paris), ReceivedAt: t0.Add(3 * time.Second),
			Event: json.RawMessage(`{"id":"evt_4","type":"card.frozen"}`),
		}},
		{"unicode and odd ids", live.Record{
			Provider: "vydapay", EventID: "evt_☃'\"; DROP TABLE events;--", Type: api.EventUnknown,
			CardID: "carte_é", ReceivedAt: t0.Add(4 * time.Second),
			Event: json.RawMessage(`{"raw":"\u0000 and ☃"}`),
		}},
		{"far past occurred time", live.Record{
			Provider: "vydapay", EventID: "evt_6", Type: api.EventTxSettled,
			OccurredAt: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), ReceivedAt: t0.Add(5 * time.Second),
			Event: json.RawMessage(`{"id":"evt_6"}`),
		}},
	}
	log := &commitLog{}
	s, _ := openTest(t, Options{OnCommit: log.onCommit})
	var in []live.Record
	for _, c := range cases {
		in = append(in, c.rec)
	}
	got, err := s.Append(context.Background(), in)
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	stored := readAll(t, s)
	if len(stored) != len(cases) {
		t.Fatalf("After: %d records, want %d", len(stored), len(cases))
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.rec
			want.Seq = uint64(i + 1)
			if !want.OccurredAt.IsZero() {
				want.OccurredAt = want.OccurredAt.UTC()
			}
			want.ReceivedAt = want.ReceivedAt.UTC()
			if got[i] != (live.Appended{Seq: want.Seq}) {
				t.Errorf("Append answer %+v, want seq %d, not duplicate", got[i], want.Seq)
			}
			if !reflect.DeepEqual(stored[i], want) {
				t.Errorf("stored\n%+v\nwant\n%+v", stored[i], want)
			}
			if !stored[i].OccurredAt.Equal(c.rec.OccurredAt) {
				t.Errorf("occurred_at %v, want the instant %v", stored[i].OccurredAt, c.rec.OccurredAt)
			}
		})
	}
	if seen := log.records(); !reflect.DeepEqual(seen, stored) {
		t.Errorf("OnCommit saw %v, want the stored records %v", seqs(seen), seqs(stored))
	}
	if in[0].Seq != 0 {
		t.Errorf("Append wrote into the caller's slice: seq %d", in[0].Seq)
	}
}

func TestAfterPages(t *testing.T) {
	s, _ := openTest(t, Options{})
	const n = 12
	for i := range n {
		appendOne(t, s, declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", i), baseTime()))
	}
	span := func(from, to uint64) []uint64 {
		var out []uint64
		for q := from; q <= to; q++ {
			out = append(out, q)
		}
		return out
	}
	cases := []struct {
		after uint64
		limit int
		want  []uint64
	}{
		{0, 5, span(1, 5)},
		{5, 5, span(6, 10)},
		{10, 5, span(11, 12)},
		{12, 5, nil},
		{0, 0, span(1, 12)},
		{0, -1, span(1, 12)},
		{3, MaxAfter + 1, span(4, 12)},
		{1 << 63, 5, nil},
		{^uint64(0), 5, nil},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("after=%d,limit=%d", c.after, c.limit), func(t *testing.T) {
			got, err := s.After(context.Background(), c.after, c.limit)
			if err != nil {
				t.Fatalf("After: %v", err)
			}
			if !reflect.DeepEqual(seqs(got), c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("seqs %v, want %v", seqs(got), c.want)
			}
		})
	}
}

func TestAppendRejectsBadRecords(t *testing.T) {
	s, _ := openTest(t, Options{})
	good := declineRecord(t, "vydapay", "evt_ok", baseTime())
	cases := []struct {
		name   string
		mutate func(*live.Record)
		want   string
	}{
		{"no provider", func(r *live.Record) { r.Provider = "" }, "append 2 events: record 1: missing provider"},
		{"no event id", func(r *live.Record) { r.EventID = "" }, "append 2 events: record 1: missing event id"},
		{"received too late", func(r *live.Record) { r.ReceivedAt = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) }, "append 2 events: record 1: received_at 9999-01-01T00:00:00Z out of range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := good
			bad.EventID = "evt_bad"
			c.mutate(&bad)
			_, err := s.Append(context.Background(), []live.Record{good, bad})
			if err == nil || err.Error() != c.want {
				t.Fatalf("Append: %v, want %q", err, c.want)
			}
		})
	}
	if n := len(readAll(t, s)); n != 0 {
		t.Errorf("%d records stored after rejected appends, want 0", n)
	}
}

func TestAppendStampsReceivedAt(t *testing.T) {
	s, _ := openTest(t, Options{})
	rec := declineRecord(t, "vydapay", "evt_1", baseTime())
	rec.ReceivedAt = time.Time{}
	before := time.Now()
	appendOne(t, s, rec)
	after := time.Now()
	got := readAll(t, s)
	if len(got) != 1 {
		t.Fatalf("%d records, want 1", len(got))
	}
	if at := got[0].ReceivedAt; at.Before(before.Truncate(0)) || at.After(after) {
		t.Errorf("received_at %v, want between %v and %v", at, before, after)
	}
}
