package live_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// FuzzIntake throws arbitrary deliveries at the intake: whatever arrives,
// the answer is a JSON 2xx or 4xx, never a 5xx (the store never fails
// here) and never a panic. sign chooses the signature: 0 none, 1 a valid
// one over the fuzzed body (so that the event decoder sees it), 2 the
// fuzzed header value.
func FuzzIntake(f *testing.F) {
	vpSecret, vySecret := vaultspay.NewSecret(), vydapay.NewSecret()
	vp, err := vaultspay.NewVerifier(vpSecret)
	if err != nil {
		f.Fatal(err)
	}
	vy, err := vydapay.NewVerifier(vySecret)
	if err != nil {
		f.Fatal(err)
	}
	hub := live.NewHub()
	relay, err := live.NewRelay(live.RelayConfig{
		Store: live.NewNopStore(hub.Publish), Hub: hub, Token: "fuzz-token",
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: vp, vydapay.Provider: vy},
	})
	if err != nil {
		f.Fatal(err)
	}
	h := relay.Handler()

	f.Add("vydapay", uint8(0), "application/json", uint8(1), "", vydapayBody("evt_seed_1"))
	f.Add("vaultspay", uint8(0), "application/json", uint8(1), "", vaultspayBody("evt_seed_2"))
	f.Add("vydapay", uint8(0), "application/json; charset=utf-8", uint8(2), "00", vydapayBody("evt_seed_3"))
	f.Add("vaultspay", uint8(0), "application/json", uint8(2), "v1,AAAA v2,zz", vaultspayBody("evt_seed_4"))
	f.Add("vydapay", uint8(0), "application/json", uint8(1), "", []byte(`{"id":"x","type":"transaction.created","created_at":"2026-01-01T00:00:00Z","data":{"object":[]}}`))
	f.Add("vaultspay", uint8(0), "application/json", uint8(1), "", []byte(`{"id":"x","type":"transaction.settled","timestamp":"2026-01-01T00:00:00Z","data":{"amount":"12"}}`))
	f.Add("vydapay", uint8(0), "application/json", uint8(1), "", []byte(`[1,2,3]`))
	f.Add("vydapay", uint8(0), "application/json", uint8(1), "", []byte("\xff\xfe{\"id\":\"\u0000\"}"))
	f.Add("vydapay", uint8(1), "text/plain", uint8(0), "", []byte("hello"))
	f.Add("../admin", uint8(0), "application/json", uint8(0), "", []byte("{}"))
	f.Add("vaultspay", uint8(2), "multipart/form-data; boundary=\"", uint8(2), "", []byte{})

	methods := []string{http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete, "PATCH", "OPTIONS"}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("vaultspay", uint8(0), "application/json", uint8(1), "", []byte(`{"id":"\u001b]52;c;eA==\u0007`+"4929 5801 7316 0424"+`","type":"card.frozen","timestamp":"`+"4929580173160424"+`","data":{}}`))
	f.Add("vydapay", uint8(0), "application/json", uint8(1), "", []byte(`{"id":"e","object":"event","type":"card.frozen","created_at":"2026-01-01T00:00:00Z","data":{"object":`+string(bytes.Repeat([]byte("["), 5000))+`}}`))
	f.Add("vaultspay", uint8(0), "application/json", uint8(2), "\u202e"+"4929580173160424", []byte("{}"))
	f.Fuzz(func(t *testing.T, provider string, method uint8, contentType string, sign uint8, header string, body []byte) {
		hdr := http.Header{}
		switch sign % 3 {
		case 1:
			sh, err := vaultspay.Sign([]string{vpSecret}, "evt_fuzz", time.Now(), body)
			if err != nil {
				t.Fatal(err)
			}
			hdr = sh
			hdr.Set(vydapay.SignatureHeader, vydapay.Sign(vySecret, body))
		case 2:
			hdr.Set(vaultspay.HeaderID, "evt_fuzz")
			hdr.Set(vaultspay.HeaderTimestamp, header)
			hdr.Set(vaultspay.HeaderSignature, header)
			hdr.Set(vydapay.SignatureHeader, header)
		}
		if contentType != "" {
			hdr.Set("Content-Type", contentType)
		}
		req := &http.Request{
			Method:        methods[int(method)%len(methods)],
			URL:           &url.URL{Path: "/webhooks/" + provider},
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Header:        hdr,
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)),
			Host:          "relay.test",
			RemoteAddr:    "127.0.0.1:1234",
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.WithContext(t.Context()))
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.Bytes())
		}
		if rec.Code == http.StatusMovedPermanently || rec.Code == http.StatusTemporaryRedirect || rec.Code == http.StatusPermanentRedirect {
			return // the mux cleaning an odd path
		}
		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d answer is not JSON: %q", rec.Code, rec.Body.Bytes())
		}
		_, hasSeq := answer["seq"]
		_, hasErr := answer["error"]
		if (rec.Code == 200) != hasSeq || (rec.Code != 200) != hasErr {
			t.Fatalf("status %d answer %v", rec.Code, answer)
		}
	})
}
