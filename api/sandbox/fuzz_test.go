package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// FuzzDecodeBody: request bodies never panic the decoder, and every
// refusal is a 400 with a code.
func FuzzDecodeBody(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"type":"virtual"}`, `{"spending_limit":{"amount":1,"interval":"daily"}}`,
		`{"spending_limit":{"amount":1e99}}`, `{"spending_limit":{"amount":-9223372036854775809}}`,
		`{"spending_controls":{"blocked_categories":[null,1,{}]}}`, `{"metadata":{"a":null}}`, `{"metadata":[]}`,
		`{"name":{"first_name":{"x":1}}}`, `{"a":1}{"b":2}`, `{"type":"virtual",}`, "{\"type\":\"\xff\"}",
		`{"address":{"line1":"x","city":"y","country":"GB","extra":true}}`, `{"expire_previous_in_seconds": 1.5}`,
		strings.Repeat("[", 10000), `{"pin":1234}`, `{"Type":"virtual"}`,
	} {
		f.Add([]byte(seed))
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add([]byte(`{"metadata":{"\u001b]52;c;eA==\u0007":"\u202e` + "4929 5801 7316 0424" + `"},"name":{"first_name":"\u009b2J"}}`))
	f.Add([]byte(`{"spending_limit":{"amount":4929580173160424.5}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{
			&vaultspay.UserCreate{}, &vaultspay.UserUpdate{}, &vaultspay.CardCreate{}, &vaultspay.CardUpdate{},
			&vaultspay.ConvertToPhysical{}, &vaultspay.PINSet{}, &vaultspay.RotateSecret{}, &vydapay.CardCreate{},
			&vydapay.CardholderCreate{}, &vydapay.CardUpdate{}, &vydapay.ReceiptCreate{}, &struct{}{},
		}
		for _, dst := range targets {
			e := decodeBody(body, dst)
			if e == nil {
				if !json.Valid(body) && len(bytes.TrimSpace(body)) > 0 {
					t.Fatalf("accepted invalid JSON %q", body)
				}
				continue
			}
			if e.status != http.StatusBadRequest || e.code == "" || e.msg == "" {
				t.Fatalf("refusal %+v", e)
			}
		}
	})
}

// FuzzQuery: query strings never panic the parsers, and every refusal
// names its parameter.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{
		"", "limit=10", "limit=0", "limit=101", "limit=-1", "limit=9999999999999999999", "cursor=bjpjYXJkX3g",
		"cursor=%ZZ", "starting_after=a&ending_before=b", "status=completed&type=refund", "min_amount=5&max_amount=4",
		"created_after=2026-04-24T14:52:03Z&created_before=2026-04-24", "created_after=2026-13-45", "a=1;b=2", "limit=1&limit=2",
		"cursor=cDo", "cursor=" + strings.Repeat("A", 5000),
	} {
		f.Add(seed)
	}
	allowed := []string{"limit", "cursor", "starting_after", "ending_before", "status", "type", "min_amount", "max_amount", "created_after", "created_before"}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("limit=" + "4929580173160424")
	f.Add("cursor=%1B%5D52%3Bc%3BeA%3D%3D%07&status=%E2%80%AE")
	f.Fuzz(func(t *testing.T, raw string) {
		q, e := parseQuery(raw, allowed)
		if e != nil {
			if e.status != 400 || e.code == "" {
				t.Fatalf("refusal %+v", e)
			}
			return
		}
		checks := []func() *apiError{
			func() *apiError { _, e := vpPageParams(q); return e },
			func() *apiError { _, e := vyPageParams(q); return e },
			func() *apiError {
				_, e := readTxFilter(q, []string{"pending", "completed"}, []string{"purchase", "refund"})
				return e
			},
		}
		for _, check := range checks {
			if e := check(); e != nil && (e.status != 400 || e.code == "" || e.param == "") {
				t.Fatalf("refusal without a parameter: %+v", e)
			}
		}
		if p, e := vpPageParams(q); e == nil && (p.limit < 1 || p.limit > 100) {
			t.Fatalf("limit %d accepted", p.limit)
		}
	})
}

