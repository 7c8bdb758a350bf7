package live_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// referenceVydapayWebhook is the Vydapay reference's webhook example with
// the "// ... full transaction object" filled in by the reference's own
// transaction object, both as printed there (only the comment is gone).
const referenceVydapayWebhook = `{
  "id": "evt_abc123",
  "object": "event",
  "type": "transaction.created",
  "created_at": "2025-12-02T14:30:00Z",
  "data": {
    "object": {
  "id": "txn_abc123xyz789",
  "object": "transaction",
  "amount": 4599,
  "currency": "GBP",
  "status": "completed",
  "type": "purchase",
  "card_id": "card_xyz789def456",
  "cardholder_id": "ch_abc123def456",
  "merchant": {
    "name": "AMAZON UK",
    "category": "online_shopping",
    "category_code": "5411",
    "city": "London",
    "country": "GB"
  },
  "receipt": {
    "id": "rcpt_def456",
    "status": "matched"
  },
  "created_at": "2025-12-02T14:30:00Z"
}
  }
}`

// TestStoredBodiesMaskCardNumbers: a card number in any string of an event
// (merchant, metadata, a decline message, a key) is masked in the body the
// relay stores, in its normalised form and in the provider's payload alike,
// as an operator reading the file with sqlite3 would see it; the body stays
// JSON that decodes to the same event otherwise: amounts, numbers and ids
// unchanged, and a C1 control kept as data but written as an escape.
func TestStoredBodiesMaskCardNumbers(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)
	pans := []string{safetexttest.PAN(40), safetexttest.PAN(41), safetexttest.PAN(42), safetexttest.PAN(43), safetexttest.PAN(44)}
	tight := func(i int) string { return strings.ReplaceAll(pans[i], " ", "") }
	masked := func(i int) string { return "•••• " + safetexttest.LastFour(pans[i]) }
	cardIDWithDigits := "card_" + tight(4) // an id: kept as sent

	vyTx := strings.NewReplacer(
		`"name":"Pret"`, `"name":"PRET `+tight(0)+`"`,
		`"city":"London"`, `"city":"London \u009b2J"`,
		`"amount":1250`, `"amount":4111111111111111`, // a number is never a card number here
		`"card_id":"card_9"`, `"card_id":"`+cardIDWithDigits+`"`,
	).Replace(string(vydapayBody("evt_mask_1")))
	vpCard := strings.NewReplacer(
		`"metadata":{}`, `"metadata":{"note":"call back on `+safetexttest.PANDashed(41)+`","`+tight(2)+`":"as key","ms":"1765000000000"}`,
	).Replace(string(vaultspayBody("evt_mask_2")))

	tests := []struct {
		name     string
		provider string
		body     string
		check    func(t *testing.T, ev api.Event)
	}{
		{"vydapay reference webhook", vydapay.Provider, referenceVydapayWebhook, nil},
		{"vaultspay card", vaultspay.Provider, string(vaultspayBody("evt_plain")), nil},
		{"vydapay decline with card numbers", vydapay.Provider, vyTx, func(t *testing.T, ev api.Event) {
			tx := ev.Transaction
			if tx.Merchant.Name != "PRET "+masked(0) {
				t.Errorf("merchant %q, want the number masked", tx.Merchant.Name)
			}
			if tx.Merchant.City != "London \u009b2J" {
				t.Errorf("city %q, want the C1 control kept as data", tx.Merchant.City)
			}
			if tx.Amount.Amount != 4111111111111111 || tx.CardID != cardIDWithDigits {
				t.Errorf("amount %d, card %q: want them as sent", tx.Amount.Amount, tx.CardID)
			}
		}},
		{"vaultspay card with card numbers in metadata", vaultspay.Provider, vpCard, func(t *testing.T, ev api.Event) {
			md := ev.Card.Metadata
			want := map[string]string{"note": "call back on " + masked(1), masked(2): "as key", "ms": "1765000000000"}
			if !reflect.DeepEqual(md, want) {
				t.Errorf("metadata %q, want %q", md, want)
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			var h http.Header
			if tt.provider == vaultspay.Provider {
				h = vaultspayHeaders(t, f.vpKeys[1:], "msg_mask", time.Now(), body)
			} else {
				h = vydapayHeaders(f.vyKeys[1], body)
			}
			if r := f.post(t, http.MethodPost, tt.provider, h, body); r.Status != http.StatusOK {
				t.Fatalf("answer %d %q", r.Status, r.Error)
			}
			rows := fileRows(t, f.path)
			if len(rows) != i+1 {
				t.Fatalf("%d rows in the file, want %d", len(rows), i+1)
			}
			stored := rows[i].Event
			// The card id and the amount hold card numbers on purpose: ids
			// and numbers are kept.
			text := strings.NewReplacer(cardIDWithDigits, "card_ID", "4111111111111111", "N").Replace(string(stored))
			for _, p := range safetexttest.CardNumbers(text, pans[:4]) {
				t.Errorf("in the file: %s:\n%s", p, stored)
			}
			if bytes.Contains(stored, []byte("\u009b")) {
				t.Errorf("the file holds a raw C1 control:\n%s", stored)
			}
			if !json.Valid(stored) {
				t.Fatalf("stored body is not JSON:\n%s", stored)
			}
			got, err := live.Record{Event: stored}.Decode()
			if err != nil {
				t.Fatalf("stored body does not decode: %v", err)
			}
			scheme := map[string]api.WebhookScheme{}
			vp, _ := vaultspay.NewVerifier(f.vpKeys...)
			vy, _ := vydapay.NewVerifier(f.vyKeys...)
			scheme[vaultspay.Provider], scheme[vydapay.Provider] = vp, vy
			want, err := scheme[tt.provider].Parse(body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, got)
				return
			}
			// Nothing to mask: the event is what the dialect parsed, and
			// the provider's payload is kept byte for byte.
			if !bytes.Equal(got.Raw, want.Raw) {
				t.Errorf("payload changed:\n%s\nwant\n%s", got.Raw, want.Raw)
			}
			got.Raw, want.Raw = nil, nil
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(want)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("stored event decodes to\n%s\nwant\n%s", gotJSON, wantJSON)
			}
		})
	}
	// Subscribers get what the file holds.
	recs := receive(t, sub, len(tests))
	rows := fileRows(t, f.path)
	for i, r := range recs {
		if !bytes.Equal(r.Event, rows[i].Event) {
			t.Errorf("streamed event %d differs from the stored one:\n%s\n%s", i, r.Event, rows[i].Event)
		}
	}
}
