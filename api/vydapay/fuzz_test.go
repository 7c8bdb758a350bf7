package vydapay

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api"
)

func FuzzParseSignature(f *testing.F) {
	for _, s := range []string{vectorSig, strings.ToUpper(vectorSig), "", " ", vectorSig[:63], "sha256=" + vectorSig, "zz", "\x00\xff"} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("4929580173160424")
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		sig, err := ParseSignature(s)
		if err != nil {
			if !errors.Is(err, api.ErrSignatureMalformed) {
				t.Fatalf("error %v does not wrap ErrSignatureMalformed", err)
			}
			return
		}
		if len(sig) != 32 {
			t.Fatalf("%d bytes accepted", len(sig))
		}
	})
}

// FuzzVerify feeds any header value and body: the answer is one of the
// sentinels, and a success means the signature really is the body's.
func FuzzVerify(f *testing.F) {
	f.Add(vectorSig, []byte(vectorBody))
	f.Add(otherSig, []byte(vectorBody))
	f.Add("", []byte{})
	f.Add("not hex", []byte("{}"))
	v, err := NewVerifier(vectorSecret)
	if err != nil {
		f.Fatal(err)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f", []byte("4929 5801 7316 0424"))
	f.Fuzz(func(t *testing.T, sig string, body []byte) {
		h := http.Header{}
		h.Set(SignatureHeader, sig)
		err := v.Verify(h, body, time.Time{})
		switch {
		case err == nil:
			if strings.TrimSpace(sig) != Sign(vectorSecret, body) {
				t.Fatalf("accepted a signature that is not the body's")
			}
		case errors.Is(err, api.ErrSignatureMissing), errors.Is(err, api.ErrSignatureMalformed), errors.Is(err, api.ErrSignatureMismatch):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(eventBody(EventTxDeclined, txObj("declined", `,"decline_reason":"blocked_country"`))))
	f.Add([]byte(eventBody(EventTxCompleted, txObj("completed", ""))))
	f.Add([]byte(eventBody(EventCardCancelled, cardObj("cancelled"))))
	f.Add([]byte(eventBody(EventReceiptMatched, receiptObject)))
	f.Add([]byte(eventBody("something.new", `{}`)))
	// Drift: types, states and fields the reference does not have.
	f.Add([]byte(eventBody("transaction.updated", txObj("reversed", `,"network":{"id":"n1"}`))))
	f.Add([]byte(eventBody("card.reissued", strings.Replace(cardObj("suspended_by_bank"), `"virtual"`, `"single_use"`, 1))))
	f.Add([]byte(eventBody(EventTxCreated, `{"id":"txn_1","amount":4599,"currency":"GBP"}`)))
	f.Add([]byte(eventBody(EventCardFrozen, "null")))
	f.Add([]byte(`{"id":"evt_1"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Add([]byte(`{"id":"evt_1","type":"card.frozen","created_at":"2025-12-02T14:30:00Z","data":{"object":{"id":"c","exp_month":1e400}}}`))
	var v Verifier
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add([]byte(`{"id":"\u001b]52;c;eA==\u0007` + "4929 5801 7316 0424" + `","object":"\u202e","type":"card.frozen","created_at":"` + "4929580173160424" + `"}`))
	f.Add([]byte(`{"id":"e","object":"event","type":"card.frozen","created_at":"2025-12-02T14:30:00Z","data":{"object":{"id":"c","object":"card","exp_month":4929580173160424.5}}}`))
	f.Add([]byte(`{"id":"e","object":"event","type":"card.frozen","created_at":"2025-12-02T14:30:00Z","data":{"object":` + strings.Repeat("[", 5000) + `}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		orig := bytes.Clone(body)
		ev, err := v.Parse(body)
		if !bytes.Equal(orig, body) {
			t.Fatal("Parse changed its input")
		}
		if err != nil {
			if !errors.Is(err, api.ErrPayloadInvalid) {
				t.Fatalf("error %v does not wrap ErrPayloadInvalid", err)
			}
			return
		}
		if ev.ID == "" || ev.ProviderType == "" || ev.Type == "" || ev.CreatedAt.IsZero() || len(ev.Raw) == 0 {
			t.Fatalf("incomplete event %+v", ev)
		}
		// A good envelope is an event: with its object, or saying why
		// its data could not be read, never both.
		hasObject := ev.Card != nil || ev.Transaction != nil
		if ev.Type != api.EventUnknown && ev.Type != api.EventReceiptMatched && !hasObject && ev.DataError == "" {
			t.Fatalf("%s event without its object and without a reason", ev.Type)
		}
		if hasObject && ev.DataError != "" {
			t.Fatalf("an object and a data error: %+v", ev)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"type":"invalid_request_error","code":"parameter_invalid","message":"m","param":"p","doc_url":"u"}}`))
	f.Add(409, []byte(`{"error":{"type":"card_error","code":"card_cancelled","message":"cancelled"}}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(500, []byte(``))
	f.Add(400, []byte(`{"error":{"type":`))
	f.Add(404, []byte(`404 page not found`))
	f.Add(401, []byte(`{"error":"x"}`))
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add(400, []byte(`{"error":{"type":"\u001b[2J","code":"`+"4929580173160424"+`","message":"\u202e`+"4929 5801 7316 0424"+`","doc_url":"\u009b2J"}}`))
	f.Add(409, []byte(`{"error":{"type":"\u001b"}}`))
	f.Add(500, []byte(strings.Repeat("{\"error\":", 3000)))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := DecodeError(status, http.Header{}, body)
		if e == nil || e.Status != status || e.Provider != Provider {
			t.Fatalf("DecodeError = %+v", e)
		}
		if e.Message == "" && e.Type == "" && e.Code == "" {
			t.Fatal("an error that says nothing")
		}
		_ = e.Error()
	})
}

func FuzzKeyMode(f *testing.F) {
	for _, k := range []string{"sk_test_abc", "sk_live_abc", "pk_test_abc", "", "vp_test_x", "sk_test_", " sk_live_x"} {
		f.Add(k)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("sk_test_" + "\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Add("\u202esk_live_x")
	f.Fuzz(func(t *testing.T, key string) {
		mode, err := KeyMode(key)
		if err != nil {
			if len(key) > 12 && strings.Contains(err.Error(), key) {
				t.Fatal("error quotes the key")
			}
			return
		}
		want := api.ModeTest
		if strings.HasPrefix(key, LiveKeyPrefix) {
			want = api.ModeLive
		}
		if mode != want || !strings.HasPrefix(key, "sk_") {
			t.Fatalf("KeyMode(%q) = %s", key, mode)
		}
	})
}

// FuzzSafeID checks that no long digit run survives masking.
func FuzzSafeID(f *testing.F) {
	for _, s := range []string{"card_abc", "4111111111111111", "4111 1111 1111 1111", "x-1234567890123-y", ""} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f" + "4929 5801 7316 0424")
	f.Add("card_\u200b4929\u200b5801\u200b7316\u200b0424")
	f.Fuzz(func(t *testing.T, id string) {
		quoted := safeID(id)
		if !utf8.ValidString(quoted) {
			t.Fatalf("safeID(%q) = %q is not UTF-8", id, quoted)
		}
		out, err := strconv.Unquote(quoted)
		if err != nil {
			t.Fatalf("safeID(%q) = %s is not a quoted string", id, quoted)
		}
		run := 0
		for i := 0; i < len(out); i++ {
			switch {
			case isDigit(out[i]):
				run++
				if run > 8 {
					t.Fatalf("safeID(%q) = %s leaves %d digits in a row", id, out, run)
				}
			case out[i] != ' ' && out[i] != '-':
				run = 0
			}
		}
	})
}
