package live_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

func TestIntakeAnswers(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)
	wrongVP, wrongVY := vaultspay.NewSecret(), vydapay.NewSecret()
	now := time.Now()

	// vp signs a VaultsPay event; vy a Vydapay one. Each case has its own
	// event id so that anything wrongly stored would show.
	vp := func(id string, secrets []string, ts time.Time) (http.Header, []byte) {
		body := vaultspayBody(id)
		return vaultspayHeaders(t, secrets, id, ts, body), body
	}
	vy := func(id, secret string) (http.Header, []byte) {
		body := vydapayBody(id)
		return vydapayHeaders(secret, body), body
	}
	with := func(h http.Header, k, v string) http.Header {
		h = h.Clone()
		if v == "" {
			h.Del(k)
		} else {
			h.Set(k, v)
		}
		return h
	}
	flipByte := func(h http.Header, b []byte) (http.Header, []byte) {
		b = bytes.Clone(b)
		i := bytes.Index(b, []byte(`"amount":`)) + len(`"amount":`)
		b[i]++ // one digit of the amount changes
		return h, b
	}

	tests := []struct {
		name       string
		method     string
		provider   string
		build      func() (http.Header, []byte)
		wantStatus int
		wantError  string // substring of the JSON error; "" for a 200
		stored     string // event id that must be streamed, for a 200
	}{
		{"vaultspay old secret", "", "vaultspay", func() (http.Header, []byte) { return vp("evt_vp_old", f.vpKeys[:1], now) }, 200, "", "evt_vp_old"},
		{"vaultspay new secret", "", "vaultspay", func() (http.Header, []byte) { return vp("evt_vp_new", f.vpKeys[1:], now) }, 200, "", "evt_vp_new"},
		{"vaultspay both secrets", "", "vaultspay", func() (http.Header, []byte) { return vp("evt_vp_both", f.vpKeys, now) }, 200, "", "evt_vp_both"},
		{"vydapay old secret", "", "vydapay", func() (http.Header, []byte) { return vy("evt_vy_old", f.vyKeys[0]) }, 200, "", "evt_vy_old"},
		{"vydapay new secret", "", "vydapay", func() (http.Header, []byte) { return vy("evt_vy_new", f.vyKeys[1]) }, 200, "", "evt_vy_new"},
		{"charset utf-8 allowed", "", "vydapay", func() (http.Header, []byte) {
			h, b := vy("evt_vy_charset", f.vyKeys[1])
			return with(h, "Content-Type", "application/json; charset=UTF-8"), b
		}, 200, "", "evt_vy_charset"},

		{"vaultspay wrong secret", "", "vaultspay", func() (http.Header, []byte) { return vp("evt_r1", []string{wrongVP}, now) }, 401, "signature mismatch", ""},
		{"vydapay wrong secret", "", "vydapay", func() (http.Header, []byte) { return vy("evt_r2", wrongVY) }, 401, "signature mismatch", ""},
		{"vaultspay one byte changed", "", "vaultspay", func() (http.Header, []byte) {
			h, b := vp("evt_r3", f.vpKeys, now)
			b = bytes.Replace(b, []byte(`"4821"`), []byte(`"4822"`), 1)
			return h, b
		}, 401, "signature mismatch", ""},
		{"vydapay one byte changed", "", "vydapay", func() (http.Header, []byte) { return flipByte(vy("evt_r4", f.vyKeys[1])) }, 401, "signature mismatch", ""},
		{"vaultspay stale timestamp", "", "vaultspay", func() (http.Header, []byte) { return vp("evt_r5", f.vpKeys, now.Add(-10*time.Minute)) }, 401, "stale timestamp", ""},
		{"vaultspay future timestamp", "", "vaultspay", func() (http.Header, []byte) { return vp("evt_r6", f.vpKeys, now.Add(10*time.Minute)) }, 401, "future timestamp", ""},
		{"vaultspay missing signature", "", "vaultspay", func() (http.Header, []byte) {
			h, b := vp("evt_r7", f.vpKeys, now)
			return with(h, vaultspay.HeaderSignature, ""), b
		}, 401, "missing signature", ""},
		{"vaultspay missing timestamp", "", "vaultspay", func() (http.Header, []byte) {
			h, b := vp("evt_r8", f.vpKeys, now)
			return with(h, vaultspay.HeaderTimestamp, ""), b
		}, 401, "missing signature", ""},
		{"vydapay missing signature", "", "vydapay", func() (http.Header, []byte) { return http.Header{}, vydapayBody("evt_r9") }, 401, "missing signature", ""},
		{"vydapay malformed signature", "", "vydapay", func() (http.Header, []byte) {
			return with(http.Header{}, vydapay.SignatureHeader, "not-hex"), vydapayBody("evt_r10")
		}, 401, "malformed signature", ""},
		{"vaultspay malformed timestamp", "", "vaultspay", func() (http.Header, []byte) {
			h, b := vp("evt_r11", f.vpKeys, now)
			return with(h, vaultspay.HeaderTimestamp, "yesterday"), b
		}, 401, "malformed signature", ""},
		{"wrong content type", "", "vydapay", func() (http.Header, []byte) {
			h, b := vy("evt_r12", f.vyKeys[1])
			return with(h, "Content-Type", "text/plain"), b
		}, 415, "want application/json", ""},
		{"form content type", "", "vaultspay", func() (http.Header, []byte) {
			h, b := vp("evt_r13", f.vpKeys, now)
			return with(h, "Content-Type", "application/x-www-form-urlencoded"), b
		}, 415, "want application/json", ""},
		{"latin-1 charset", "", "vydapay", func() (http.Header, []byte) {
			h, b := vy("evt_r14", f.vyKeys[1])
			return with(h, "Content-Type", "application/json; charset=iso-8859-1"), b
		}, 415, "charset", ""},
		{"oversized body", "", "vydapay", func() (http.Header, []byte) {
			b := append(vydapayBody("evt_r15")[:0:0], bytes.Repeat([]byte(" "), live.MaxWebhookBody)...)
			b = append(b, vydapayBody("evt_r15")...)
			return vydapayHeaders(f.vyKeys[1], b), b
		}, 413, "larger than", ""},
		{"malformed JSON, signed", "", "vydapay", func() (http.Header, []byte) {
			b := []byte(`{"id":"evt_r16","object":"event",`)
			return vydapayHeaders(f.vyKeys[1], b), b
		}, 400, "malformed JSON", ""},
		{"JSON but not an event, signed", "", "vaultspay", func() (http.Header, []byte) {
			b := []byte(`{"hello":"world"}`)
			return vaultspayHeaders(t, f.vpKeys, "evt_r17", now, b), b
		}, 400, "not a valid event", ""},
		{"unknown provider", "", "paypal", func() (http.Header, []byte) { return vy("evt_r18", f.vyKeys[1]) }, 404, "unknown provider", ""},
		{"wrong method", http.MethodGet, "vydapay", func() (http.Header, []byte) { return vy("evt_r19", f.vyKeys[1]) }, 405, "use POST", ""},
		{"PUT", http.MethodPut, "vaultspay", func() (http.Header, []byte) { return vp("evt_r20", f.vpKeys, now) }, 405, "use POST", ""},
	}
	var wantStream []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, body := tt.build()
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			got := f.post(t, method, tt.provider, h, body)
			if got.Status != tt.wantStatus {
				t.Fatalf("status %d (%q), want %d", got.Status, got.Error, tt.wantStatus)
			}
			if tt.wantError == "" {
				if got.Error != "" || got.Seq == 0 || got.Duplicate {
					t.Errorf("answer %+v, want a new seq", got)
				}
				recs, err := f.store.After(context.Background(), got.Seq-1, 1)
				if err != nil || len(recs) != 1 || recs[0].EventID != tt.stored {
					t.Errorf("after the 200, the store holds %v (%v), want %s at seq %d", eventIDs(recs), err, tt.stored, got.Seq)
				}
				wantStream = append(wantStream, tt.provider+"/"+tt.stored)
				return
			}
			if !strings.Contains(got.Error, tt.wantError) {
				t.Errorf("error %q, want it to mention %q", got.Error, tt.wantError)
			}
			if len(got.Error) > 200+len("…") {
				t.Errorf("error is not short: %d bytes", len(got.Error))
			}
		})
	}

	// Only the accepted events were stored, and only they were streamed: a
	// last event arrives right after them.
	body := vydapayBody("evt_last")
	if got := f.postVydapay(t, body); got.Status != 200 {
		t.Fatalf("last event: %+v", got)
	}
	wantStream = append(wantStream, "vydapay/evt_last")
	recs := receive(t, sub, len(wantStream))
	if got := strings.Join(eventIDs(recs), " "); got != strings.Join(wantStream, " ") {
		t.Errorf("streamed %s\nwant     %s", got, strings.Join(wantStream, " "))
	}
	for i, r := range recs {
		if r.Seq != uint64(i+1) {
			t.Errorf("record %d has seq %d", i, r.Seq)
		}
	}
	h, err := f.store.Health(context.Background())
	if err != nil || h.Count != int64(len(wantStream)) {
		t.Errorf("store holds %d events (%v), want %d", h.Count, err, len(wantStream))
	}
}

