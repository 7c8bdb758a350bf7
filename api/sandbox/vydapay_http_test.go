package sandbox

import (
	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/vydapay"
)

// TestVydapayReferenceExamples runs the reference's examples: create a
// cardholder and a card, list with limit and starting_after, freeze,
// update, and the transactions query.
func TestVydapayReferenceExamples(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 30})
	_, c := clients(t, s)

	r := c.do("POST", "/cardholders", `{
  "email": "sarah.mitchell@company.com",
  "name": {"first_name": "Sarah", "last_name": "Mitchell"},
  "phone": "+447700900123",
  "billing_address": {"line1": "123 Business Street", "city": "London", "postal_code": "EC1A 1BB", "country": "GB"},
  "metadata": {"employee_id": "EMP-4521", "department": "Sales"}
}`)
	var ch vydapay.Cardholder
	r.decode(t, &ch)
	if r.status != http.StatusCreated || !strings.HasPrefix(ch.ID, "ch_") || ch.Object != "cardholder" || ch.BillingAddress == nil || ch.Name.LastName != "Mitchell" {
		t.Fatalf("create cardholder: %d %s", r.status, r.body)
	}

	r = c.do("POST", "/cards", `{
    "type": "virtual",
    "currency": "GBP",
    "cardholder_id": "`+ch.ID+`",
    "spending_limit": {"amount": 50000, "interval": "monthly"},
    "spending_controls": {
      "allowed_categories": ["travel", "software_services"],
      "blocked_categories": ["gambling", "adult_entertainment"],
      "allowed_countries": ["GB", "IE", "FR", "DE"]
    },
    "metadata": {"department": "engineering", "project": "Q4-infrastructure"}
  }`, "Idempotency-Key", "unique-request-id-abc123")
	var card vydapay.Card
	r.decode(t, &card)
	if r.status != http.StatusCreated || card.Object != "card" || card.Status != "active" || card.Brand != "mastercard" ||
		card.CardholderID != ch.ID || card.SpendingLimit == nil || card.SpendingLimit.Interval != "monthly" || len(card.LastFour) != 4 {
		t.Fatalf("create card: %d %s", r.status, r.body)
	}

	r = c.do("POST", "/cards/"+card.ID+"/freeze", nil)
	r.decode(t, &card)
	if r.status != 200 || card.Status != "frozen" {
		t.Fatalf("freeze: %d %s", r.status, r.body)
	}
	r = c.do("PATCH", "/cards/"+card.ID, `{"spending_limit": {"amount": 100000, "interval": "monthly"}, "metadata": {"project": "Q1-expansion"}}`)
	card = vydapay.Card{}
	r.decode(t, &card)
	if r.status != 200 || card.SpendingLimit.Amount != 100000 || card.Metadata["project"] != "Q1-expansion" || card.Metadata["department"] != "engineering" {
		t.Fatalf("update: %d %s", r.status, r.body)
	}

	// List with limit, then starting_after the last item.
	r = c.do("GET", "/cards?limit=3", nil)
	var page1 vydapay.List[vydapay.Card]
	r.decode(t, &page1)
	if r.status != 200 || page1.URL != "/v1/cards" || len(page1.Data) != 3 || !page1.HasMore || page1.Data[0].ID != card.ID {
		t.Fatalf("list: %d %.300s", r.status, r.body)
	}
	r = c.do("GET", "/cards?limit=3&starting_after="+page1.Data[2].ID, nil)
	var page2 vydapay.List[vydapay.Card]
	r.decode(t, &page2)
	if len(page2.Data) != 3 || page2.Data[0].CreatedAt > page1.Data[2].CreatedAt {
		t.Fatalf("page 2: %.300s", r.body)
	}

	// transactions over £100 completed since a date, limit 50
	r = c.do("GET", "/transactions?min_amount=10000&created_after=2000-01-01T00:00:00Z&status=completed&limit=50", nil)
	var txs vydapay.List[vydapay.Transaction]
	r.decode(t, &txs)
	if r.status != 200 || len(txs.Data) != 50 || txs.URL != "/v1/transactions" {
		t.Fatalf("transactions: %d %.300s", r.status, r.body)
	}
	for _, tx := range txs.Data {
		if tx.Amount < 10000 || tx.Status != "completed" || tx.Merchant.CategoryCode == "" {
			t.Fatalf("filtered transaction %+v", tx)
		}
	}
	var bal vydapay.Balance
	c.do("GET", "/account/balance", nil).decode(t, &bal)
	if bal.Object != "balance" || bal.Available.Currency != "GBP" || bal.Available.Amount <= 0 {
		t.Errorf("balance %+v", bal)
	}
}

func TestVydapayCardStates(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 31})
	_, c := clients(t, s)
	cd := testCard(t, s, vy, nil)
	for _, st := range []struct {
		path, body string
		status     int
		code, want string
	}{
		{"/unfreeze", "", 409, codeCardNotFrozen, ""},
		{"/freeze", "", 200, "", "frozen"},
		{"/freeze", "", 409, codeCardAlreadyFrozen, ""},
		{"/unfreeze", "", 200, "", "active"},
		{"/cancel", `{"reason":"lost"}`, 200, "", "cancelled"},
		{"/cancel", "", 409, codeCardCancelled, ""},
		{"/freeze", "", 409, codeCardCancelled, ""},
		{"/unfreeze", "", 409, codeCardCancelled, ""},
	} {
		var body any
		if st.body != "" {
			body = st.body
		}
		r := c.do("POST", "/cards/"+cd.id+st.path, body)
		if r.status != st.status {
			t.Fatalf("%s: %d %s", st.path, r.status, r.body)
		}
		if st.status != 200 {
			if e := r.vyErr(t); e.Type != "card_error" || e.Code != st.code {
				t.Fatalf("%s: %+v", st.path, e)
			}
			continue
		}
		var card vydapay.Card
		r.decode(t, &card)
		if card.Status != st.want {
			t.Fatalf("%s: %s", st.path, card.Status)
		}
	}
	if r := c.do("PATCH", "/cards/"+cd.id, `{"metadata":{"a":"b"}}`); r.status != 409 {
		t.Errorf("update a cancelled card: %d", r.status)
	}
	var types []string
	for _, e := range s.events(vy) {
		types = append(types, e.Type)
	}
	if want := []string{"card.frozen", "card.unfrozen", "card.cancelled"}; !equalStrings(types, want) {
		t.Errorf("events %v, want %v", types, want)
	}
}

