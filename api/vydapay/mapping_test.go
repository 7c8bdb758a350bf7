package vydapay

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in       string
		required bool
		want     time.Time
		ok       bool
	}{
		{"2025-12-02T10:30:00Z", true, time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC), true},
		{"2025-12-02T10:30:00.123456Z", true, time.Date(2025, 12, 2, 10, 30, 0, 123456000, time.UTC), true},
		{"2025-12-02T14:30:00+04:00", true, time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC), true},
		{"", false, time.Time{}, true},
		{"", true, time.Time{}, false},
		{"2025-12-02", true, time.Time{}, false},
		{"2025-12-02 10:30:00", true, time.Time{}, false},
		{"1701432000", true, time.Time{}, false},
		{"2025-13-02T10:30:00Z", false, time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseTime("created_at", tt.in, tt.required)
		if tt.ok != (err == nil) || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q, %v) = %v, %v", tt.in, tt.required, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "field created_at") {
			t.Errorf("parseTime(%q): error %q does not name the field", tt.in, err)
		}
	}
}

func wireCard() Card {
	return Card{
		ID: "card_xyz789def456", Object: "card", Type: "virtual", Status: "active", Currency: "gbp",
		CardholderID: "ch_abc123", LastFour: "4821", ExpMonth: 12, ExpYear: 2027, Brand: "mastercard",
		SpendingLimit: &SpendingLimit{Amount: 50000, Interval: "monthly"},
		SpendingControls: SpendingControls{AllowedCategories: []string{"travel"}, BlockedCategories: []string{"gambling"},
			AllowedCountries: []string{"GB"}, BlockedCountries: []string{"RU"}, AllowedMerchants: []string{"mid_github"}},
		Metadata:  map[string]string{"department": "engineering"},
		CreatedAt: "2025-12-02T10:30:00Z", UpdatedAt: "2025-12-03T10:30:00Z",
	}
}

func TestCardFromWire(t *testing.T) {
	got, err := cardFromWire(wireCard())
	if err != nil {
		t.Fatal(err)
	}
	want := api.Card{
		ID: "card_xyz789def456", UserID: "ch_abc123", Type: api.CardVirtual, Status: api.CardActive,
		Currency: "GBP", Brand: "mastercard", LastFour: "4821", ExpMonth: 12, ExpYear: 2027,
		Limit: &api.SpendingLimit{Amount: api.Money{Amount: 50000, Currency: "GBP"}, Interval: api.Monthly},
		Controls: api.SpendingControls{AllowedCategories: []string{"travel"}, BlockedCategories: []string{"gambling"},
			AllowedCountries: []string{"GB"}, BlockedCountries: []string{"RU"}, AllowedMerchants: []string{"mid_github"}},
		Metadata:  map[string]string{"department": "engineering"},
		CreatedAt: time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC), UpdatedAt: time.Date(2025, 12, 3, 10, 30, 0, 0, time.UTC),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// A card in a state, of a type or with a limit interval the reference does
// not list is read, keeping Vydapay's words.
func TestCardFromWireKeepsUnknownWords(t *testing.T) {
	w := wireCard()
	w.Status, w.Type, w.SpendingLimit.Interval = "suspended_by_bank", "single_use", "fortnightly"
	got, err := cardFromWire(w)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "suspended_by_bank" || got.Type != "single_use" || got.Limit.Interval != "fortnightly" {
		t.Errorf("got %q %q %q", got.Status, got.Type, got.Limit.Interval)
	}
	if got.Status.Known() || got.Type.Known() || got.Limit.Interval.Known() {
		t.Error("unknown words read as known")
	}
}

func TestCardFromWireRefuses(t *testing.T) {
	tests := []struct {
		name, field string
		edit        func(*Card)
	}{
		{"no id", "id", func(c *Card) { c.ID = "" }},
		{"currency", "currency", func(c *Card) { c.Currency = "pounds" }},
		{"last four", "last_four", func(c *Card) { c.LastFour = "48211" }},
		{"month", "exp_month", func(c *Card) { c.ExpMonth = 13 }},
		{"created_at", "created_at", func(c *Card) { c.CreatedAt = "yesterday" }},
		{"missing created_at", "created_at", func(c *Card) { c.CreatedAt = "" }},
		{"updated_at", "updated_at", func(c *Card) { c.UpdatedAt = "2025-12-02" }},
	}
	for _, tt := range tests {
		w := wireCard()
		tt.edit(&w)
		_, err := cardFromWire(w)
		if err == nil || !strings.Contains(err.Error(), "field "+tt.field+":") {
			t.Errorf("%s: %v; want an error naming field %s", tt.name, err, tt.field)
		}
	}
}

func wireTx(status string) Transaction {
	return Transaction{
		ID: "txn_abc123xyz789", Object: "transaction", Amount: 4599, Currency: "GBP", Status: status, Type: "purchase",
		CardID: "card_xyz789def456", CardholderID: "ch_abc123def456",
		Merchant:  Merchant{Name: "AMAZON UK", Category: "online_shopping", CategoryCode: "5411", City: "London", Country: "GB"},
		Receipt:   &ReceiptRef{ID: "rcpt_def456", Status: "matched"},
		CreatedAt: "2025-12-02T14:30:00Z",
	}
}

func TestTxFromWire(t *testing.T) {
	tests := []struct {
		name    string
		w       Transaction
		status  api.TxStatus
		decline *api.Decline
	}{
		{"completed", wireTx("completed"), api.TxSettled, nil},
		{"pending", wireTx("pending"), api.TxPending, nil},
		{"refunded", wireTx("refunded"), api.TxRefunded, nil},
		// The reference gives a declined transaction no reason: none is
		// read, and none is made up.
		{"declined", wireTx("declined"), api.TxDeclined, &api.Decline{Reason: api.DeclineNotGiven}},
		{"a status the reference lacks", wireTx("reversed"), api.TxReversed, nil},
		{"a status carddesk does not know", wireTx("on_hold"), "on_hold", nil},
	}
	for _, tt := range tests {
		got, err := txFromWire(tt.w)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		want := api.Transaction{
			ID: "txn_abc123xyz789", CardID: "card_xyz789def456", UserID: "ch_abc123def456",
			Amount: api.Money{Amount: 4599, Currency: "GBP"}, Status: tt.status, Type: api.TxPurchase,
			Merchant: api.Merchant{Name: "AMAZON UK", Category: "online_shopping", MCC: "5411", City: "London", Country: "GB"},
			Decline:  tt.decline, CreatedAt: time.Date(2025, 12, 2, 14, 30, 0, 0, time.UTC),
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.name, got, want)
		}
	}
}

