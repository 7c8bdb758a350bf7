package vydapay

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

const (
	txObject = `{"id":"txn_abc123xyz789","object":"transaction","amount":4599,"currency":"GBP","status":"%s",
		"type":"purchase","card_id":"card_xyz789def456","cardholder_id":"ch_abc123def456",
		"merchant":{"name":"AMAZON UK","category":"online_shopping","category_code":"5411","city":"London","country":"GB"},
		"receipt":null%s,"created_at":"2025-12-02T14:30:00Z"}`
	cardObject = `{"id":"card_xyz789def456","object":"card","type":"virtual","status":"%s","currency":"GBP",
		"cardholder_id":"ch_abc123","last_four":"4821","exp_month":12,"exp_year":2027,"brand":"mastercard",
		"spending_limit":{"amount":50000,"interval":"monthly"},"spending_controls":{"blocked_categories":["gambling"]},
		"metadata":{},"created_at":"2025-12-02T10:30:00Z","updated_at":"2025-12-02T10:30:00Z"}`
	receiptObject = `{"id":"rcpt_def456","object":"receipt","transaction_id":"txn_abc123xyz789","status":"matched",
		"filename":"receipt.pdf","size":1024,"created_at":"2025-12-02T15:00:00Z"}`
)

func eventBody(typ, object string) string {
	return `{"id":"evt_abc123","object":"event","type":"` + typ + `","created_at":"2025-12-02T14:30:00Z","data":{"object":` + object + `}}`
}

func txObj(status, extra string) string {
	return strings.Replace(strings.Replace(txObject, "%s", status, 1), "%s", extra, 1)
}

func cardObj(status string) string { return strings.Replace(cardObject, "%s", status, 1) }

func TestParseEveryType(t *testing.T) {
	tests := []struct {
		typ        string
		object     string
		want       api.EventType
		txStatus   api.TxStatus
		cardStatus api.CardStatus
		decline    api.DeclineReason
	}{
		{EventTxCreated, txObj("pending", ""), api.EventTxAuthorized, api.TxPending, "", ""},
		{EventTxCompleted, txObj("completed", ""), api.EventTxSettled, api.TxSettled, "", ""},
		// A field the reference does not have is ignored, even one
		// that looks like a reason: Vydapay documents none.
		{EventTxDeclined, txObj("declined", `,"decline_reason":"card_frozen"`), api.EventTxDeclined, api.TxDeclined, "", api.DeclineNotGiven},
		{EventTxRefunded, txObj("refunded", ""), api.EventTxRefunded, api.TxRefunded, "", ""},
		{EventCardCreated, cardObj("active"), api.EventCardCreated, "", api.CardActive, ""},
		{EventCardFrozen, cardObj("frozen"), api.EventCardFrozen, "", api.CardFrozen, ""},
		{EventCardUnfrozen, cardObj("active"), api.EventCardUnfrozen, "", api.CardActive, ""},
		{EventCardCancelled, cardObj("cancelled"), api.EventCardTerminated, "", api.CardTerminated, ""},
		{EventLimitReached, cardObj("active"), api.EventLimitReached, "", api.CardActive, ""},
		{EventReceiptMatched, receiptObject, api.EventReceiptMatched, "", "", ""},
		{"cardholder.updated", `{"id":"ch_1"}`, api.EventUnknown, "", "", ""},
		{"payout.paid", `"anything at all"`, api.EventUnknown, "", "", ""},
		// A type the reference does not list still carries the object its
		// data names, with words the reference lacks kept as sent.
		{"transaction.updated", txObj("reversed", `,"network":{"id":"n_1"}`), api.EventUnknown, api.TxReversed, "", ""},
		{"card.reissued", cardObj("suspended_by_bank"), api.EventUnknown, "", "suspended_by_bank", ""},
	}
	var v *Verifier
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			body := eventBody(tt.typ, tt.object)
			ev, err := v.Parse([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if ev.ID != "evt_abc123" || ev.Provider != Provider || ev.ProviderType != tt.typ || ev.Type != tt.want {
				t.Errorf("id/provider/type = %s/%s/%s/%s", ev.ID, ev.Provider, ev.ProviderType, ev.Type)
			}
			if !ev.CreatedAt.Equal(time.Date(2025, 12, 2, 14, 30, 0, 0, time.UTC)) {
				t.Errorf("created at %v", ev.CreatedAt)
			}
			if string(ev.Raw) != body {
				t.Errorf("raw not kept:\n%s", ev.Raw)
			}
			switch {
			case tt.txStatus != "":
				if ev.Transaction == nil || ev.Card != nil {
					t.Fatalf("want a transaction only: %+v", ev)
				}
				if ev.Transaction.Status != tt.txStatus || ev.CardID() != "card_xyz789def456" || ev.UserID() != "ch_abc123def456" {
					t.Errorf("transaction %+v", ev.Transaction)
				}
				if tt.decline != "" && (ev.Transaction.Decline == nil || ev.Transaction.Decline.Reason != tt.decline) {
					t.Errorf("decline %+v, want %s", ev.Transaction.Decline, tt.decline)
				}
			case tt.cardStatus != "":
				if ev.Card == nil || ev.Transaction != nil {
					t.Fatalf("want a card only: %+v", ev)
				}
				if ev.Card.Status != tt.cardStatus || ev.CardID() != "card_xyz789def456" || ev.UserID() != "ch_abc123" {
					t.Errorf("card %+v", ev.Card)
				}
			default:
				if ev.Card != nil || ev.Transaction != nil || ev.User != nil || ev.Account != nil {
					t.Errorf("want no object: %+v", ev)
				}
			}
		})
	}
	// Every documented type has its own normalised type.
	for _, typ := range []string{EventTxCreated, EventTxCompleted, EventTxDeclined, EventTxRefunded, EventCardCreated,
		EventCardFrozen, EventCardUnfrozen, EventCardCancelled, EventReceiptMatched, EventLimitReached} {
		if EventType(typ) == api.EventUnknown {
			t.Errorf("%s maps to unknown", typ)
		}
	}
}

