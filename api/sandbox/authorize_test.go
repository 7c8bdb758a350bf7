package sandbox

import (
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

func TestAuthorizeDecisions(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 3})
	grocer := merchant(t, "mid_tesco")   // groceries, GB
	casino := merchant(t, "mid_bet365")  // gambling, GB
	russia := merchant(t, "mid_1xbet")   // gambling, RU
	paris := merchant(t, "mid_monoprix") // groceries, FR
	github := merchant(t, "mid_github")  // software_services, US
	hotel := merchant(t, "mid_hilton")   // hotels, GB
	now := time.Now().UTC()
	past := now.AddDate(0, -2, 0)

	type tc struct {
		name     string
		provider string
		card     func(*card)
		req      AuthRequest
		reason   api.DeclineReason // "" approves
		code     string
	}
	var cases []tc
	for _, p := range []string{vp, vy} {
		// Vydapay names no decline reason: the sandbox records none.
		pick := func(vpCode string) string {
			if p == vp {
				return vpCode
			}
			return ""
		}
		cases = append(cases,
			tc{"approved", p, nil, AuthRequest{Amount: 1250, Merchant: grocer}, "", ""},
			tc{"frozen", p, func(c *card) { c.status = api.CardFrozen }, AuthRequest{Amount: 1250, Merchant: grocer},
				api.DeclineCardFrozen, pick(vaultspay.DeclineCardFrozen)},
			tc{"terminated", p, func(c *card) { c.status = api.CardTerminated }, AuthRequest{Amount: 1250, Merchant: grocer},
				api.DeclineCardTerminated, pick(vaultspay.DeclineCardTerminated)},
			tc{"terminated before frozen", p, func(c *card) { c.status = api.CardTerminated; c.controls.blockedCategories = []string{"groceries"} },
				AuthRequest{Amount: 1250, Merchant: grocer}, api.DeclineCardTerminated, pick(vaultspay.DeclineCardTerminated)},
			tc{"expired", p, func(c *card) { c.expMonth, c.expYear = int(past.Month()), past.Year() }, AuthRequest{Amount: 1250, Merchant: grocer},
				api.DeclineCardExpired, pick(vaultspay.DeclineCardExpired)},
			tc{"wrong cvc", p, func(c *card) { c.cvc = "123" }, AuthRequest{Amount: 1250, Merchant: grocer, CVC: "124"},
				api.DeclineIncorrectCVC, pick(vaultspay.DeclineInvalidCVC)},
			tc{"right cvc", p, func(c *card) { c.cvc = "123" }, AuthRequest{Amount: 1250, Merchant: grocer, CVC: "123"}, "", ""},
			tc{"blocked category", p, func(c *card) { c.controls.blockedCategories = []string{"gambling"} }, AuthRequest{Amount: 1250, Merchant: casino},
				api.DeclineCategoryBlocked, pick(vaultspay.DeclineMCCBlocked)},
			tc{"category not allowed", p, func(c *card) { c.controls.allowedCategories = []string{"hotels"} }, AuthRequest{Amount: 1250, Merchant: grocer},
				api.DeclineCategoryBlocked, pick(vaultspay.DeclineMCCBlocked)},
			tc{"allowed category", p, func(c *card) { c.controls.allowedCategories = []string{"hotels"} }, AuthRequest{Amount: 1250, Merchant: hotel}, "", ""},
			tc{"blocked country", p, func(c *card) { c.controls.blockedCountries = []string{"RU"} }, AuthRequest{Amount: 1250, Merchant: russia},
				api.DeclineCountryBlocked, pick(vaultspay.DeclineCountryBlocked)},
			tc{"country not allowed", p, func(c *card) { c.controls.allowedCountries = []string{"GB"} }, AuthRequest{Amount: 1250, Merchant: paris},
				api.DeclineCountryBlocked, pick(vaultspay.DeclineCountryBlocked)},
			tc{"merchant not allowed", p, func(c *card) { c.controls.allowedMerchants = []string{"mid_aws"} }, AuthRequest{Amount: 1250, Merchant: github},
				api.DeclineMerchantBlocked, pick(vaultspay.DeclineMerchantBlocked)},
			tc{"per-transaction limit", p, func(c *card) { c.limit = &limit{1000, api.PerTransaction} }, AuthRequest{Amount: 1001, Merchant: grocer},
				api.DeclineSpendingLimit, pick(vaultspay.DeclineLimitExceeded)},
			tc{"within limit", p, func(c *card) { c.limit = &limit{1000, api.PerTransaction} }, AuthRequest{Amount: 1000, Merchant: grocer}, "", ""},
			tc{"fraud score", p, nil, AuthRequest{Amount: 150_000, Merchant: casino},
				api.DeclineSuspectedFraud, pick(vaultspay.DeclineFraudSuspected)},
			tc{"network risk", p, nil, AuthRequest{Amount: 1250, Merchant: grocer, Risk: 90},
				api.DeclineSuspectedFraud, pick(vaultspay.DeclineFraudSuspected)},
			tc{"insufficient funds", p, nil, AuthRequest{Amount: 999_999_999_99, Merchant: grocer},
				api.DeclineInsufficient, pick(vaultspay.DeclineInsufficient)},
		)
	}
	cases = append(cases,
		tc{"inactive", vp, func(c *card) { c.status = api.CardInactive }, AuthRequest{Amount: 1250, Merchant: grocer},
			api.DeclineCardInactive, vaultspay.DeclineCardInactive},
		tc{"wrong expiry", vp, nil, AuthRequest{Amount: 1250, Merchant: grocer, ExpMonth: 1, ExpYear: 2001},
			api.DeclineIncorrectExpiry, vaultspay.DeclineInvalidExpiry},
		tc{"frozen beats wrong cvc", vp, func(c *card) { c.status = api.CardFrozen }, AuthRequest{Amount: 1250, Merchant: grocer, CVC: "xyz"},
			api.DeclineCardFrozen, vaultspay.DeclineCardFrozen},
	)
	for _, c := range cases {
		t.Run(c.provider+"/"+c.name, func(t *testing.T) {
			cd := testCard(t, s, c.provider, c.card)
			req := c.req
			req.CardID = cd.id
			res, err := s.Authorize(c.provider, req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Approved != (c.reason == "") || res.Reason != c.reason || res.Code != c.code {
				t.Fatalf("got approved=%v reason=%q code=%q (%s), want reason %q code %q", res.Approved, res.Reason, res.Code, res.Message, c.reason, c.code)
			}
			iss, _ := s.issuer(c.provider)
			iss.mu.Lock()
			tx, ok := iss.txs.get(res.TransactionID)
			iss.mu.Unlock()
			if !ok {
				t.Fatal("transaction not recorded")
			}
			want := api.TxPending
			if c.reason != "" {
				want = api.TxDeclined
			}
			if tx.status != want || tx.cardID != cd.id || tx.amount != req.Amount {
				t.Errorf("recorded %+v", tx)
			}
		})
	}
}

