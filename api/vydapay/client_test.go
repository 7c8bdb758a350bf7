package vydapay

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

func TestListTransactionsQuery(t *testing.T) {
	at := time.Date(2025, 12, 2, 14, 30, 0, 500, time.FixedZone("GST", 4*3600))
	tests := []struct {
		name string
		f    api.TxFilter
		want url.Values
	}{
		{"none", api.TxFilter{}, url.Values{}},
		{"card", api.TxFilter{CardID: "card_1"}, url.Values{"card_id": {"card_1"}}},
		{"user", api.TxFilter{UserID: "ch_1"}, url.Values{"cardholder_id": {"ch_1"}}},
		{"settled", api.TxFilter{Status: api.TxSettled}, url.Values{"status": {"completed"}}},
		{"declined", api.TxFilter{Status: api.TxDeclined}, url.Values{"status": {"declined"}}},
		{"atm", api.TxFilter{Type: api.TxATM}, url.Values{"type": {"atm_withdrawal"}}},
		{"amounts", api.TxFilter{MinAmount: ptr[int64](0), MaxAmount: ptr[int64](10000)}, url.Values{"min_amount": {"0"}, "max_amount": {"10000"}}},
		{"dates", api.TxFilter{CreatedAfter: at, CreatedBefore: at.Add(time.Hour)},
			url.Values{"created_after": {"2025-12-02T10:30:00.0000005Z"}, "created_before": {"2025-12-02T11:30:00.0000005Z"}}},
		{"page forward", api.TxFilter{Page: api.PageParams{Limit: 50, After: "txn_9"}}, url.Values{"limit": {"50"}, "starting_after": {"txn_9"}}},
		{"page back", api.TxFilter{Page: api.PageParams{Before: "txn_9"}}, url.Values{"ending_before": {"txn_9"}}},
	}
	f, c := newFake(t)
	for _, tt := range tests {
		if _, err := c.ListTransactions(context.Background(), tt.f); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		r, _ := f.last()
		if r.URL.Path != "/v1/transactions" || r.URL.Query().Encode() != tt.want.Encode() {
			t.Errorf("%s: %s?%s, want ?%s", tt.name, r.URL.Path, r.URL.RawQuery, tt.want.Encode())
		}
	}
}

func TestListCardsAndUsersQuery(t *testing.T) {
	f, c := newFake(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		path string
		want url.Values
	}{
		{"cards by user, terminated, physical", func() error {
			_, err := c.ListCards(ctx, api.CardFilter{UserID: "ch_1", Status: api.CardTerminated, Type: api.CardPhysical, Page: api.PageParams{Limit: 10}})
			return err
		}, "/v1/cards", url.Values{"cardholder_id": {"ch_1"}, "status": {"cancelled"}, "type": {"physical"}, "limit": {"10"}}},
		{"frozen cards", func() error {
			_, err := c.ListCards(ctx, api.CardFilter{Status: api.CardFrozen})
			return err
		}, "/v1/cards", url.Values{"status": {"frozen"}}},
		{"users by email", func() error {
			_, err := c.ListUsers(ctx, api.UserFilter{Email: "a+b@example.com"})
			return err
		}, "/v1/cardholders", url.Values{"email": {"a+b@example.com"}}},
		{"blank query is no query", func() error {
			_, err := c.ListUsers(ctx, api.UserFilter{Query: "  ", Page: api.PageParams{After: "ch_3"}})
			return err
		}, "/v1/cardholders", url.Values{"starting_after": {"ch_3"}}},
		{"last four scan keeps the filters", func() error {
			_, err := c.ListCards(ctx, api.CardFilter{UserID: "ch_1", LastFour: "4821"})
			return err
		}, "/v1/cards", url.Values{"cardholder_id": {"ch_1"}, "limit": {"100"}}},
	}
	for _, tt := range tests {
		if err := tt.call(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		r, _ := f.last()
		if r.URL.Path != tt.path || r.URL.Query().Encode() != tt.want.Encode() {
			t.Errorf("%s: %s?%s, want %s?%s", tt.name, r.URL.Path, r.URL.RawQuery, tt.path, tt.want.Encode())
		}
	}
}

// Bad input is refused with a precise, typed error before any request.
func TestRefusedBeforeSending(t *testing.T) {
	f, c := newFake(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"inactive cards", func() error { _, err := c.ListCards(ctx, api.CardFilter{Status: api.CardInactive}); return err }, api.ErrInvalid},
		{"bad card type", func() error { _, err := c.ListCards(ctx, api.CardFilter{Type: "metal"}); return err }, api.ErrInvalid},
		{"bad last four", func() error { _, err := c.ListCards(ctx, api.CardFilter{LastFour: "48a1"}); return err }, api.ErrInvalid},
		{"bad user id", func() error { _, err := c.ListCards(ctx, api.CardFilter{UserID: "ch/1"}); return err }, api.ErrInvalid},
		{"limit 101", func() error { _, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 101}}); return err }, api.ErrInvalid},
		{"both cursors", func() error {
			_, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{After: "a", Before: "b"}})
			return err
		}, api.ErrInvalid},
		{"bad cursor", func() error {
			_, err := c.ListTransactions(ctx, api.TxFilter{Page: api.PageParams{After: "../x"}})
			return err
		}, api.ErrInvalid},
		{"reversed", func() error { _, err := c.ListTransactions(ctx, api.TxFilter{Status: api.TxReversed}); return err }, api.ErrInvalid},
		{"transfer", func() error { _, err := c.ListTransactions(ctx, api.TxFilter{Type: api.TxTransfer}); return err }, api.ErrInvalid},
		{"negative amount", func() error { _, err := c.ListTransactions(ctx, api.TxFilter{MinAmount: ptr[int64](-1)}); return err }, api.ErrInvalid},
		{"min above max", func() error {
			_, err := c.ListTransactions(ctx, api.TxFilter{MinAmount: ptr[int64](5), MaxAmount: ptr[int64](4)})
			return err
		}, api.ErrInvalid},
		{"dates reversed", func() error {
			now := time.Now()
			_, err := c.ListTransactions(ctx, api.TxFilter{CreatedAfter: now, CreatedBefore: now.Add(-time.Hour)})
			return err
		}, api.ErrInvalid},
		{"account transactions", func() error { _, err := c.ListTransactions(ctx, api.TxFilter{AccountID: "acc_1"}); return err }, api.ErrUnsupported},
		{"accounts", func() error { _, err := c.ListAccounts(ctx, "ch_1"); return err }, api.ErrUnsupported},
		{"reveal", func() error { _, err := c.RevealCard(ctx, "card_1", "caller verified"); return err }, api.ErrUnsupported},
		{"activate", func() error { _, err := c.ActivateCard(ctx, "card_1"); return err }, api.ErrUnsupported},
		{"search backwards", func() error {
			_, err := c.ListUsers(ctx, api.UserFilter{Query: "smith", Page: api.PageParams{Before: "ch_1"}})
			return err
		}, api.ErrInvalid},
		{"long search", func() error { _, err := c.ListUsers(ctx, api.UserFilter{Query: strings.Repeat("a", 201)}); return err }, api.ErrInvalid},
		{"phone without digits", func() error { _, err := c.ListUsers(ctx, api.UserFilter{Phone: "+"}); return err }, api.ErrInvalid},
		{"empty id", func() error { _, err := c.GetCard(ctx, ""); return err }, api.ErrInvalid},
		{"id with a slash", func() error { _, err := c.FreezeCard(ctx, "card_1/../cards"); return err }, api.ErrInvalid},
		{"id with a query", func() error { _, err := c.GetUser(ctx, "ch_1?x=1"); return err }, api.ErrInvalid},
		{"card number as id", func() error { _, err := c.GetCard(ctx, "4111111111111111"); return err }, api.ErrInvalid},
		{"bad transaction id", func() error { _, err := c.GetTransaction(ctx, "txn 1"); return err }, api.ErrInvalid},
		{"unknown reason", func() error { _, err := c.TerminateCard(ctx, "card_1", "bored"); return err }, api.ErrInvalid},
		{"empty reason", func() error { _, err := c.TerminateCard(ctx, "card_1", ""); return err }, api.ErrInvalid},
	}
	for _, tt := range tests {
		err := tt.call()
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "4111111111111111") {
			t.Errorf("%s: error shows a card number: %v", tt.name, err)
		}
	}
	if n := f.count(); n != 0 {
		t.Errorf("%d requests sent for refused calls", n)
	}
}