func TestIntakeDuplicateStoredOnceStreamedOnce(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)

	vy := vydapayBody("evt_dup_vy")
	vp := vaultspayBody("evt_dup_vp")
	first := []reply{
		f.postVydapay(t, vy),
		f.post(t, http.MethodPost, "vaultspay", vaultspayHeaders(t, f.vpKeys[:1], "evt_dup_vp", time.Now(), vp), vp),
	}
	// Providers retry: the same event again, re-signed (VaultsPay with a
	// later timestamp and the other secret).
	again := []reply{
		f.post(t, http.MethodPost, "vydapay", vydapayHeaders(f.vyKeys[0], vy), vy),
		f.post(t, http.MethodPost, "vaultspay", vaultspayHeaders(t, f.vpKeys[1:], "evt_dup_vp", time.Now().Add(time.Minute), vp), vp),
		f.postVydapay(t, vy),
	}
	for i, r := range first {
		if r.Status != 200 || r.Duplicate || r.Seq != uint64(i+1) {
			t.Errorf("first delivery %d: %+v", i, r)
		}
	}
	for i, r := range again {
		want := first[i%2].Seq
		if r.Status != 200 || !r.Duplicate || r.Seq != want {
			t.Errorf("repeat delivery %d: %+v, want duplicate of seq %d", i, r, want)
		}
	}
	// The same event id under the other provider is another event.
	other := vaultspayBody("evt_dup_vy")
	if r := f.post(t, http.MethodPost, "vaultspay", vaultspayHeaders(t, f.vpKeys, "evt_dup_vy", time.Now(), other), other); r.Status != 200 || r.Duplicate || r.Seq != 3 {
		t.Errorf("same id, other provider: %+v", r)
	}
	recs := receive(t, sub, 3)
	if got := strings.Join(eventIDs(recs), " "); got != "vydapay/evt_dup_vy vaultspay/evt_dup_vp vaultspay/evt_dup_vy" {
		t.Errorf("streamed %s", got)
	}
	if h, err := f.store.Health(context.Background()); err != nil || h.Count != 3 {
		t.Errorf("store holds %d events (%v), want 3", h.Count, err)
	}
}

