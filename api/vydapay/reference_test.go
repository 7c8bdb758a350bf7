package vydapay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/referencetest"
	"github.com/carddesk/carddesk/api/vydapay"
)

// refExamples are the Vydapay reference's JSON examples by caption.
func refExamples(t *testing.T) map[string]referencetest.Example {
	t.Helper()
	out := map[string]referencetest.Example{}
	for _, e := range referencetest.Examples(referencetest.Read(t, referencetest.Vydapay)) {
		out[e.Title] = e
	}
	for _, want := range []string{"Error Response", "Paginated Response", "Card Object", "Create a Virtual Card",
		"Transaction Object", "Webhook Event", "Response"} {
		if _, ok := out[want]; !ok {
			t.Fatalf("the reference has no %q example", want)
		}
	}
	return out
}

// serveOnce is a client of a server that answers every request with body.
func serveOnce(t *testing.T, body string) *vydapay.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	c, err := vydapay.New(vydapay.Config{BaseURL: ts.URL + "/v1", Key: "sk_test_reference"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// refCard is the reference's card object as carddesk reads it.
func refCard() api.Card {
	at := time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC)
	return api.Card{
		ID: "card_xyz789def456", UserID: "ch_abc123", Type: api.CardVirtual, Status: api.CardActive, Currency: "GBP",
		Brand: "mastercard", LastFour: "4821", ExpMonth: 12, ExpYear: 2027,
		Limit: &api.SpendingLimit{Amount: api.Money{Amount: 50000, Currency: "GBP"}, Interval: api.Monthly},
		Controls: api.SpendingControls{AllowedCategories: []string{"travel", "office_supplies"},
			BlockedCategories: []string{"gambling"}, AllowedCountries: []string{"GB", "IE", "FR"}},
		Metadata:  map[string]string{"department": "engineering", "cost_center": "CC-1234"},
		CreatedAt: at, UpdatedAt: at,
	}
}

// refTx is the reference's transaction object as carddesk reads it.
func refTx() api.Transaction {
	return api.Transaction{
		ID: "txn_abc123xyz789", CardID: "card_xyz789def456", UserID: "ch_abc123def456",
		Amount: api.Money{Amount: 4599, Currency: "GBP"}, Status: api.TxSettled, Type: api.TxPurchase,
		Merchant:  api.Merchant{Name: "AMAZON UK", Category: "online_shopping", MCC: "5411", City: "London", Country: "GB"},
		CreatedAt: time.Date(2025, 12, 2, 14, 30, 0, 0, time.UTC),
	}
}

// Every JSON example of the reference is decoded by the client as printed
// — what "..." elides filled from the reference's own full object — and
// mapped without loss. They are the only data here no one here wrote.
func TestReferenceExamplesDecode(t *testing.T) {
	exs := refExamples(t)
	ctx := context.Background()

	t.Run("error", func(t *testing.T) {
		e := vydapay.DecodeError(http.StatusBadRequest, http.Header{}, []byte(exs["Error Response"].Text))
		want := api.Error{Status: 400, Provider: vydapay.Provider, Type: "invalid_request_error", Code: "parameter_invalid",
			Message: "The spending_limit amount must be a positive integer.", Param: "spending_limit.amount",
			DocURL: "https://docs.vydapay.com/errors/parameter_invalid"}
		if e.Type != want.Type || e.Code != want.Code || e.Message != want.Message || e.Param != want.Param || e.DocURL != want.DocURL {
			t.Errorf("got %+v\nwant %+v", *e, want)
		}
	})

	t.Run("card", func(t *testing.T) {
		got, err := serveOnce(t, exs["Card Object"].Text).GetCard(ctx, "card_xyz789def456")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, refCard()) {
			t.Errorf("got  %+v\nwant %+v", got, refCard())
		}
	})

	t.Run("list", func(t *testing.T) {
		var list map[string]any
		if err := json.Unmarshal([]byte(referencetest.Unelide(exs["Paginated Response"].Text)), &list); err != nil {
			t.Fatal(err)
		}
		for i, item := range list["data"].([]any) {
			full, err := referencetest.Complete(item.(map[string]any), exs["Card Object"].Text)
			if err != nil {
				t.Fatal(err)
			}
			list["data"].([]any)[i] = full
		}
		body, err := json.Marshal(list)
		if err != nil {
			t.Fatal(err)
		}
		page, err := serveOnce(t, string(body)).ListCards(ctx, api.CardFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Items[0].ID != "card_xyz789" || page.Items[1].ID != "card_abc456" || !page.HasNext {
			t.Errorf("page %+v", page)
		}
	})

	t.Run("create card request", func(t *testing.T) {
		dec := json.NewDecoder(strings.NewReader(exs["Create a Virtual Card"].Text))
		dec.DisallowUnknownFields() // every field the reference sends has a place
		var w vydapay.CardCreate
		if err := dec.Decode(&w); err != nil {
			t.Fatal(err)
		}
		if w.Type != "virtual" || w.Currency != "GBP" || w.CardholderID != "ch_abc123def456" || w.SpendingLimit.Amount != 50000 ||
			len(w.SpendingControls.BlockedCategories) != 2 || w.Metadata["project"] != "Q4-infrastructure" {
			t.Errorf("got %+v", w)
		}
	})

	t.Run("transaction", func(t *testing.T) {
		got, err := serveOnce(t, exs["Transaction Object"].Text).GetTransaction(ctx, "txn_abc123xyz789")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, refTx()) {
			t.Errorf("got  %+v\nwant %+v", got, refTx())
		}
	})

	t.Run("webhook", func(t *testing.T) {
		var ev map[string]any
		if err := json.Unmarshal([]byte(referencetest.Unelide(exs["Webhook Event"].Text)), &ev); err != nil {
			t.Fatal(err)
		}
		data := ev["data"].(map[string]any)
		obj, err := referencetest.Complete(data["object"].(map[string]any), exs["Transaction Object"].Text)
		if err != nil {
			t.Fatal(err)
		}
		data["object"] = obj
		body, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		got, err := (&vydapay.Verifier{}).Parse(body)
		if err != nil {
			t.Fatal(err)
		}
		want := refTx()
		want.Status = api.TxSettled // the full object says completed
		if got.ID != "evt_abc123" || got.Type != api.EventTxAuthorized || got.DataError != "" || got.Transaction == nil ||
			!reflect.DeepEqual(*got.Transaction, want) {
			t.Errorf("event %+v\ntransaction %+v", got, got.Transaction)
		}
		// As printed, with only its elision taken out, the event is kept
		// all the same; what its partial transaction lacks is said.
		got, err = (&vydapay.Verifier{}).Parse([]byte(referencetest.Unelide(exs["Webhook Event"].Text)))
		if err != nil || got.ID != "evt_abc123" || !strings.Contains(got.DataError, "created_at") {
			t.Errorf("the event as printed: %+v, %v", got, err)
		}
	})

	t.Run("balance", func(t *testing.T) {
		got, err := serveOnce(t, exs["Response"].Text).Balance(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := api.Balance{Available: api.Money{Amount: 2450000, Currency: "GBP"}, Pending: api.Money{Amount: 125000, Currency: "GBP"}}
		if got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
}

// A declined transaction in the reference's exact shape — its transaction
// example with status declined — carries no reason, as the reference has
// none; carddesk infers one from the reference's card (online_shopping is
// not among its allowed categories), labelled so, and says "reason not
// given" without the card. Never "system".
func TestReferenceDeclineExplained(t *testing.T) {
	exs := refExamples(t)
	body := strings.Replace(exs["Transaction Object"].Text, `"status": "completed"`, `"status": "declined"`, 1)
	if !bytes.Contains([]byte(body), []byte(`"status": "declined"`)) {
		t.Fatal("the reference's transaction has moved: no status to decline")
	}
	tx, err := serveOnce(t, body).GetTransaction(context.Background(), "txn_abc123xyz789")
	if err != nil {
		t.Fatal(err)
	}
	if tx.Decline == nil || *tx.Decline != (api.Decline{Reason: api.DeclineNotGiven}) {
		t.Fatalf("decline %+v, want none given", tx.Decline)
	}
	card := refCard()
	tests := []struct {
		name  string
		facts api.DeclineFacts
		text  string
	}{
		{"with the reference's card", api.DeclineFacts{Card: &card}, "inferred: online_shopping not among the card's allowed categories"},
		{"with no card known", api.DeclineFacts{}, "reason not given"},
	}
	for _, tt := range tests {
		d, ok := api.ExplainDecline(tx, tt.facts)
		if !ok || d.Text() != tt.text || d.Reason.Group() == api.GroupSystem {
			t.Errorf("%s: %q (%s), want %q", tt.name, d.Text(), d.Reason.Group(), tt.text)
		}
	}
}