// TestAuthorizeFrozenAlwaysDeclines: whatever is presented, a frozen card
// declines with the frozen reason.
func TestAuthorizeFrozenAlwaysDeclines(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 4})
	for _, p := range []string{vp, vy} {
		cd := testCard(t, s, p, func(c *card) { c.status = api.CardFrozen; c.limit = &limit{1, api.Daily} })
		for i, m := range Merchants() {
			res, err := s.Authorize(p, AuthRequest{CardID: cd.id, Amount: int64(1 + i*997), Merchant: m, CVC: "000", Risk: i % 100})
			if err != nil {
				t.Fatal(err)
			}
			if res.Approved || res.Reason != api.DeclineCardFrozen {
				t.Fatalf("%s at %s: %+v", p, m.ID, res)
			}
		}
	}
}

func TestAuthorizeLimitWindow(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 5})
	grocer := merchant(t, "mid_tesco")
	for _, p := range []string{vp, vy} {
		t.Run(p, func(t *testing.T) {
			cd := testCard(t, s, p, func(c *card) { c.limit = &limit{10_000, api.Monthly} })
			at := time.Now().UTC()
			lastMonth := windowStart(api.Monthly, at).Add(-time.Hour)
			steps := []struct {
				amount int64
				at     time.Time
				ok     bool
			}{
				{9_000, lastMonth, true}, // last month's spend does not count
				{6_000, at, true},
				{4_000, at, true}, // exactly the limit
				{1, at, false},
			}
			for i, st := range steps {
				res, err := s.Authorize(p, AuthRequest{CardID: cd.id, Amount: st.amount, Merchant: grocer, At: st.at})
				if err != nil {
					t.Fatal(err)
				}
				if res.Approved != st.ok {
					t.Fatalf("step %d: %+v", i, res)
				}
				if !st.ok && res.Reason != api.DeclineSpendingLimit {
					t.Fatalf("step %d: reason %s", i, res.Reason)
				}
			}
			if p == vy {
				last := s.events(vy)
				if got := last[len(last)-1].Type; got != vydapay.EventLimitReached {
					t.Errorf("last event %s, want spending_limit.reached", got)
				}
			}
		})
	}
}

func TestWindowStart(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 4, 24, 14, 52, 3, 0, time.UTC) // a Friday
	for _, tc := range []struct {
		i    api.Interval
		want time.Time
	}{
		{api.Daily, time.Date(2026, 4, 24, 0, 0, 0, 0, time.UTC)},
		{api.Weekly, time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)},
		{api.Monthly, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{api.Yearly, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{api.AllTime, time.Time{}},
	} {
		if got := windowStart(tc.i, at); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.i, got, tc.want)
		}
	}
}

func TestAuthorizeRefusesBadRequests(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 6})
	cd := testCard(t, s, vp, nil)
	grocer := merchant(t, "mid_tesco")
	for _, tc := range []struct {
		name     string
		provider string
		req      AuthRequest
	}{
		{"unknown provider", "acme", AuthRequest{CardID: cd.id, Amount: 1, Merchant: grocer}},
		{"unknown card", vp, AuthRequest{CardID: "card_nope", Amount: 1, Merchant: grocer}},
		{"zero amount", vp, AuthRequest{CardID: cd.id, Merchant: grocer}},
		{"no merchant", vp, AuthRequest{CardID: cd.id, Amount: 1}},
		{"malformed category", vp, AuthRequest{CardID: cd.id, Amount: 1, Merchant: Merchant{Name: "X", Category: "Yachts!"}}},
	} {
		if _, err := s.Authorize(tc.provider, tc.req); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestSampleCard(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 9})
	r1, r2 := newRand(1), newRand(1)
	now := time.Now()
	for range 200 {
		a, ok1 := s.sampleCard(vp, r1, false)
		b, ok2 := s.sampleCard(vp, r2, false)
		if !ok1 || !ok2 || a != b {
			t.Fatalf("sampling is not deterministic: %+v %+v", a, b)
		}
		c, _ := s.vp.cards.get(a.ID)
		if c.status != api.CardActive || c.expired(now) || a.CVC != c.cvc {
			t.Fatalf("drew a card that cannot pay: %+v", c)
		}
	}
	m := s.sampleMerchant(r1)
	if m.ID == "" || sampleAmount(r1, m, "JPY") <= 0 {
		t.Error("merchant sampling")
	}
}
