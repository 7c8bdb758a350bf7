package vaultspay

import (
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

func TestDeclineReasonCoversEveryCode(t *testing.T) {
	tests := []struct {
		code string
		want api.DeclineReason
	}{
		{DeclineCardFrozen, api.DeclineCardFrozen},
		{DeclineCardTerminated, api.DeclineCardTerminated},
		{DeclineCardExpired, api.DeclineCardExpired},
		{DeclineCardInactive, api.DeclineCardInactive},
		{DeclineInsufficient, api.DeclineInsufficient},
		{DeclineLimitExceeded, api.DeclineSpendingLimit},
		{DeclineMCCBlocked, api.DeclineCategoryBlocked},
		{DeclineCountryBlocked, api.DeclineCountryBlocked},
		{DeclineMerchantBlocked, api.DeclineMerchantBlocked},
		{DeclineInvalidCVC, api.DeclineIncorrectCVC},
		{DeclineInvalidPIN, api.DeclineIncorrectPIN},
		{DeclineInvalidExpiry, api.DeclineIncorrectExpiry},
		{DeclineFraudSuspected, api.DeclineSuspectedFraud},
		{DeclineSystemError, api.DeclineSystem},
		{"velocity_exceeded", api.DeclineOther},
		{"", api.DeclineNotGiven},
		{"CARD_FROZEN", api.DeclineOther},
	}
	seen := map[api.DeclineReason]bool{}
	for _, tt := range tests {
		got := DeclineReason(tt.code)
		if got != tt.want {
			t.Errorf("DeclineReason(%q) = %q, want %q", tt.code, got, tt.want)
		}
		seen[got] = true
	}
	// Every normalised reason is reachable from some VaultsPay code.
	for _, r := range api.DeclineReasons() {
		if !seen[r] {
			t.Errorf("no VaultsPay code maps to %q", r)
		}
	}
}

func TestMapTransactionDecline(t *testing.T) {
	card := "card_1"
	base := Transaction{ID: "tx_1", CardID: &card, UserID: "usr_1", AccountID: "acc_1", Amount: -1050,
		Currency: "aed", Status: "declined", Type: "purchase", CreatedAt: "2026-04-24T14:52:03Z"}
	tests := []struct {
		name    string
		decline *Decline
		status  string
		want    *api.Decline
	}{
		{"known code", &Decline{Code: "insufficient_funds", Message: "Not enough"}, "declined",
			&api.Decline{Reason: api.DeclineInsufficient, Code: "insufficient_funds", Message: "Not enough"}},
		{"unknown code kept", &Decline{Code: "velocity_exceeded"}, "declined",
			&api.Decline{Reason: api.DeclineOther, Code: "velocity_exceeded"}},
		{"a message without a code", &Decline{Message: "Declined"}, "declined",
			&api.Decline{Reason: api.DeclineNotGiven, Message: "Declined"}},
		{"declined without a decline", nil, "declined", &api.Decline{Reason: api.DeclineNotGiven}},
		{"settled", nil, "settled", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := base
			w.Decline, w.Status = tt.decline, tt.status
			tx, err := mapTransaction(w)
			if err != nil {
				t.Fatal(err)
			}
			if (tx.Decline == nil) != (tt.want == nil) || tx.Decline != nil && *tx.Decline != *tt.want {
				t.Errorf("decline %+v, want %+v", tx.Decline, tt.want)
			}
			if tx.Amount != (api.Money{Amount: -1050, Currency: "AED"}) || tx.CardID != "card_1" {
				t.Errorf("amount %+v card %q", tx.Amount, tx.CardID)
			}
		})
	}
	w := base
	w.CardID = nil
	if tx, err := mapTransaction(w); err != nil || tx.CardID != "" {
		t.Errorf("account transaction without a card: %+v, %v", tx, err)
	}
}

func TestMapTransactionStatusesAndTypes(t *testing.T) {
	for _, tt := range []struct {
		status, typ string
		ok          bool
	}{
		{"pending", "purchase", true},
		{"settled", "refund", true},
		{"declined", "atm_withdrawal", true},
		{"reversed", "transfer", true},
		{"refunded", "purchase", true},
		// Words carddesk does not know are kept as sent, not refused.
		{"completed", "purchase", true},
		{"settled", "payout", true},
		{"", "purchase", true},
		{"disputed", "fee", true},
	} {
		w := Transaction{ID: "tx_1", Currency: "GBP", Status: tt.status, Type: tt.typ, CreatedAt: "2026-04-24T14:52:03Z"}
		tx, err := mapTransaction(w)
		if tt.ok != (err == nil) {
			t.Errorf("%s/%s: %v", tt.status, tt.typ, err)
			continue
		}
		if err == nil && (string(tx.Status) != tt.status || string(tx.Type) != tt.typ) {
			t.Errorf("%s/%s mapped to %s/%s", tt.status, tt.typ, tx.Status, tx.Type)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "transaction tx_1: ") {
			t.Errorf("error %q does not name the transaction", err)
		}
	}
}

