package vaultspay_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

func FuzzParseSignatures(f *testing.F) {
	for _, s := range []string{vecSig, vecSig + " " + vecSig, "v2,abc " + vecSig, "v1,", "v1", "", " ", "v1,@@", "v1a,Zm9v", "v1,,,"} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("v1," + "4929580173160424")
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		sigs, err := vaultspay.ParseSignatures(s)
		if err != nil {
			if !errors.Is(err, api.ErrSignatureMalformed) {
				t.Fatalf("error %v does not wrap ErrSignatureMalformed", err)
			}
			return
		}
		if len(sigs) == 0 {
			t.Fatal("no signatures and no error")
		}
		for _, sig := range sigs {
			if len(sig) != sha256.Size {
				t.Fatalf("signature of %d bytes", len(sig))
			}
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"1614265330", "0", "", "-1", "1e9", "999999999999", "9999999999999", " 1"} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("4929580173160424")
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Add("99999999999999999999999")
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := vaultspay.ParseTimestamp(s)
		if err != nil {
			if !errors.Is(err, api.ErrSignatureMalformed) {
				t.Fatalf("error %v does not wrap ErrSignatureMalformed", err)
			}
			return
		}
		if ts < 0 || strconv.FormatInt(ts, 10) != trimZeros(s) {
			t.Fatalf("ParseTimestamp(%q) = %d", s, ts)
		}
	})
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// FuzzVerify feeds arbitrary headers and bodies to the verifier: it must
// never panic, and must only accept what the secret signed.
func FuzzVerify(f *testing.F) {
	f.Add(vecID, strconv.Itoa(vecTS), vecSig, []byte(vecBody))
	f.Add(vecID, strconv.Itoa(vecTS), "v2,x "+vecSig, []byte(vecBody))
	f.Add("", "", "", []byte{})
	f.Add(vecID, "abc", "v1,", []byte("{}"))
	v, err := vaultspay.NewVerifier(vecSecret)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(vecTS, 0)
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("msg_\u202e"+"4929580173160424", "4929580173160424", "v1,"+"4929580173160424", []byte("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f"))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(vaultspay.HeaderID, id)
		h.Set(vaultspay.HeaderTimestamp, ts)
		h.Set(vaultspay.HeaderSignature, sig)
		err := v.Verify(h, body, now)
		if err == nil && (id != vecID || !bytes.Equal(body, []byte(vecBody))) {
			t.Fatalf("accepted id %q body %q", id, body)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	for _, typ := range []string{vaultspay.EventCardFrozen, vaultspay.EventTxDeclined, vaultspay.EventUserKYCUpdated, vaultspay.EventAccountClosed, vaultspay.EventWebhookTest, "x.y"} {
		for _, data := range []string{cardJSON, txJSON, userJSON, accountJSON, `{}`, `null`} {
			f.Add([]byte(eventJSON(typ, data)))
		}
	}
	// Drift: types, states and fields carddesk does not know.
	f.Add([]byte(eventJSON("transaction.disputed", with(with(txJSON, "status", `"declined"`, `"disputed"`), "type", `"purchase"`, `"fee"`))))
	f.Add([]byte(eventJSON(vaultspay.EventCardUpdated, with(cardJSON, "status", `"frozen"`, `"suspended_by_bank"`))))
	for _, s := range []string{``, `{}`, `[]`, `{"id":"e","type":"card.frozen","timestamp":"2026-04-24T14:52:03Z","data":{"object":"card"}}`, `{"id":1}`, "\x00"} {
		f.Add([]byte(s))
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add([]byte(`{"id":"\u001b]52;c;eA==\u0007` + "4929 5801 7316 0424" + `","type":"card.updated","timestamp":"` + "4929580173160424" + `","data":{}}`))
	f.Add([]byte(`{"id":"e","type":"card.updated","timestamp":"2026-04-24T14:52:03Z","data":{"id":"c","object":"card","exp_month":4929580173160424.5,"amount":1e400}}`))
	f.Add([]byte(`{"id":"e","type":"user.updated","timestamp":"2026-04-24T14:52:03Z","data":` + string(bytes.Repeat([]byte("["), 5000)) + `}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := vaultspay.ParseEvent(body)
		if err != nil {
			if !errors.Is(err, api.ErrPayloadInvalid) {
				t.Fatalf("error %v does not wrap ErrPayloadInvalid", err)
			}
			return
		}
		if ev.ID == "" || ev.ProviderType == "" || ev.Type == "" || ev.CreatedAt.IsZero() || !bytes.Equal(ev.Raw, body) {
			t.Fatalf("incomplete event %+v", ev)
		}
		n := 0
		for _, set := range []bool{ev.Card != nil, ev.Transaction != nil, ev.User != nil, ev.Account != nil} {
			if set {
				n++
			}
		}
		if n > 1 {
			t.Fatalf("%d objects set", n)
		}
		// A good envelope is an event: with its object, or saying why its
		// data could not be read, never both.
		if n > 0 && ev.DataError != "" {
			t.Fatalf("an object and a data error: %+v", ev)
		}
		if n == 0 && ev.DataError == "" && ev.Type.Known() && ev.Type != api.EventWebhookTest {
			t.Fatalf("%s event without its object and without a reason", ev.Type)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(errBody("invalid_request_error", "parameter_missing", "m", "reason", "req_1")))
	f.Add(502, []byte("<html></html>"))
	f.Add(500, []byte(""))
	f.Add(409, []byte(`{"error":{"type":1}}`))
	f.Add(429, []byte(`{"error":null}`))
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add(400, []byte(`{"error":{"type":"\u001b[2J","code":"`+"4929580173160424"+`","message":"\u202e`+"4929 5801 7316 0424"+`","request_id":"\u009b2J"}}`))
	f.Add(409, []byte(`{"error":{"type":"\u001b"}}`))
	f.Add(500, bytes.Repeat([]byte("{\"error\":"), 3000))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := vaultspay.DecodeError(status, http.Header{}, body)
		if e == nil || e.Status != status || e.Provider != vaultspay.Provider || e.Message == "" && e.Type == "" && e.Code == "" {
			t.Fatalf("DecodeError = %+v", e)
		}
		_ = e.Error()
	})
}
