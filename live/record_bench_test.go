package live

import (
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vydapay"
)

// BenchmarkNewRecord is the intake's encoding of one realistic decline
// (normalised event and payload, about 1.3 KB), masking included; the
// mask sub-benchmark is maskStored alone on the encoded body.
func BenchmarkNewRecord(b *testing.B) {
	body := []byte(`{"id":"evt_load_81723","object":"event","type":"transaction.declined","created_at":"2026-12-08T00:17:52Z",` +
		`"data":{"object":{"id":"txn_1Qx81723","object":"transaction","amount":1435,"currency":"gbp","status":"declined","type":"purchase",` +
		`"card_id":"card_xyz789def456","cardholder_id":"ch_abc123def456","merchant":{"name":"Tesco Express Shoreditch",` +
		`"category":"grocery_stores_supermarkets","category_code":"5411","city":"London","country":"GB"},"receipt":null,` +
		`"decline_reason":"insufficient_funds","created_at":"2026-12-08T00:17:51Z","metadata":{"order":"ord_20261208_000173","terminal":"TID00417"}}}}`)
	ev, err := (&vydapay.Verifier{}).Parse(body)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.Run("record", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewRecord(ev, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	enc, err := encodeEvent(ev)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("mask", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(enc)))
		for b.Loop() {
			if _, err := maskStored(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
