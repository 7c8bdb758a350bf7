package vydapay_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vydapay"
)

// newSandbox serves a fresh sandbox over real HTTP and returns it with its
// Vydapay base URL.
func newSandbox(t *testing.T, cfg sandbox.Config) (*sandbox.Server, string) {
	t.Helper()
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = -1
	}
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srv, ts.URL + "/vydapay/v1"
}

func newClient(t *testing.T, cfg vydapay.Config) *vydapay.Client {
	t.Helper()
	if cfg.BaseBackoff == 0 {
		cfg.BaseBackoff, cfg.MaxBackoff = time.Millisecond, time.Millisecond
	}
	c, err := vydapay.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sandboxClient(t *testing.T) (*sandbox.Server, *vydapay.Client) {
	t.Helper()
	srv, base := newSandbox(t, sandbox.Config{})
	return srv, newClient(t, vydapay.Config{BaseURL: base, Key: srv.Config().VydapayKey})
}

// firstCard is a card in the given state, for tests that act on one.
func firstCard(t *testing.T, c *vydapay.Client, status api.CardStatus) api.Card {
	t.Helper()
	page, err := c.ListCards(context.Background(), api.CardFilter{Status: status, Page: api.PageParams{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("the sandbox has no %s card", status)
	}
	return page.Items[0]
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = id(item)
	}
	return out
}

func cardIDOf(c api.Card) string      { return c.ID }
func userIDOf(u api.User) string      { return u.ID }
func txIDOf(t api.Transaction) string { return t.ID }
func noDupes(s []string) bool         { return len(slices.Compact(slices.Sorted(slices.Values(s)))) == len(s) }
func equalIDs(a, b []string) bool     { return slices.Equal(a, b) }
func errorOf(t *testing.T, err error) *api.Error {
	t.Helper()
	e, ok := api.AsError(err)
	if !ok {
		t.Fatalf("error %v is not an *api.Error", err)
	}
	return e
}

func TestSandboxClientBasics(t *testing.T) {
	srv, base := newSandbox(t, sandbox.Config{RateLimit: 1000})
	c := newClient(t, vydapay.Config{BaseURL: base, Key: srv.Config().VydapayKey})
	ctx := context.Background()
	if c.Provider() != vydapay.Provider || c.Mode() != api.ModeTest {
		t.Errorf("provider %s mode %s", c.Provider(), c.Mode())
	}
	if caps := c.Capabilities(); caps.Reveal || caps.Activate || !caps.GlobalTransactions {
		t.Errorf("capabilities %+v", caps)
	}
	if _, err := c.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	rl := c.RateLimit()
	if !rl.Known() || rl.Limit != 1000 || rl.Remaining != 999 || rl.Reset.IsZero() {
		t.Errorf("rate limit after one call: %+v", rl)
	}
	b, err := c.Balance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b.Available.Currency == "" || b.Available.Currency != b.Pending.Currency || b.Available.Amount <= 0 {
		t.Errorf("balance %+v", b)
	}
	if rl := c.RateLimit(); rl.Remaining != 998 {
		t.Errorf("rate limit after two calls: %+v", rl)
	}
}

func TestSandboxUsers(t *testing.T) {
	_, c := sandboxClient(t)
	ctx := context.Background()
	page, err := c.ListUsers(ctx, api.UserFilter{Page: api.PageParams{Limit: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 20 || !page.HasNext || page.HasPrev || page.Next != page.Items[19].ID {
		t.Fatalf("first page: %d users, next %v prev %v", len(page.Items), page.HasNext, page.HasPrev)
	}
	u := page.Items[3]
	got, err := c.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || got.Email != u.Email || got.Name() != u.Name() || got.CreatedAt.IsZero() || got.KYC != api.KYCUnknown {
		t.Errorf("GetUser = %+v, listed %+v", got, u)
	}
	if u.Email == "" || u.FirstName == "" || u.LastName == "" || u.Phone == "" {
		t.Fatalf("the sandbox cardholder lacks details: %+v", u)
	}
	tests := []struct {
		name string
		f    api.UserFilter
	}{
		{"email", api.UserFilter{Email: u.Email}},
		{"query: last name, upper case", api.UserFilter{Query: strings.ToUpper(u.LastName)}},
		{"query: full name", api.UserFilter{Query: u.Name()}},
		{"query: part of the email", api.UserFilter{Query: u.Email[:strings.Index(u.Email, "@")]}},
		{"query: id", api.UserFilter{Query: u.ID}},
		{"query: phone digits", api.UserFilter{Query: u.Phone[len(u.Phone)-7:]}},
		{"phone", api.UserFilter{Phone: u.Phone}},
		{"query and email", api.UserFilter{Email: u.Email, Query: u.FirstName}},
	}
	for _, tt := range tests {
		page, err := c.ListUsers(ctx, tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !slices.Contains(ids(page.Items, userIDOf), u.ID) || page.HasNext {
			t.Errorf("%s: %v (next %v) does not hold %s", tt.name, ids(page.Items, userIDOf), page.HasNext, u.ID)
		}
		if tt.f.Email != "" {
			for _, m := range page.Items {
				if !strings.EqualFold(m.Email, u.Email) {
					t.Errorf("%s: %s has email %s", tt.name, m.ID, m.Email)
				}
			}
		}
	}
	none, err := c.ListUsers(ctx, api.UserFilter{Query: "no such person anywhere"})
	if err != nil || len(none.Items) != 0 {
		t.Errorf("search for nobody: %v, %v", ids(none.Items, userIDOf), err)
	}
	if _, err := c.ListAccounts(ctx, u.ID); !errors.Is(err, api.ErrUnsupported) {
		t.Errorf("ListAccounts: %v", err)
	}
}

func TestSandboxCards(t *testing.T) {
	_, c := sandboxClient(t)
	ctx := context.Background()
	for _, status := range []api.CardStatus{api.CardActive, api.CardFrozen, api.CardTerminated} {
		page, err := c.ListCards(ctx, api.CardFilter{Status: status, Page: api.PageParams{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 {
			t.Errorf("no %s cards", status)
		}
		for _, card := range page.Items {
			if card.Status != status {
				t.Errorf("status %s listed %s card %s", status, card.Status, card.ID)
			}
		}
	}
	if _, err := c.ListCards(ctx, api.CardFilter{Status: api.CardInactive}); !errors.Is(err, api.ErrInvalid) {
		t.Errorf("inactive filter: %v", err)
	}
	for _, typ := range []api.CardType{api.CardVirtual, api.CardPhysical} {
		page, err := c.ListCards(ctx, api.CardFilter{Type: typ, Page: api.PageParams{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 {
			t.Errorf("no %s cards", typ)
		}
		for _, card := range page.Items {
			if card.Type != typ {
				t.Errorf("type %s listed %s card %s", typ, card.Type, card.ID)
			}
		}
	}
	card := firstCard(t, c, api.CardActive)
	mine, err := api.Collect(api.Cards(ctx, c, api.CardFilter{UserID: card.UserID}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(mine, cardIDOf), card.ID) {
		t.Errorf("the cardholder's cards %v miss %s", ids(mine, cardIDOf), card.ID)
	}
	for _, m := range mine {
		if m.UserID != card.UserID {
			t.Errorf("card %s of %s listed for %s", m.ID, m.UserID, card.UserID)
		}
	}
	byLast, err := c.ListCards(ctx, api.CardFilter{LastFour: card.LastFour})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(byLast.Items, cardIDOf), card.ID) {
		t.Errorf("last four %s found %v, not %s", card.LastFour, ids(byLast.Items, cardIDOf), card.ID)
	}
	for _, m := range byLast.Items {
		if m.LastFour != card.LastFour {
			t.Errorf("last four %s found card %s ending %s", card.LastFour, m.ID, m.LastFour)
		}
	}
	got, err := c.GetCard(ctx, card.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != card.ID || got.LastFour != card.LastFour || got.Currency == "" || got.Brand == "" || got.CreatedAt.IsZero() {
		t.Errorf("GetCard = %+v", got)
	}
	if got.Limit != nil && got.Limit.Amount.Currency != got.Currency {
		t.Errorf("limit in %s on a %s card", got.Limit.Amount.Currency, got.Currency)
	}
}

func TestSandboxCardLifecycle(t *testing.T) {
	_, c := sandboxClient(t)
	ctx := context.Background()
	card := firstCard(t, c, api.CardActive)

	frozen, err := c.FreezeCard(ctx, card.ID)
	if err != nil || frozen.Status != api.CardFrozen {
		t.Fatalf("freeze: %+v, %v", frozen.Status, err)
	}
	if got, err := c.GetCard(ctx, card.ID); err != nil || got.Status != api.CardFrozen {
		t.Fatalf("after freeze GetCard: %s, %v", got.Status, err)
	}
	_, err = c.FreezeCard(ctx, card.ID)
	if e := errorOf(t, err); !errors.Is(err, api.ErrConflict) || e.Type != vydapay.ErrTypeCard {
		t.Errorf("freeze a frozen card: %v", err)
	}
	active, err := c.UnfreezeCard(ctx, card.ID)
	if err != nil || active.Status != api.CardActive {
		t.Fatalf("unfreeze: %s, %v", active.Status, err)
	}
	_, err = c.UnfreezeCard(ctx, card.ID)
	if !errors.Is(err, api.ErrConflict) {
		t.Errorf("unfreeze an active card: %v", err)
	}
	done, err := c.TerminateCard(ctx, card.ID, api.TerminateLost)
	if err != nil || done.Status != api.CardTerminated {
		t.Fatalf("terminate: %s, %v", done.Status, err)
	}
	if got, err := c.GetCard(ctx, card.ID); err != nil || got.Status != api.CardTerminated {
		t.Fatalf("after terminate GetCard: %s, %v", got.Status, err)
	}
	for name, act := range map[string]func() (api.Card, error){
		"unfreeze":  func() (api.Card, error) { return c.UnfreezeCard(ctx, card.ID) },
		"freeze":    func() (api.Card, error) { return c.FreezeCard(ctx, card.ID) },
		"terminate": func() (api.Card, error) { return c.TerminateCard(ctx, card.ID, api.TerminateOther) },
	} {
		_, err := act()
		if e := errorOf(t, err); !errors.Is(err, api.ErrConflict) || e.Type != vydapay.ErrTypeCard || e.Message == "" {
			t.Errorf("%s a cancelled card: %v", name, err)
		}
	}
	if _, err := c.ActivateCard(ctx, card.ID); !errors.Is(err, api.ErrUnsupported) {
		t.Errorf("activate: %v", err)
	}
	if s, err := c.RevealCard(ctx, card.ID, "caller verified"); s != nil || !errors.Is(err, api.ErrUnsupported) {
		t.Errorf("reveal: %v", err)
	}
}

func TestSandboxTransactions(t *testing.T) {
	srv, c := sandboxClient(t)
	ctx := context.Background()
	page, err := c.ListTransactions(ctx, api.TxFilter{Page: api.PageParams{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 100 || !page.HasNext {
		t.Fatalf("global listing: %d, next %v", len(page.Items), page.HasNext)
	}
	sample := page.Items[0]
	got, err := c.GetTransaction(ctx, sample.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sample.ID || got.Amount != sample.Amount || got.Status != sample.Status || !got.CreatedAt.Equal(sample.CreatedAt) {
		t.Errorf("GetTransaction = %+v, listed %+v", got, sample)
	}
	now := time.Now().UTC()
	after, before := now.Add(-30*24*time.Hour), now.Add(-10*24*time.Hour)
	minAmount, maxAmount := int64(1000), int64(5000)
	tests := []struct {
		name string
		f    api.TxFilter
		ok   func(api.Transaction) bool
	}{
		{"card", api.TxFilter{CardID: sample.CardID}, func(x api.Transaction) bool { return x.CardID == sample.CardID }},
		{"cardholder", api.TxFilter{UserID: sample.UserID}, func(x api.Transaction) bool { return x.UserID == sample.UserID }},
		{"pending", api.TxFilter{Status: api.TxPending}, func(x api.Transaction) bool { return x.Status == api.TxPending }},
		{"settled", api.TxFilter{Status: api.TxSettled}, func(x api.Transaction) bool { return x.Status == api.TxSettled }},
		{"declined", api.TxFilter{Status: api.TxDeclined}, func(x api.Transaction) bool {
			// As in the reference: a declined transaction names no reason.
			return x.Status == api.TxDeclined && x.Decline != nil && x.Decline.Reason == api.DeclineNotGiven && x.Decline.Code == ""
		}},
		{"refunded", api.TxFilter{Status: api.TxRefunded}, func(x api.Transaction) bool { return x.Status == api.TxRefunded }},
		{"purchase", api.TxFilter{Type: api.TxPurchase}, func(x api.Transaction) bool { return x.Type == api.TxPurchase }},
		{"refund", api.TxFilter{Type: api.TxRefund}, func(x api.Transaction) bool { return x.Type == api.TxRefund }},
		{"atm", api.TxFilter{Type: api.TxATM}, func(x api.Transaction) bool { return x.Type == api.TxATM }},
		{"amounts", api.TxFilter{MinAmount: &minAmount, MaxAmount: &maxAmount}, func(x api.Transaction) bool {
			return x.Amount.Amount >= minAmount && x.Amount.Amount <= maxAmount
		}},
		{"dates", api.TxFilter{CreatedAfter: after, CreatedBefore: before}, func(x api.Transaction) bool {
			return !x.CreatedAt.Before(after) && !x.CreatedAt.After(before)
		}},
	}
	for _, tt := range tests {
		tt.f.Page.Limit = 100
		page, err := c.ListTransactions(ctx, tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(page.Items) == 0 {
			t.Errorf("%s: nothing listed", tt.name)
		}
		for _, x := range page.Items {
			if !tt.ok(x) {
				t.Errorf("%s: listed %+v", tt.name, x)
				break
			}
		}
	}
	if _, err := c.ListTransactions(ctx, api.TxFilter{AccountID: "acct_1"}); !errors.Is(err, api.ErrUnsupported) {
		t.Errorf("by account: %v", err)
	}

	// A fresh authorisation on a frozen card is declined, with no reason
	// given (as in the reference), and settles into "completed" when
	// approved.
	frozen := firstCard(t, c, api.CardFrozen)
	res, err := srv.Authorize(vydapay.Provider, sandbox.AuthRequest{CardID: frozen.ID, Amount: 1234,
		Merchant: sandbox.Merchants()[0]})
	if err != nil {
		t.Fatal(err)
	}
	declined, err := c.GetTransaction(ctx, res.TransactionID)
	if err != nil {
		t.Fatal(err)
	}
	if declined.Status != api.TxDeclined || declined.Decline == nil ||
		*declined.Decline != (api.Decline{Reason: api.DeclineNotGiven}) {
		t.Errorf("decline on a frozen card: %+v %+v", declined, declined.Decline)
	}
}

// Pagination through the client, forward and back, agrees with one big
// page: no duplicates, no gaps.
func TestSandboxPagination(t *testing.T) {
	_, c := sandboxClient(t)
	ctx := context.Background()
	const size, pages = 10, 4
	whole, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: size * pages}})
	if err != nil {
		t.Fatal(err)
	}
	var forward []api.Page[api.Card]
	p := api.PageParams{Limit: size}
	for i := range pages {
		page, err := c.ListCards(ctx, api.CardFilter{Page: p})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != size || !page.HasNext || page.HasPrev != (i > 0) {
			t.Fatalf("forward page %d: %d items, next %v, prev %v", i, len(page.Items), page.HasNext, page.HasPrev)
		}
		forward = append(forward, page)
		p = api.PageParams{Limit: size, After: page.Next}
	}
	var joined []string
	for _, page := range forward {
		joined = append(joined, ids(page.Items, cardIDOf)...)
	}
	if !equalIDs(joined, ids(whole.Items, cardIDOf)) || !noDupes(joined) {
		t.Fatalf("forward pages %v\ndiffer from one page %v", joined, ids(whole.Items, cardIDOf))
	}
	// Back from the last page to the first.
	cursor := forward[pages-1].Prev
	for i := pages - 2; i >= 0; i-- {
		page, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: size, Before: cursor}})
		if err != nil {
			t.Fatal(err)
		}
		if !equalIDs(ids(page.Items, cardIDOf), ids(forward[i].Items, cardIDOf)) {
			t.Fatalf("backward page %d: %v, forward had %v", i, ids(page.Items, cardIDOf), ids(forward[i].Items, cardIDOf))
		}
		if !page.HasNext || page.HasPrev != (i > 0) {
			t.Errorf("backward page %d: next %v prev %v", i, page.HasNext, page.HasPrev)
		}
		cursor = page.Prev
	}
	// And forward again from a page reached backwards.
	again, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: size, After: forward[1].Next}})
	if err != nil {
		t.Fatal(err)
	}
	if !equalIDs(ids(again.Items, cardIDOf), ids(forward[2].Items, cardIDOf)) {
		t.Errorf("forward after a page: %v, want %v", ids(again.Items, cardIDOf), ids(forward[2].Items, cardIDOf))
	}

	// Transactions page the same way.
	t1, err := c.ListTransactions(ctx, api.TxFilter{Page: api.PageParams{Limit: 25}})
	if err != nil {
		t.Fatal(err)
	}
	t2, err := c.ListTransactions(ctx, api.TxFilter{Page: api.PageParams{Limit: 25, After: t1.Next}})
	if err != nil {
		t.Fatal(err)
	}
	back, err := c.ListTransactions(ctx, api.TxFilter{Page: api.PageParams{Limit: 25, Before: t2.Prev}})
	if err != nil {
		t.Fatal(err)
	}
	if !equalIDs(ids(back.Items, txIDOf), ids(t1.Items, txIDOf)) || slices.Contains(ids(t1.Items, txIDOf), t2.Items[0].ID) {
		t.Errorf("transaction pages disagree")
	}
}

func TestSandboxAll(t *testing.T) {
	_, c := sandboxClient(t)
	ctx := context.Background()
	big, err := api.Collect(api.Users(ctx, c, api.UserFilter{Page: api.PageParams{Limit: 100}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	small, err := api.Collect(api.Users(ctx, c, api.UserFilter{Page: api.PageParams{Limit: 37}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(big) < 200 || !noDupes(ids(big, userIDOf)) || !equalIDs(ids(big, userIDOf), ids(small, userIDOf)) {
		t.Errorf("all cardholders: %d by 100, %d by 37", len(big), len(small))
	}
	// Every transaction of one cardholder, across pages of 5.
	u := big[0]
	txs, err := api.Collect(api.Transactions(ctx, c, api.TxFilter{UserID: u.ID, Page: api.PageParams{Limit: 5}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	byHundred, err := api.Collect(api.Transactions(ctx, c, api.TxFilter{UserID: u.ID, Page: api.PageParams{Limit: 100}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) == 0 || !equalIDs(ids(txs, txIDOf), ids(byHundred, txIDOf)) {
		t.Errorf("iterated %d transactions by 5, %d by 100", len(txs), len(byHundred))
	}
	if !noDupes(ids(txs, txIDOf)) {
		t.Error("duplicates while iterating")
	}
}
