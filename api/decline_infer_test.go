package api

import (
	"testing"
	"time"
)

// The Vydapay reference's own card, and a decline on it shaped like its
// transaction example: Vydapay gives no reason, so carddesk infers one.
func refCard() Card {
	return Card{
		ID: "card_xyz789def456", UserID: "ch_abc123", Type: CardVirtual, Status: CardActive, Currency: "GBP",
		LastFour: "4821", ExpMonth: 12, ExpYear: 2027,
		Limit: &SpendingLimit{Amount: Money{Amount: 50000, Currency: "GBP"}, Interval: Monthly},
		Controls: SpendingControls{
			AllowedCategories: []string{"travel", "office_supplies"},
			BlockedCategories: []string{"gambling"},
			AllowedCountries:  []string{"GB", "IE", "FR"},
		},
		CreatedAt: time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC),
		UpdatedAt: time.Date(2025, 12, 2, 10, 30, 0, 0, time.UTC),
	}
}

func refDecline() Transaction {
	return Transaction{
		ID: "txn_abc123xyz789", CardID: "card_xyz789def456", UserID: "ch_abc123def456",
		Amount: Money{Amount: 4599, Currency: "GBP"}, Status: TxDeclined, Type: TxPurchase,
		Merchant:  Merchant{Name: "AMAZON UK", Category: "online_shopping", MCC: "5411", City: "London", Country: "GB"},
		Decline:   &Decline{Reason: DeclineNotGiven},
		CreatedAt: time.Date(2025, 12, 2, 14, 30, 0, 0, time.UTC),
	}
}

func TestExplainDecline(t *testing.T) {
	money := func(n int64) *Money { return &Money{Amount: n, Currency: "GBP"} }
	tests := []struct {
		name   string
		card   func(*Card) // nil: no card known
		tx     func(*Transaction)
		spent  *Money
		reason DeclineReason
		text   string
	}{
		{"no card known", nil, nil, nil, DeclineNotGiven, "reason not given"},
		{"the reference's decline", func(*Card) {}, nil, nil, DeclineCategoryBlocked,
			"inferred: online_shopping not among the card's allowed categories"},
		{"blocked category", func(c *Card) { c.Controls.AllowedCategories = nil },
			func(tx *Transaction) { tx.Merchant.Category = "gambling" }, nil, DeclineCategoryBlocked,
			"inferred: gambling blocked by the card's controls"},
		{"country not allowed", func(c *Card) { c.Controls.AllowedCategories = nil },
			func(tx *Transaction) { tx.Merchant.Country = "US" }, nil, DeclineCountryBlocked,
			"inferred: US not among the card's allowed countries"},
		{"blocked country", func(c *Card) { c.Controls = SpendingControls{BlockedCountries: []string{"RU"}} },
			func(tx *Transaction) { tx.Merchant.Country = "ru" }, nil, DeclineCountryBlocked,
			"inferred: ru blocked by the card's controls"},
		{"merchant not allowed", func(c *Card) { c.Controls = SpendingControls{AllowedMerchants: []string{"mid_github"}} },
			func(tx *Transaction) { tx.Merchant.ID = "mid_amazon" }, nil, DeclineMerchantBlocked,
			"inferred: AMAZON UK not among the card's allowed merchants"},
		{"merchant without an id says nothing", func(c *Card) { c.Controls = SpendingControls{AllowedMerchants: []string{"mid_github"}} },
			nil, nil, DeclineNotGiven, "reason not given"},
		{"frozen before the decline", func(c *Card) { c.Status = CardFrozen }, nil, nil, DeclineCardFrozen, "inferred: the card was frozen"},
		{"terminated", func(c *Card) { c.Status = CardTerminated }, nil, nil, DeclineCardTerminated, "inferred: the card was terminated"},
		{"not activated", func(c *Card) { c.Status = CardInactive }, nil, nil, DeclineCardInactive, "inferred: the card was not activated"},
		{"frozen only after the decline", func(c *Card) {
			c.Status, c.UpdatedAt = CardFrozen, time.Date(2025, 12, 2, 15, 0, 0, 0, time.UTC)
		}, nil, nil, DeclineNotGiven, "reason not given"},
		{"controls changed after the decline", func(c *Card) { c.UpdatedAt = time.Date(2025, 12, 3, 0, 0, 0, 0, time.UTC) },
			nil, nil, DeclineNotGiven, "reason not given"},
		{"no updated_at: when it changed is unknown", func(c *Card) { c.UpdatedAt = time.Time{} }, nil, nil, DeclineNotGiven, "reason not given"},
		{"expired, whatever changed since", func(c *Card) {
			c.ExpMonth, c.ExpYear, c.UpdatedAt = 11, 2025, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		}, nil, nil, DeclineCardExpired, "inferred: the card expired at the end of 11/25"},
		{"expiring this month still works", func(c *Card) { c.ExpMonth, c.ExpYear, c.Controls = 12, 2025, SpendingControls{} },
			nil, nil, DeclineNotGiven, "reason not given"},
		{"unknown card status says nothing", func(c *Card) { c.Status, c.Controls = "suspended_by_bank", SpendingControls{} },
			nil, nil, DeclineNotGiven, "reason not given"},
		{"per-transaction limit", func(c *Card) {
			c.Controls, c.Limit = SpendingControls{}, &SpendingLimit{Amount: Money{Amount: 2000, Currency: "GBP"}, Interval: PerTransaction}
		}, nil, nil, DeclineSpendingLimit, "inferred: GBP 45.99 is over the card's GBP 20.00 per-transaction limit"},
		{"monthly limit with spend known", func(c *Card) { c.Controls = SpendingControls{} }, nil, money(47000), DeclineSpendingLimit,
			"inferred: GBP 470.00 of the card's GBP 500.00 monthly limit already spent"},
		{"monthly limit with room left", func(c *Card) { c.Controls = SpendingControls{} }, nil, money(1000), DeclineNotGiven, "reason not given"},
		{"monthly limit, spend unknown", func(c *Card) { c.Controls = SpendingControls{} }, nil, nil, DeclineNotGiven, "reason not given"},
		{"limit of an interval carddesk does not know", func(c *Card) {
			c.Controls, c.Limit.Interval = SpendingControls{}, "fortnightly"
		}, nil, money(47000), DeclineNotGiven, "reason not given"},
		{"another card", func(c *Card) { c.ID = "card_other" }, nil, nil, DeclineNotGiven, "reason not given"},
		{"the provider's code wins", func(*Card) {}, func(tx *Transaction) {
			tx.Decline = &Decline{Reason: DeclineSuspectedFraud, Code: "fraud_suspected", Message: "Declined by fraud screening"}
		}, nil, DeclineSuspectedFraud, "suspected fraud"},
		{"a code carddesk does not know is the provider's reason", func(*Card) {}, func(tx *Transaction) {
			tx.Decline = &Decline{Reason: DeclineOther, Code: "velocity_exceeded"}
		}, nil, DeclineOther, "other (provider code velocity_exceeded)"},
		{"declined status without a decline object", func(*Card) {}, func(tx *Transaction) { tx.Decline = nil }, nil,
			DeclineCategoryBlocked, "inferred: online_shopping not among the card's allowed categories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := refDecline()
			if tt.tx != nil {
				tt.tx(&tx)
			}
			var f DeclineFacts
			if tt.card != nil {
				c := refCard()
				tt.card(&c)
				f.Card = &c
			}
			f.Spent = tt.spent
			d, ok := ExplainDecline(tx, f)
			if !ok {
				t.Fatal("a declined transaction has no explanation")
			}
			if d.Reason != tt.reason || d.Text() != tt.text {
				t.Errorf("got %s %q, want %s %q", d.Reason, d.Text(), tt.reason, tt.text)
			}
			if d.Inferred && d.Given() {
				t.Errorf("an inference claims a provider code: %+v", d)
			}
			if d.Reason.Group() == GroupSystem {
				t.Errorf("blamed on the system: %+v", d)
			}
		})
	}
}

