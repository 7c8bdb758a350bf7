package vaultspay_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// These tests run the client against the sandbox issuer over real HTTP.

type sandboxEnv struct {
	srv  *sandbox.Server
	base string // .../vaultspay/v1
	cfg  sandbox.Config
	c    *vaultspay.Client
}

func newSandbox(t *testing.T, cfg sandbox.Config) *sandboxEnv {
	t.Helper()
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = -1
	}
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	env := &sandboxEnv{srv: srv, base: ts.URL + "/vaultspay/v1", cfg: srv.Config()}
	env.c = env.client(t, env.cfg.VaultsPayKey, nil)
	return env
}

// client is a client of the sandbox with key, retrying quickly.
func (e *sandboxEnv) client(t *testing.T, key string, hc *http.Client) *vaultspay.Client {
	t.Helper()
	c, err := vaultspay.New(vaultspay.Config{
		BaseURL: e.base, Key: key, HTTPClient: hc,
		Tuning: api.Tuning{BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Jitter: func() float64 { return 0.5 }},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// run runs the sandbox's simulator and webhook delivery for the test.
func (e *sandboxEnv) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sandbox Run: %v", err)
		}
	})
}

// raw sends one request by hand, for what the client refuses to send.
func (e *sandboxEnv) raw(t *testing.T, method, path, key, body string) (int, http.Header, []byte) {
	t.Helper()
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.base+path, rdr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// findCard returns a card in the given state, by listing.
func (e *sandboxEnv) findCard(t *testing.T, status api.CardStatus, typ api.CardType) api.Card {
	t.Helper()
	for card, err := range api.Cards(context.Background(), e.c, api.CardFilter{Status: status, Type: typ, Page: api.PageParams{Limit: 100}}) {
		if err != nil {
			t.Fatal(err)
		}
		return card
	}
	t.Fatalf("the sandbox has no %s %s card", status, typ)
	return api.Card{}
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func noDuplicates(t *testing.T, what string, list []string) {
	t.Helper()
	seen := make(map[string]bool, len(list))
	for _, id := range list {
		if seen[id] {
			t.Fatalf("%s: %s appears twice", what, id)
		}
		seen[id] = true
	}
}

func TestSandboxRateLimitState(t *testing.T) {
	e := newSandbox(t, sandbox.Config{RateLimit: 600})
	if _, err := e.c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	rl := e.c.RateLimit()
	if !rl.Known() || rl.Limit != 600 || rl.Remaining < 0 || rl.Remaining >= 600 || rl.Reset.IsZero() {
		t.Errorf("rate limit %+v", rl)
	}
}

// pages walks forward n pages of limit items from the start, then back
// from the last one, and checks both ways agree with one big page.
func pages[T any](t *testing.T, what string, n, limit int, list func(api.PageParams) (api.Page[T], error), id func(T) string) {
	t.Helper()
	var forward [][]string
	p := api.PageParams{Limit: limit}
	var last api.Page[T]
	for i := 0; i < n; i++ {
		page, err := list(p)
		if err != nil {
			t.Fatalf("%s page %d: %v", what, i+1, err)
		}
		if len(page.Items) != limit {
			t.Fatalf("%s page %d has %d items, want %d", what, i+1, len(page.Items), limit)
		}
		if i == 0 && page.HasPrev {
			t.Errorf("%s: the first page has a previous page", what)
		}
		if i > 0 && !page.HasPrev {
			t.Errorf("%s page %d has no previous page", what, i+1)
		}
		if !page.HasNext {
			t.Fatalf("%s page %d has no next page", what, i+1)
		}
		forward = append(forward, ids(page.Items, id))
		p = api.PageParams{Limit: limit, After: page.Next}
		last = page
	}
	// Back from the last page: each previous page is the one seen going forward.
	page := last
	for i := n - 2; i >= 0; i-- {
		prev, err := list(api.PageParams{Limit: limit, Before: page.Prev})
		if err != nil {
			t.Fatalf("%s back to page %d: %v", what, i+1, err)
		}
		if got := ids(prev.Items, id); !slices.Equal(got, forward[i]) {
			t.Fatalf("%s page %d going back:\n got %v\nwant %v", what, i+1, got, forward[i])
		}
		if !prev.HasNext {
			t.Errorf("%s page %d going back has no next page", what, i+1)
		}
		page = prev
	}
	all := slices.Concat(forward...)
	noDuplicates(t, what, all)
	// No gaps: the pages together are one page of n*limit items.
	big, err := list(api.PageParams{Limit: n * limit})
	if err != nil {
		t.Fatalf("%s one page: %v", what, err)
	}
	if got := ids(big.Items, id); !slices.Equal(got, all) {
		t.Fatalf("%s: pages differ from one page of %d:\n got %v\nwant %v", what, n*limit, all, got)
	}
}

func TestSandboxPagination(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	pages(t, "users", 4, 7, func(p api.PageParams) (api.Page[api.User], error) {
		return e.c.ListUsers(ctx, api.UserFilter{Page: p})
	}, func(u api.User) string { return u.ID })
	pages(t, "cards", 3, 25, func(p api.PageParams) (api.Page[api.Card], error) {
		return e.c.ListCards(ctx, api.CardFilter{Page: p})
	}, func(c api.Card) string { return c.ID })

	accounts, err := e.c.ListAccounts(ctx, e.findCard(t, api.CardActive, "").UserID)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("accounts: %v, %v", accounts, err)
	}
	pages(t, "account transactions", 3, 10, func(p api.PageParams) (api.Page[api.Transaction], error) {
		return e.c.ListTransactions(ctx, api.TxFilter{AccountID: accounts[0].ID, Page: p})
	}, func(tx api.Transaction) string { return tx.ID })
}

func TestSandboxAllOverWholeListings(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	users, err := api.Collect(api.Users(ctx, e.c, api.UserFilter{Page: api.PageParams{Limit: 100}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) < 200 {
		t.Errorf("%d users, want at least 200", len(users))
	}
	noDuplicates(t, "users", ids(users, func(u api.User) string { return u.ID }))

	cards, err := api.Collect(api.Cards(ctx, e.c, api.CardFilter{Page: api.PageParams{Limit: 100}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) < 400 {
		t.Errorf("%d cards, want at least 400", len(cards))
	}
	noDuplicates(t, "cards", ids(cards, func(c api.Card) string { return c.ID }))
	for i := 1; i < len(cards); i++ {
		if cards[i].CreatedAt.After(cards[i-1].CreatedAt) {
			t.Fatalf("cards not newest first at %d", i)
		}
	}
	// Every card is in exactly one state: the filtered listings add up.
	total := 0
	for _, st := range []api.CardStatus{api.CardInactive, api.CardActive, api.CardFrozen, api.CardTerminated} {
		n := 0
		for card, err := range api.Cards(ctx, e.c, api.CardFilter{Status: st, Page: api.PageParams{Limit: 100}}) {
			if err != nil {
				t.Fatal(err)
			}
			if card.Status != st {
				t.Fatalf("status filter %s returned a %s card", st, card.Status)
			}
			n++
		}
		if n == 0 {
			t.Errorf("no %s cards in the sandbox", st)
		}
		total += n
	}
	if total != len(cards) {
		t.Errorf("cards by status add up to %d, all cards %d", total, len(cards))
	}
}

func TestSandboxUsers(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	page, err := e.c.ListUsers(ctx, api.UserFilter{Page: api.PageParams{Limit: 5}})
	if err != nil || len(page.Items) != 5 {
		t.Fatalf("ListUsers: %d, %v", len(page.Items), err)
	}
	u := page.Items[2]
	got, err := e.c.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || got.Email != u.Email || got.Name() != u.Name() || !got.CreatedAt.Equal(u.CreatedAt) {
		t.Errorf("GetUser %+v, listed %+v", got, u)
	}
	if u.Email == "" || u.KYC == "" || u.KYC == api.KYCUnknown || u.CreatedAt.IsZero() {
		t.Errorf("user %+v lacks fields", u)
	}
	tests := []struct {
		name string
		f    api.UserFilter
	}{
		{"email", api.UserFilter{Email: u.Email}},
		{"phone", api.UserFilter{Phone: u.Phone}},
		{"query by last name", api.UserFilter{Query: u.LastName}},
		{"query by email", api.UserFilter{Query: u.Email}},
	}
	for _, tt := range tests {
		found, err := api.Collect(api.Users(ctx, e.c, tt.f), 0)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !slices.ContainsFunc(found, func(x api.User) bool { return x.ID == u.ID }) {
			t.Errorf("%s: %d users, not %s", tt.name, len(found), u.ID)
		}
		if tt.f.Email != "" && len(found) != 1 {
			t.Errorf("email filter matched %d users", len(found))
		}
	}
}

func TestSandboxAccounts(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	card := e.findCard(t, api.CardActive, "")
	accounts, err := e.c.ListAccounts(ctx, card.UserID)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("ListAccounts: %v, %v", accounts, err)
	}
	for _, a := range accounts {
		if a.UserID != card.UserID || a.Currency == "" || a.Available.Currency != a.Currency || a.IBAN != "" {
			t.Errorf("account %+v", a)
		}
		got, err := e.c.GetAccount(ctx, a.ID)
		if err != nil || got.ID != a.ID || got.Available != a.Available {
			t.Errorf("GetAccount %+v, %v; listed %+v", got, err, a)
		}
		bal, err := e.c.GetBalance(ctx, a.ID)
		if err != nil || bal.Available != a.Available || bal.Pending != a.Pending {
			t.Errorf("GetBalance %+v, %v; account %+v", bal, err, a)
		}
		iban, err := e.c.GetIBAN(ctx, a.ID)
		if err != nil || iban.AccountID != a.ID || len(iban.IBAN) < 15 || iban.BIC == "" {
			t.Errorf("GetIBAN %+v, %v", iban, err)
		}
	}
	if !slices.ContainsFunc(accounts, func(a api.Account) bool { return a.ID == card.AccountID }) {
		t.Errorf("the card's account %s is not among the user's", card.AccountID)
	}
}

func TestSandboxKYCSession(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	// api.User does not carry the session id: read the wire users by hand
	// for a user who has one.
	status, _, body := e.raw(t, "GET", "/users?limit=100", e.cfg.VaultsPayKey, "")
	var users vaultspay.List[vaultspay.User]
	if err := json.Unmarshal(body, &users); status != 200 || err != nil {
		t.Fatalf("list users by hand: %d, %v", status, err)
	}
	i := slices.IndexFunc(users.Data, func(u vaultspay.User) bool { return u.KYC.SessionID != nil })
	if i < 0 {
		t.Fatal("no user among the first 100 has a KYC session")
	}
	user := users.Data[i]
	s, err := e.c.GetKYCSession(ctx, user.ID, *user.KYC.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != *user.KYC.SessionID || s.UserID != user.ID || s.Status == "" || s.CreatedAt == "" {
		t.Errorf("session %+v", s)
	}
	if _, err := e.c.GetKYCSession(ctx, user.ID, "kyc_nope"); !isStatus(err, http.StatusNotFound) {
		t.Errorf("unknown session: %v", err)
	}
}

func isStatus(err error, status int) bool {
	e, ok := api.AsError(err)
	return ok && e.Status == status
}