func TestIntakeAcksOnlyAfterCommit(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)
	body := vydapayBody("evt_retry")

	f.gate.failAppend.Store(true)
	for range 2 {
		got := f.postVydapay(t, body)
		if got.Status != http.StatusServiceUnavailable || got.Error != "store unavailable" {
			t.Fatalf("failing store: %+v, want 503 store unavailable", got)
		}
	}
	if seq, err := f.store.LastSeq(context.Background()); err != nil || seq != 0 {
		t.Fatalf("after failed appends the store's last seq is %d (%v)", seq, err)
	}
	// The provider retries once the store is back.
	f.gate.failAppend.Store(false)
	got := f.postVydapay(t, body)
	if got.Status != 200 || got.Duplicate || got.Seq != 1 {
		t.Fatalf("retry: %+v, want 200 seq 1", got)
	}
	recs, err := f.store.After(context.Background(), 0, 10)
	if err != nil || len(recs) != 1 || recs[0].EventID != "evt_retry" {
		t.Fatalf("store after the ack: %v (%v)", eventIDs(recs), err)
	}
	// Nothing was streamed for the failures: the first record is the retry,
	// and a later event follows it directly.
	if r := f.postVydapay(t, vydapayBody("evt_after")); r.Status != 200 {
		t.Fatal(r)
	}
	streamed := receive(t, sub, 2)
	if got := strings.Join(eventIDs(streamed), " "); got != "vydapay/evt_retry vydapay/evt_after" {
		t.Errorf("streamed %s", got)
	}
}
