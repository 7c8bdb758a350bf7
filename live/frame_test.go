package live

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

func TestDecodeFrame(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // type, when valid
		wantErr bool
	}{
		{"events", `{"type":"events","events":[{"seq":1,"provider":"vydapay","event_id":"e1","type":"card.frozen","occurred_at":"2026-01-02T03:04:05Z","received_at":"2026-01-02T03:04:06Z","event":{}}]}`, frameEvents, false},
		{"live", `{"type":"live","seq":0}`, frameLive, false},
		{"behind", `{"type":"behind","seq":42}`, frameBehind, false},
		{"error", `{"type":"error","message":"relay shutting down"}`, frameError, false},
		{"reset", `{"type":"reset","seq":0,"epoch":"0a1b","message":"store changed"}`, frameReset, false},
		{"reset without epoch", `{"type":"reset","seq":0}`, "", true},
		{"unknown type is kept for the caller to ignore", `{"type":"hello","x":1}`, "hello", false},
		{"unknown fields ignored", `{"type":"live","seq":3,"extra":true}`, frameLive, false},
		{"not JSON", `{"type":`, "", true},
		{"not an object", `[1,2]`, "", true},
		{"no type", `{"seq":1}`, "", true},
		{"events without events", `{"type":"events"}`, "", true},
		{"events empty", `{"type":"events","events":[]}`, "", true},
		{"event without seq", `{"type":"events","events":[{"provider":"vydapay"}]}`, "", true},
		{"live without seq", `{"type":"live"}`, "", true},
		{"behind with negative seq", `{"type":"behind","seq":-1}`, "", true},
		{"seq not a number", `{"type":"live","seq":"1"}`, "", true},
		{"bad time", `{"type":"events","events":[{"seq":1,"occurred_at":"yesterday"}]}`, "", true},
		{"key given twice", `{"type":"live","seq":1,"seq":2}`, "", true},
		{"record key given twice", `{"type":"events","events":[{"seq":1,"provider":"a","provider":"b"}]}`, "", true},
		{"key twice in another case", `{"type":"live","seq":1,"SEQ":2}`, "", true},
		{"keys match in any case", `{"TYPE":"live","Seq":1}`, frameLive, false},
		{"escaped key", `{"\u0074ype":"live","seq":1}`, frameLive, false},
		{"trailing data", `{"type":"live","seq":1} x`, "", true},
		{"two values", `{"type":"live","seq":1}{}`, "", true},
		{"seq not an integer", `{"type":"live","seq":1.0}`, "", true},
		{"seq overflows", `{"type":"live","seq":18446744073709551616}`, "", true},
		{"record not an object", `{"type":"events","events":[1]}`, "", true},
		{"events not an array", `{"type":"events","events":{}}`, "", true},
		{"control character in a string", "{\"type\":\"li\x01ve\",\"seq\":1}", "", true},
		{"bad escape", `{"type":"l\ive","seq":1}`, "", true},
		{"deep unknown value", `{"type":"live","seq":1,"x":[[[{"a":[1,2,{"b":null}]}]]]}`, frameLive, false},
		{"unknown record key", `{"type":"events","events":[{"seq":1,"extra":{"a":[true,false]}}]}`, frameEvents, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := decodeFrame([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, errFrame) {
					t.Fatalf("decodeFrame(%s) error = %v, want errFrame", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeFrame(%s): %v", tt.in, err)
			}
			if f.Type != tt.want {
				t.Fatalf("type %q, want %q", f.Type, tt.want)
			}
		})
	}
}

func frameTestRecord(seq uint64) Record {
	at := time.Date(2026, 3, 4, 5, 6, 7, 890123456, time.UTC)
	return Record{
		Seq:        seq,
		Provider:   "vydapay",
		EventID:    "evt_\"quoted\"\\slash\n\t\x01<tag>&\u2028é",
		Type:       api.EventTxDeclined,
		CardID:     "card_1",
		UserID:     "user_1",
		OccurredAt: at,
		ReceivedAt: at.Add(time.Millisecond).In(time.FixedZone("X", 3600)),
		Event:      json.RawMessage(`{"id":"evt_1","amount":{"value":1250}}`),
	}
}

// The hand encoder writes what encoding/json reads back as the same record.
func TestAppendRecordRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
	}{
		{"full", frameTestRecord(7)},
		{"no card nor user", Record{Seq: 1, Provider: "vaultspay", EventID: "e", Type: api.EventUserCreated, Event: json.RawMessage(`{}`)}},
		{"no event", Record{Seq: 2, Provider: "vaultspay", EventID: "e"}},
		{"invalid utf-8", Record{Seq: 3, Provider: "v\xffp", EventID: "a\xc3", Event: json.RawMessage(`null`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f streamFrame
			if !f.add(&tt.rec) {
				t.Fatal("record not added")
			}
			got, err := decodeFrame(f.finish())
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			want := viaEncodingJSON(t, tt.rec)
			if !reflect.DeepEqual(got.Events, []Record{want}) {
				t.Errorf("hand encoding decodes to\n%+v\nencoding/json to\n%+v", got.Events[0], want)
			}
		})
	}
}

// viaEncodingJSON is rec after a round trip through encoding/json.
func viaEncodingJSON(t testing.TB, rec Record) Record {
	t.Helper()
	if len(rec.Event) == 0 {
		rec.Event = json.RawMessage("null")
	}
	data, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var out Record
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStreamFrameSkipsAndBounds(t *testing.T) {
	f := streamFrame{last: 5}
	for seq := uint64(1); seq <= 5; seq++ {
		r := Record{Seq: seq}
		if f.add(&r) {
			t.Fatalf("seq %d added after last 5", seq)
		}
	}
	for i := range streamFrameRecords {
		r := frameTestRecord(uint64(6 + i))
		f.add(&r)
	}
	if !f.full() {
		t.Fatalf("frame of %d records not full", streamFrameRecords)
	}
	got, err := decodeFrame(f.finish())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Events) != streamFrameRecords || got.Events[0].Seq != 6 {
		t.Fatalf("frame holds %d records from %d", len(got.Events), got.Events[0].Seq)
	}
	big := Record{Seq: 10_000, Event: json.RawMessage(`"` + strings.Repeat("x", streamFrameBytes) + `"`)}
	f.add(&big)
	if !f.full() {
		t.Fatal("frame past the byte bound not full")
	}
}

func TestSeqAndErrorFrames(t *testing.T) {
	tests := []struct {
		data []byte
		want frame
	}{
		{appendSeqFrame(nil, frameLive, 0), frame{Type: frameLive, Seq: framePtr(uint64(0))}},
		{appendSeqFrame(nil, frameBehind, 1<<63), frame{Type: frameBehind, Seq: framePtr(uint64(1 << 63))}},
		{appendErrorFrame(nil, `relay "shutting" down`), frame{Type: frameError, Message: `relay "shutting" down`}},
	}
	for _, tt := range tests {
		got, err := decodeFrame(tt.data)
		if err != nil {
			t.Fatalf("decode %s: %v", tt.data, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("decode %s = %+v, want %+v", tt.data, got, tt.want)
		}
	}
}

func framePtr[T any](v T) *T { return &v }
