package live_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// The relay keeps every event whose envelope and signature are good
// (DESIGN §3): a type, a state or a field carddesk does not know, and data
// it cannot read, are stored and streamed — answered 200, so that the
// provider stops retrying — never refused with a 400 the provider would
// retry for ever while the live update never arrives.
func TestIntakeKeepsWhatItDoesNotKnow(t *testing.T) {
	f := newRelayFixture(t)
	sub := f.subscribe(t, 0)
	vp := func(id, body string) reply {
		b := []byte(body)
		return f.post(t, http.MethodPost, vaultspay.Provider, vaultspayHeaders(t, f.vpKeys, id, time.Now(), b), b)
	}
	vyBody := func(id string) string { return string(vydapayBody(id)) }
	tests := []struct {
		name   string
		post   func() reply
		check  func(api.Event) bool
		wanted string
	}{
		{"vydapay: a type the reference does not list", func() reply {
			body := strings.Replace(vyBody("evt_u1"), `"type":"transaction.declined"`, `"type":"transaction.updated"`, 1)
			return f.postVydapay(t, []byte(strings.Replace(body, `"status":"declined"`, `"status":"reversed"`, 1)))
		}, func(ev api.Event) bool {
			return ev.Type == api.EventUnknown && ev.ProviderType == "transaction.updated" &&
				ev.Transaction != nil && ev.Transaction.Status == api.TxReversed
		}, "an unknown type carrying its transaction"},
		{"vydapay: a transaction type and fields it does not know", func() reply {
			body := strings.Replace(vyBody("evt_u2"), `"type":"purchase"`, `"type":"fee","network":{"id":"n_1"}`, 1)
			return f.postVydapay(t, []byte(body))
		}, func(ev api.Event) bool { return ev.Transaction != nil && ev.Transaction.Type == "fee" }, "type fee kept"},
		{"vydapay: data it cannot read", func() reply {
			return f.postVydapay(t, []byte(strings.Replace(vyBody("evt_u3"), `"amount":1250`, `"amount":"1250"`, 1)))
		}, func(ev api.Event) bool {
			return ev.Transaction == nil && strings.Contains(ev.DataError, "amount")
		}, "no transaction, and why"},
		{"vaultspay: a type and a card state it does not know", func() reply {
			body := strings.Replace(string(vaultspayBody("evt_u4")), `"type":"card.frozen"`, `"type":"card.reissued"`, 1)
			return vp("msg_u4", strings.Replace(body, `"status":"frozen"`, `"status":"suspended_by_bank"`, 1))
		}, func(ev api.Event) bool {
			return ev.Type == api.EventUnknown && ev.ProviderType == "card.reissued" && ev.Card != nil && ev.Card.Status == "suspended_by_bank"
		}, "an unknown type carrying its card, in its state"},
		{"vaultspay: data of no object carddesk has", func() reply {
			return vp("msg_u5", `{"id":"evt_u5","type":"balance.updated","timestamp":"2026-04-24T14:52:03Z","data":{"object":"balance","available":1}}`)
		}, func(ev api.Event) bool { return ev.ProviderType == "balance.updated" && ev.DataError == "" }, "kept, its data in the payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.post(); r.Status != http.StatusOK || r.Seq == 0 || r.Error != "" {
				t.Fatalf("answer %+v, want 200 and a seq", r)
			}
		})
	}
	recs := receive(t, sub, len(tests))
	for i, r := range recs {
		ev, err := r.Decode()
		if err != nil {
			t.Fatalf("record %d: %v", r.Seq, err)
		}
		if !tests[i].check(ev) {
			t.Errorf("%s: streamed %+v, want %s", tests[i].name, ev, tests[i].wanted)
		}
		if len(ev.Raw) == 0 {
			t.Errorf("%s: the provider's payload was not kept", tests[i].name)
		}
	}
}