// Raw is a copy: the relay may reuse its read buffer.
func TestParseCopiesRaw(t *testing.T) {
	body := []byte(eventBody(EventCardFrozen, cardObj("frozen")))
	ev, err := (&Verifier{}).Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	clear(body)
	if string(ev.Raw) != eventBody(EventCardFrozen, cardObj("frozen")) {
		t.Fatal("Raw shares the caller's buffer")
	}
}

func TestParseMalformed(t *testing.T) {
	good := eventBody(EventCardFrozen, cardObj("frozen"))
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "empty body"},
		{"spaces", "  \n", "empty body"},
		{"array", `[` + good + `]`, "not a JSON object"},
		{"string", `"evt"`, "not a JSON object"},
		{"truncated", good[:len(good)-5], "malformed JSON"},
		{"trailing garbage", good + "x", "malformed JSON"},
		{"not an event", strings.Replace(good, `"object":"event"`, `"object":"card"`, 1), "field object"},
		{"no id", strings.Replace(good, `"id":"evt_abc123",`, "", 1), "field id: missing"},
		{"id a number", strings.Replace(good, `"id":"evt_abc123"`, `"id":7`, 1), "field id"},
		{"no type", strings.Replace(good, `"type":"card.frozen",`, "", 1), "field type: missing"},
		{"no created_at", strings.Replace(good, `"created_at":"2025-12-02T14:30:00Z","data"`, `"data"`, 1), "field created_at: missing"},
		{"bad created_at", strings.Replace(good, `"2025-12-02T14:30:00Z","data"`, `"yesterday","data"`, 1), "field created_at"},
	}
	var v Verifier
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Parse([]byte(tt.body))
			if !errors.Is(err, api.ErrPayloadInvalid) {
				t.Fatalf("Parse: %v, want ErrPayloadInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse: %q, want it to say %q", err, tt.want)
			}
		})
	}
}

// An event whose envelope is good is kept whatever its data holds: data
// that cannot be read leaves it without an object, saying why, so that the
// relay stores it rather than refusing it for ever.
func TestParseUnreadableData(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"no data", `{"id":"evt_1","object":"event","type":"card.frozen","created_at":"2025-12-02T14:30:00Z"}`, "data.object: missing"},
		{"null object", eventBody(EventCardFrozen, "null"), "want a card object"},
		{"data a string", `{"id":"evt_1","object":"event","type":"card.frozen","created_at":"2025-12-02T14:30:00Z","data":"x"}`, "data: want an object"},
		{"object is a list", eventBody(EventTxCreated, "[]"), "want a transaction object"},
		{"card where a transaction belongs", eventBody(EventTxCreated, cardObj("active")), `a "card" where a transaction belongs`},
		{"transaction where a card belongs", eventBody(EventCardFrozen, txObj("pending", "")), `a "transaction" where a card belongs`},
		{"card without id", eventBody(EventCardFrozen, strings.Replace(cardObj("frozen"), `"id":"card_xyz789def456",`, "", 1)), "field id: missing"},
		{"tx amount a string", eventBody(EventTxCreated, strings.Replace(txObj("pending", ""), "4599", `"4599"`, 1)), "field amount"},
		{"tx bad created_at", eventBody(EventTxCreated, strings.Replace(txObj("pending", ""), "2025-12-02T14:30:00Z", "2025-12-02", 1)), "field created_at"},
		{"receipt without id", eventBody(EventReceiptMatched, `{"object":"receipt","status":"matched"}`), "receipt: field id: missing"},
		{"receipt bad created_at", eventBody(EventReceiptMatched, `{"id":"rcpt_1","created_at":"soon"}`), "field created_at"},
		{"unknown type, unreadable transaction", eventBody("transaction.updated", `{"object":"transaction","id":"t","amount":"1"}`), "field amount"},
	}
	var v Verifier
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := v.Parse([]byte(tt.body))
			if err != nil {
				t.Fatalf("Parse: %v, want the event kept", err)
			}
			if ev.ID == "" || ev.ProviderType == "" || len(ev.Raw) == 0 {
				t.Errorf("envelope lost: %+v", ev)
			}
			if ev.Card != nil || ev.Transaction != nil {
				t.Errorf("an object from unreadable data: %+v", ev)
			}
			if !strings.Contains(ev.DataError, tt.want) {
				t.Errorf("DataError %q, want it to say %q", ev.DataError, tt.want)
			}
		})
	}
}