func TestMapCard(t *testing.T) {
	good := Card{ID: "card_1", UserID: "usr_1", AccountID: "acc_1", Type: "virtual", Status: "active",
		Brand: "visa", Currency: "jpy", LastFour: "0042", ExpMonth: 12, ExpYear: 2030,
		SpendingLimit:    &SpendingLimit{Amount: 5000, Interval: "daily"},
		SpendingControls: SpendingControls{BlockedCountries: []string{"RU"}},
		CreatedAt:        "2026-01-02T03:04:05Z"}
	c, err := mapCard(good)
	if err != nil {
		t.Fatal(err)
	}
	if c.Limit == nil || c.Limit.Amount != (api.Money{Amount: 5000, Currency: "JPY"}) || c.Limit.Interval != api.Daily {
		t.Errorf("limit %+v", c.Limit)
	}
	if c.Currency != "JPY" || c.Masked() != "•••• 0042" || !c.UpdatedAt.IsZero() || c.Controls.BlockedCountries[0] != "RU" {
		t.Errorf("card %+v", c)
	}
	for _, st := range []struct {
		wire string
		want api.CardStatus
	}{{"inactive", api.CardInactive}, {"active", api.CardActive}, {"frozen", api.CardFrozen}, {"terminated", api.CardTerminated}} {
		w := good
		w.Status = st.wire
		if c, err := mapCard(w); err != nil || c.Status != st.want {
			t.Errorf("status %q: %q, %v", st.wire, c.Status, err)
		}
	}
	// Words carddesk does not know are kept as VaultsPay sent them.
	odd := good
	odd.Status, odd.Type, odd.SpendingLimit = "cancelled", "metal", &SpendingLimit{Amount: 1, Interval: "fortnightly"}
	if c, err := mapCard(odd); err != nil || c.Status != "cancelled" || c.Type != "metal" || c.Limit.Interval != "fortnightly" {
		t.Errorf("unknown words: %+v, %v", c, err)
	}
	bad := []struct {
		name  string
		edit  func(*Card)
		field string
	}{
		{"no id", func(c *Card) { c.ID = "" }, "id is missing"},
		{"last four too long", func(c *Card) { c.LastFour = "12345" }, "last_four"},
		{"last four with a letter", func(c *Card) { c.LastFour = "12a4" }, "last_four"},
		{"month 13", func(c *Card) { c.ExpMonth = 13 }, "exp_month"},
		{"no created_at", func(c *Card) { c.CreatedAt = "" }, "created_at is missing"},
		{"date only", func(c *Card) { c.CreatedAt = "2026-01-02" }, "created_at"},
		{"bad updated_at", func(c *Card) { c.UpdatedAt = "2026-01-02 03:04:05" }, "updated_at"},
	}
	for _, tt := range bad {
		w := good
		tt.edit(&w)
		_, err := mapCard(w)
		if err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: %v, want an error naming %s", tt.name, err, tt.field)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-04-24T14:52:03Z", time.Date(2026, 4, 24, 14, 52, 3, 0, time.UTC), true},
		{"2026-04-24T14:52:03.5Z", time.Date(2026, 4, 24, 14, 52, 3, 5e8, time.UTC), true},
		{"2026-04-24T18:52:03+04:00", time.Date(2026, 4, 24, 14, 52, 3, 0, time.UTC), true},
		{"2026-04-24", time.Time{}, false},
		{"2026-04-24T14:52:03", time.Time{}, false},
		{"1714000000", time.Time{}, false},
		{"2026-13-24T14:52:03Z", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseTime("card", "card_1", "created_at", tt.in, true)
		if tt.ok != (err == nil) || !got.Equal(tt.want) || tt.ok && got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v", tt.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "card card_1: created_at") {
			t.Errorf("error %q does not name the field", err)
		}
	}
}

func TestMapUserAndKYC(t *testing.T) {
	for _, tt := range []struct {
		wire string
		want api.KYCState
	}{
		{"not_started", api.KYCNotStarted}, {"pending", api.KYCPending}, {"verified", api.KYCVerified},
		{"rejected", api.KYCRejected}, {"under_review", "under_review"}, {"", api.KYCUnknown},
	} {
		u, err := mapUser(User{ID: "usr_1", KYC: KYC{Status: tt.wire}, CreatedAt: "2026-01-02T03:04:05Z"})
		if err != nil || u.KYC != tt.want {
			t.Errorf("kyc %q: %q, %v", tt.wire, u.KYC, err)
		}
	}
	u, err := mapUser(User{ID: "usr_1", FirstName: "Omar", LastName: "Haddad", Address: &Address{Line1: "1 Road", City: "Manama", Country: "BH"},
		CreatedAt: "2026-01-02T03:04:05Z", UpdatedAt: "2026-01-03T03:04:05Z"})
	if err != nil || u.Name() != "Omar Haddad" || u.Address == nil || u.Address.City != "Manama" || u.UpdatedAt.Day() != 3 {
		t.Errorf("user %+v, %v", u, err)
	}
	if _, err := mapUser(User{ID: "usr_1", CreatedAt: "soon"}); err == nil {
		t.Error("bad created_at accepted")
	}
}

func TestMapAccount(t *testing.T) {
	w := Account{ID: "acc_1", UserID: "usr_1", Currency: "BHD", Status: "closed",
		Balance:   Balance{Currency: "BHD", Available: 1050, Pending: 7},
		CreatedAt: "2026-01-02T03:04:05Z"}
	a, err := mapAccount(w)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != api.AccountClosed || a.Available.String() != "BHD 1.050" || a.Pending.String() != "BHD 0.007" || a.IBAN != "" {
		t.Errorf("account %+v", a)
	}
	w.Status = "dormant"
	if a, err := mapAccount(w); err != nil || a.Status != "dormant" || a.Status.Known() {
		t.Errorf("unknown status: %+v, %v", a, err)
	}
	if b := mapBalance(Balance{Currency: "jpy", Available: 1050}); b.Available.String() != "JPY 1050" {
		t.Errorf("balance %v", b.Available)
	}
}