// FuzzHandler sends arbitrary requests through the whole handler: no
// answer is a 500 and no handler panics.
func FuzzHandler(f *testing.F) {
	s := newTestServer(f, Config{Seed: 80, RateLimit: -1})
	cfg := s.Config()
	card := s.vp.cards.order[0].id
	vyCard := s.vy.cards.order[0].id
	tx := s.vy.txs.order[0].id
	for _, seed := range []struct {
		method, path, ctype string
		body                string
	}{
		{"POST", "/vaultspay/v1/users", "application/json", `{"first_name":"A","last_name":"B","email":"a@b.co"}`},
		{"POST", "/vaultspay/v1/cards", "application/json", `{"user_id":"x","account_id":"y","type":"virtual","spending_limit":{"amount":1,"interval":"daily"}}`},
		{"PATCH", "/vaultspay/v1/cards/" + card, "application/json", `{"metadata":{"a":""},"spending_controls":{"blocked_countries":["RU"]}}`},
		{"POST", "/vaultspay/v1/cards/" + card + "/terminate", "application/json", `{"reason":"lost"}`},
		{"POST", "/vaultspay/v1/cards/" + card + "/pin", "application/json", `{"pin_token":"x","pin":"1234"}`},
		{"GET", "/vaultspay/v1/cards/" + card + "/transactions?limit=3&status=settled", "", ""},
		{"GET", "/vaultspay/v1/users?query=%2B44&cursor=cDp1c3JfeA", "", ""},
		{"POST", "/vaultspay/v1/users/x/documents", "application/json", `{"type":"passport","filename":"a","file_base64":"=="}`},
		{"POST", "/vydapay/v1/cards", "application/json", `{"type":"physical","currency":"GBP","cardholder_id":"ch_x"}`},
		{"POST", "/vydapay/v1/cards/" + vyCard + "/cancel", "application/json", `{"reason":"` + strings.Repeat("r", 300) + `"}`},
		{"POST", "/vydapay/v1/transactions/" + tx + "/receipt", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\n\r\nPDF\r\n--b--\r\n"},
		{"POST", "/vydapay/v1/transactions/" + tx + "/receipt", "multipart/form-data", "--b\r\n"},
		{"GET", "/vydapay/v1/transactions?card_id=" + vyCard + "&ending_before=" + tx, "", ""},
		{"DELETE", "/vydapay/v1/cards", "", ""},
		{"GET", "/vydapay/v1/../../etc/passwd", "", ""},
		{"POST", "/vaultspay/v1/webhooks/endpoints", "application/json", `{"url":"https://example.com"}`},
	} {
		f.Add(seed.method, seed.path, seed.ctype, []byte(seed.body), uint8(0))
	}
	h := s.Handler()
	keys := []string{cfg.VaultsPayKey, cfg.VydapayKey, cfg.VaultsPayReadOnlyKey, cfg.VydapayPublishableKey, ""}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("GET", "/vaultspay/v1/cards/%1B%5D52;c;eA==%07"+"4929580173160424", "", []byte{}, uint8(0))
	f.Add("PATCH", "/vaultspay/v1/cards/"+card, "application/json", []byte(`{"metadata":{"\u001b[2J":"`+"4929 5801 7316 0424"+`\u202e"}}`), uint8(0))
	f.Add("POST", "/vydapay/v1/cards", "application/json", []byte(`{"type":"virtual","currency":"\u009b2J","cardholder_id":"`+"4929580173160424"+`"}`), uint8(1))
	f.Fuzz(func(t *testing.T, method, path, ctype string, body []byte, key uint8) {
		req, err := http.NewRequest(method, "http://sandbox.test"+path, bytes.NewReader(body))
		if err != nil || !strings.HasPrefix(req.URL.Path, "/") {
			return
		}
		k := keys[int(key)%len(keys)]
		if k != "" {
			req.Header.Set("Authorization", "Bearer "+k)
		}
		req.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 || s.panics.Load() != 0 {
			t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.Bytes())
		}
		if !json.Valid(w.Body.Bytes()) || w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("%s %s: not JSON: %q", method, path, w.Body.Bytes())
		}
	})
}
