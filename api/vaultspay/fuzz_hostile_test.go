package vaultspay_test

import (
	"net/http"
	"testing"

	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// textProblems is what makes an error's text unfit for a screen or a log:
// escapes, controls, bidi or invisible characters, a card number.
func textProblems(s string) []string {
	return append(safetexttest.Controls(s), safetexttest.CardNumbers(s, nil)...)
}

// FuzzParseEventErrorText: whatever a webhook body holds, the error that
// refuses it quotes it safely.
func FuzzParseEventErrorText(f *testing.F) {
	W, pan := safetexttest.Wrap, safetexttest.PAN(1)
	for _, s := range []string{
		`{"id":"` + "\u202e" + pan + `","timestamp":"` + pan + `"}`,
		`{"id":"e","type":"card.updated","timestamp":"2026-03-14T09:30:00Z","data":{"object":"` + pan + `"}}`,
		`{"id":"e","type":"card.updated","timestamp":"2026-03-14T09:30:00Z","data":{"id":"c","object":"card","status":"\u001b[2J` + pan + `"}}`,
		`{"id":"e","type":"card.updated","timestamp":"2026-03-14T09:30:00Z","data":{"id":"c","object":"card","exp_month":4929580173160424.5}}`,
		`{"id":"e","type":"transaction.declined","timestamp":"2026-03-14T09:30:00Z","data":{"id":"t","object":"transaction","amount":1e400}}`,
		`{"id":"e","type":"user.updated","timestamp":"2026-03-14T09:30:00Z","data":` + deep(500) + `}`,
		`{"id":"` + W("e") + `","type":"card.updated","timestamp":"2026-03-14T09:30:00Z","data":{"id":"\u009b2J","object":"card","created_at":"\u2066x"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := vaultspay.ParseEvent(body)
		if err == nil {
			return
		}
		if p := textProblems(err.Error()); len(p) > 0 {
			t.Fatalf("ParseEvent error %q: %v", err, p)
		}
	})
}

// FuzzDecodeErrorText: whatever a provider answers, the *api.Error it
// becomes prints safely.
func FuzzDecodeErrorText(f *testing.F) {
	pan := safetexttest.PAN(2)
	f.Add(uint16(400), "req_\u202e"+pan, "application/json", []byte(`{"error":{"type":"\u001b]52;c;eA==\u0007","code":"`+pan+`","message":"card `+pan+`\u200b","param":"\u009b2J","request_id":"`+pan+`"}}`))
	f.Add(uint16(502), pan, "text/html\u202e"+pan, []byte("<html>"+pan+"</html>"))
	f.Add(uint16(409), "", "", []byte(`{"error":{"type":"\u001b"}}`))
	f.Add(uint16(429), "", "", []byte(deep(200)))
	f.Fuzz(func(t *testing.T, status uint16, requestID, contentType string, body []byte) {
		h := http.Header{}
		h.Set("X-Request-Id", requestID)
		h.Set("Content-Type", contentType)
		e := vaultspay.DecodeError(100+int(status)%500, h, body)
		// Each value from outside is made safe on its own; their joining in
		// Error ("500 " and a numeric code) may look like a card number,
		// so Error itself is held to escapes and controls only.
		if p := safetexttest.Controls(e.Error()); len(p) > 0 {
			t.Fatalf("DecodeError text %q: %v", e.Error(), p)
		}
		for _, field := range []string{e.Type, e.Code, e.Message, e.Param, e.RequestID, e.DocURL} {
			if p := textProblems(field); len(p) > 0 {
				t.Fatalf("DecodeError field %q: %v", field, p)
			}
		}
		if e.Type == "" && e.Code == "" && e.Message == "" {
			t.Fatalf("an error that says nothing: %+v", e)
		}
	})
}

// deep is n nested JSON arrays.
func deep(n int) string {
	b := make([]byte, 0, 2*n)
	for range n {
		b = append(b, '[')
	}
	for range n {
		b = append(b, ']')
	}
	return string(b)
}