func TestCardActionsSend(t *testing.T) {
	f, c := newFake(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		call       func() (api.Card, error)
		method     string
		path, body string
	}{
		{"get", func() (api.Card, error) { return c.GetCard(ctx, "card_1") }, "GET", "/v1/cards/card_1", ""},
		{"freeze", func() (api.Card, error) { return c.FreezeCard(ctx, "card_1") }, "POST", "/v1/cards/card_1/freeze", ""},
		{"unfreeze", func() (api.Card, error) { return c.UnfreezeCard(ctx, "card_1") }, "POST", "/v1/cards/card_1/unfreeze", ""},
		{"terminate", func() (api.Card, error) { return c.TerminateCard(ctx, "card_1", api.TerminateStolen) }, "POST", "/v1/cards/card_1/cancel", `{"reason":"stolen"}`},
	}
	for _, tt := range tests {
		card, err := tt.call()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if card.Status != api.CardFrozen {
			t.Errorf("%s: card %+v not mapped", tt.name, card)
		}
		r, body := f.last()
		if r.Method != tt.method || r.URL.Path != tt.path || body != tt.body {
			t.Errorf("%s: %s %s %q, want %s %s %q", tt.name, r.Method, r.URL.Path, body, tt.method, tt.path, tt.body)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer sk_test_unit" {
			t.Errorf("%s: authorization %q", tt.name, got)
		}
		key := r.Header.Get("Idempotency-Key")
		if (tt.method == "POST") != (key != "") {
			t.Errorf("%s: idempotency key %q on a %s", tt.name, key, tt.method)
		}
		if ct := r.Header.Get("Content-Type"); (tt.body != "") != (ct == "application/json") {
			t.Errorf("%s: content type %q with body %q", tt.name, ct, tt.body)
		}
	}
}

func TestBalanceAndPing(t *testing.T) {
	f, c := newFake(t)
	b, err := c.Balance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if b.Available != (api.Money{Amount: 100, Currency: "GBP"}) || b.Pending != (api.Money{Amount: 5, Currency: "GBP"}) {
		t.Errorf("balance %+v", b)
	}
	if _, err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.last(); r.Method != "GET" || r.URL.Path != "/v1/account/balance" {
		t.Errorf("ping sent %s %s", r.Method, r.URL.Path)
	}
}

func TestProviderErrorIsTyped(t *testing.T) {
	_, c := newFake(t)
	_, err := c.GetTransaction(context.Background(), "txn_missing")
	e, ok := api.AsError(err)
	if !ok || !errors.Is(err, api.ErrNotFound) || e.Code != "resource_missing" || e.RequestID != "req_fake" {
		t.Fatalf("error %v (%+v), want a typed 404", err, e)
	}
	if !strings.HasPrefix(err.Error(), `get transaction "txn_missing": `) {
		t.Errorf("error %q does not say what was being done", err)
	}
}

func ptr[T any](v T) *T { return &v }