func TestExplainDeclineOfAnApproval(t *testing.T) {
	tx := refDecline()
	tx.Status, tx.Decline = TxSettled, nil
	c := refCard()
	if d, ok := ExplainDecline(tx, DeclineFacts{Card: &c}); ok {
		t.Errorf("an approval explained as %+v", d)
	}
}

func TestSpentBefore(t *testing.T) {
	at := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC) // a Saturday
	tx := func(day int, amount int64, status TxStatus, typ TxType) Transaction {
		return Transaction{CardID: "card_1", Amount: Money{Amount: amount, Currency: "GBP"}, Status: status, Type: typ,
			CreatedAt: time.Date(2026, 3, day, 10, 0, 0, 0, time.UTC)}
	}
	monthly := SpendingLimit{Amount: Money{Amount: 50000, Currency: "GBP"}, Interval: Monthly}
	weekly := SpendingLimit{Amount: Money{Amount: 50000, Currency: "GBP"}, Interval: Weekly}
	older := Transaction{CardID: "card_1", Amount: Money{Amount: 999, Currency: "GBP"}, Status: TxSettled, Type: TxPurchase,
		CreatedAt: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name     string
		txs      []Transaction
		limit    SpendingLimit
		complete bool
		want     int64
		ok       bool
	}{
		{"approved purchases and withdrawals count", []Transaction{
			tx(13, 1000, TxSettled, TxPurchase), tx(12, 500, TxPending, TxATM), tx(11, 300, TxDeclined, TxPurchase),
			tx(10, 200, TxRefunded, TxPurchase), tx(9, 100, TxSettled, TxRefund), older,
		}, monthly, false, 1500, true},
		{"the week starts on Monday", []Transaction{tx(13, 1000, TxSettled, TxPurchase), tx(8, 500, TxSettled, TxPurchase), older},
			weekly, false, 1000, true},
		{"a page that may not reach the window's start", []Transaction{tx(13, 1000, TxSettled, TxPurchase)}, monthly, false, 0, false},
		{"a complete list needs no older one", []Transaction{tx(13, 1000, TxSettled, TxPurchase)}, monthly, true, 1000, true},
		{"a state carddesk does not know", []Transaction{tx(13, 1000, "on_hold", TxPurchase), older}, monthly, false, 0, false},
		{"a type carddesk does not know", []Transaction{tx(13, 1000, TxSettled, "fee"), older}, monthly, false, 0, false},
		{"later transactions do not count", []Transaction{tx(15, 1000, TxSettled, TxPurchase), tx(13, 7, TxSettled, TxPurchase), older},
			monthly, false, 7, true},
		{"an interval carddesk does not know", []Transaction{older}, SpendingLimit{Amount: monthly.Amount, Interval: "fortnightly"}, true, 0, false},
		{"per transaction has no window", []Transaction{older}, SpendingLimit{Amount: monthly.Amount, Interval: PerTransaction}, true, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spend := SpentBefore
			if tt.complete {
				spend = SpentBeforeComplete
			}
			got, ok := spend(tt.txs, "card_1", tt.limit, at)
			if ok != tt.ok || (ok && got.Amount != tt.want) {
				t.Errorf("got %v %v, want %d %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