func TestVydapayReceipts(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 32})
	base := serve(t, s)
	c := client{t: t, base: base + "/vydapay/v1", key: s.Config().VydapayKey}
	var done, declined string
	for _, tx := range s.vy.txs.order {
		if tx.status == "settled" && done == "" {
			done = tx.id
		}
		if tx.status == "declined" && declined == "" {
			declined = tx.id
		}
	}
	r := c.do("POST", "/transactions/"+done+"/receipt", map[string]any{
		"file_base64": base64.StdEncoding.EncodeToString([]byte("%PDF-1.7 receipt")), "filename": "receipt.pdf"})
	var rc vydapay.Receipt
	r.decode(t, &rc)
	if r.status != http.StatusCreated || rc.TransactionID != done || rc.Size != 16 || rc.Status != "matched" {
		t.Fatalf("JSON receipt: %d %s", r.status, r.body)
	}

	// multipart/form-data with a "file" part
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "till.jpg")
	_, _ = fw.Write([]byte("jpeg bytes here"))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/transactions/"+done+"/receipt", &buf)
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("multipart receipt: %d", resp.StatusCode)
	}
	var tx vydapay.Transaction
	c.do("GET", "/transactions/"+done, nil).decode(t, &tx)
	if tx.Receipt == nil || tx.Receipt.Status != "matched" || tx.Receipt.ID == rc.ID {
		t.Errorf("transaction receipt %+v", tx.Receipt)
	}
	r = c.do("POST", "/transactions/"+declined+"/receipt", map[string]any{"file_base64": "aGVsbG8="})
	if e := r.vyErr(t); r.status != 422 {
		t.Errorf("receipt on a declined transaction: %d %+v", r.status, e)
	}
	r = c.do("POST", "/transactions/"+done+"/receipt", map[string]any{"file_base64": "not base64!"})
	if e := r.vyErr(t); r.status != 400 || e.Param != "file_base64" {
		t.Errorf("bad base64: %d %+v", r.status, e)
	}
	if evs := s.events(vy); len(evs) != 2 || evs[0].Type != vydapay.EventReceiptMatched {
		t.Errorf("events %v", evs)
	}
}

func TestVydapayFilters(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 33})
	_, c := clients(t, s)
	var cd *card
	for _, x := range s.vy.cards.order {
		if len(s.vy.cardTx[x.id]) > 10 {
			cd = x
			break
		}
	}
	holder, _ := s.vy.users.get(cd.userID)
	check := func(path string, ok func([]map[string]any) bool) {
		t.Helper()
		r := c.do("GET", path, nil)
		var l vydapay.List[map[string]any]
		r.decode(t, &l)
		if r.status != 200 || l.Data == nil || !ok(l.Data) {
			t.Errorf("GET %s: %d %.300s", path, r.status, r.body)
		}
	}
	all := func(field, value string) func([]map[string]any) bool {
		return func(d []map[string]any) bool {
			for _, x := range d {
				if x[field] != value {
					return false
				}
			}
			return len(d) > 0
		}
	}
	check("/transactions?card_id="+cd.id+"&limit=100", all("card_id", cd.id))
	check("/transactions?cardholder_id="+holder.id+"&limit=100", all("cardholder_id", holder.id))
	check("/transactions?status=declined&limit=100", func(d []map[string]any) bool {
		for _, x := range d {
			// As in the reference, a declined transaction carries no reason.
			if _, has := x["decline_reason"]; x["status"] != "declined" || has {
				return false
			}
		}
		return len(d) == 100
	})
	check("/transactions?type=atm_withdrawal", all("type", "atm_withdrawal"))
	check("/transactions?type=refund&status=completed", all("type", "refund"))
	check("/transactions?max_amount=500&limit=100", func(d []map[string]any) bool {
		for _, x := range d {
			if x["amount"].(float64) > 500 {
				return false
			}
		}
		return len(d) > 0
	})
	check("/transactions?created_before=2000-01-01T00:00:00Z", func(d []map[string]any) bool { return len(d) == 0 })
	check("/cards?cardholder_id="+holder.id, all("cardholder_id", holder.id))
	check("/cards?status=cancelled&limit=100", all("status", "cancelled"))
	check("/cards?type=physical&status=frozen", func(d []map[string]any) bool {
		for _, x := range d {
			if x["type"] != "physical" || x["status"] != "frozen" {
				return false
			}
		}
		return len(d) > 0
	})
	check("/cards?created_after=2000-01-01&created_before=2100-01-01T00:00:00Z&limit=100", func(d []map[string]any) bool { return len(d) == 100 })
	check("/cardholders?email="+strings.ToUpper(holder.email), all("id", holder.id))
	var got vydapay.Cardholder
	c.do("GET", "/cardholders/"+holder.id, nil).decode(t, &got)
	if got.ID != holder.id || got.Email != holder.email {
		t.Errorf("cardholder %+v", got)
	}
}