func TestTxFromWireRefuses(t *testing.T) {
	tests := []struct {
		name, field string
		edit        func(*Transaction)
	}{
		{"no id", "id", func(w *Transaction) { w.ID = "" }},
		{"currency", "currency", func(w *Transaction) { w.Currency = "" }},
		{"created_at", "created_at", func(w *Transaction) { w.CreatedAt = "2025-12-02T14:30:00" }},
	}
	for _, tt := range tests {
		w := wireTx("completed")
		tt.edit(&w)
		_, err := txFromWire(w)
		if err == nil || !strings.Contains(err.Error(), "field "+tt.field+":") {
			t.Errorf("%s: %v; want an error naming field %s", tt.name, err, tt.field)
		}
	}
}

func TestUserFromWire(t *testing.T) {
	w := Cardholder{
		ID: "ch_abc123def456", Object: "cardholder", Email: "sarah.mitchell@company.com",
		Name: Name{FirstName: "Sarah", LastName: "Mitchell"}, Phone: "+447700900123",
		BillingAddress: &Address{Line1: "123 Business Street", City: "London", PostalCode: "EC1A 1BB", Country: "GB"},
		Status:         "active", Metadata: map[string]string{"employee_id": "EMP-4521"},
		CreatedAt: "2025-12-02T10:30:00Z",
	}
	got, err := userFromWire(w)
	if err != nil {
		t.Fatal(err)
	}
	want := api.User{
		ID: "ch_abc123def456", FirstName: "Sarah", LastName: "Mitchell", Email: "sarah.mitchell@company.com",
		Phone: "+447700900123", KYC: api.KYCUnknown,
		Address:  &api.Address{Line1: "123 Business Street", City: "London", PostalCode: "EC1A 1BB", Country: "GB"},
		Metadata: map[string]string{"employee_id": "EMP-4521"}, CreatedAt: time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	w.CreatedAt = "02/12/2025"
	if _, err := userFromWire(w); err == nil || !strings.Contains(err.Error(), "field created_at") {
		t.Errorf("bad created_at: %v", err)
	}
	w.ID = ""
	if _, err := userFromWire(w); err == nil || !strings.Contains(err.Error(), "field id") {
		t.Errorf("no id: %v", err)
	}
}

func TestBalanceFromWire(t *testing.T) {
	got, err := balanceFromWire(Balance{Object: "balance", Available: Amount{2450000, "GBP"}, Pending: Amount{125000, "gbp"}})
	if err != nil {
		t.Fatal(err)
	}
	want := api.Balance{Available: api.Money{Amount: 2450000, Currency: "GBP"}, Pending: api.Money{Amount: 125000, Currency: "GBP"}}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got.Available.String() != "GBP 24500.00" {
		t.Errorf("available renders %q", got.Available.String())
	}
	if _, err := balanceFromWire(Balance{Available: Amount{1, "GBP"}, Pending: Amount{1, "G1P"}}); err == nil ||
		!strings.Contains(err.Error(), "field pending.currency") {
		t.Errorf("bad pending currency: %v", err)
	}
}
