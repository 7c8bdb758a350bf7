package sandbox

import (
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

// fingerprintBook lists what identifies a book: people, cards and numbers.
func fingerprintBook(iss *issuer) []string {
	var out []string
	for _, u := range iss.users.order {
		out = append(out, u.id, u.first, u.last, u.email, u.phone, u.kyc)
	}
	for _, a := range iss.accounts.order {
		out = append(out, a.id, a.userID, a.currency, a.iban)
	}
	for _, c := range iss.cards.order {
		out = append(out, c.id, c.userID, c.number, c.cvc, string(c.status), string(c.typ), c.brand)
	}
	return out
}

func TestBookDeterministic(t *testing.T) {
	t.Parallel()
	build := func(seed int64, clock func() time.Time) *Server {
		s, err := newServer(Config{Seed: seed}, clock)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := build(7, fixedNow), build(7, fixedNow)
	later := build(7, func() time.Time { return fixedNow().Add(40 * 24 * time.Hour) })
	other := build(8, fixedNow)
	for _, tc := range []struct {
		name     string
		pick     func(*Server) *issuer
		sameTx   bool
		provider string
	}{
		{"vaultspay", func(s *Server) *issuer { return s.vp }, true, vp},
		{"vydapay", func(s *Server) *issuer { return s.vy }, true, vy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fa, fb, fl, fo := fingerprintBook(tc.pick(a)), fingerprintBook(tc.pick(b)), fingerprintBook(tc.pick(later)), fingerprintBook(tc.pick(other))
			if !equalStrings(fa, fb) {
				t.Error("same seed and clock: books differ")
			}
			if !equalStrings(fa, fl) {
				t.Error("same seed at another time: people or cards differ")
			}
			if equalStrings(fa, fo) {
				t.Error("another seed: same book")
			}
			ta, tb := tc.pick(a).txs.order, tc.pick(b).txs.order
			if len(ta) != len(tb) {
				t.Fatalf("transactions: %d vs %d", len(ta), len(tb))
			}
			for i := range ta {
				x, y := ta[i], tb[i]
				if x.id != y.id || x.amount != y.amount || x.status != y.status || !x.created.Equal(y.created) || x.declineCode != y.declineCode {
					t.Fatalf("transaction %d differs: %+v vs %+v", i, x, y)
				}
			}
		})
	}
	if a.vp.users.order[0].id == a.vy.users.order[0].id || a.vp.cards.order[0].number == a.vy.cards.order[0].number {
		t.Error("the two providers' books share a seed")
	}
}

// A sandbox started at a fixed time holds the same transactions on any
// day, and its clock runs on from that time.
func TestStartPinsTheBook(t *testing.T) {
	t.Parallel()
	pinned, err := New(Config{Seed: 7, Start: fixedNow()})
	if err != nil {
		t.Fatal(err)
	}
	want, err := newServer(Config{Seed: 7}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	got, ref := pinned.vp.txs.order, want.vp.txs.order
	if len(got) != len(ref) {
		t.Fatalf("transactions: %d with Start, %d at the same fixed time", len(got), len(ref))
	}
	for i := range got {
		if got[i].id != ref[i].id || !got[i].created.Equal(ref[i].created) || got[i].status != ref[i].status {
			t.Fatalf("transaction %d: %+v with Start, %+v at the same fixed time", i, got[i], ref[i])
		}
	}
	if now := pinned.clock(); now.Before(fixedNow()) || now.Sub(fixedNow()) > time.Hour {
		t.Errorf("clock reads %v, want it running on from %v", now, fixedNow())
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBookShape(t *testing.T) {
	t.Parallel()
	s, err := newServer(Config{Seed: 1}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	now := fixedNow()
	for _, iss := range []*issuer{s.vp, s.vy} {
		t.Run(iss.provider, func(t *testing.T) {
			if n := iss.users.len(); n < 200 {
				t.Errorf("%d users, want ≥ 200", n)
			}
			if n := iss.cards.len(); n < 400 {
				t.Errorf("%d cards, want ≥ 400", n)
			}
			if n := iss.txs.len(); n < 10_000 {
				t.Errorf("%d transactions, want ≥ 10,000", n)
			}
			seen := map[string]bool{}
			statuses, types, intervals, currencies, reasons := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
			expired, controlled := 0, 0
			for _, c := range iss.cards.order {
				if seen[c.id] || seen[c.number] {
					t.Fatalf("duplicate card id or number %s", c.id)
				}
				seen[c.id], seen[c.number] = true, true
				if len(c.number) != 16 || !luhnValid(c.number) || c.lastFour() != c.number[12:] {
					t.Errorf("card %s: number not Luhn-valid 16 digits", c.id)
				}
				if len(c.cvc) != 3 || !allDigits(c.cvc) {
					t.Errorf("card %s: cvc %q", c.id, c.cvc)
				}
				statuses[string(c.status)+"/"+string(c.typ)]++
				currencies[c.currency]++
				if c.limit != nil {
					intervals[string(c.limit.interval)]++
				}
				if c.expired(now) {
					expired++
				}
				if !c.controls.empty() {
					controlled++
				}
				if _, ok := iss.users.get(c.userID); !ok {
					t.Errorf("card %s: no user %s", c.id, c.userID)
				}
				if iss.vaultspay() {
					a, ok := iss.accounts.get(c.accountID)
					if !ok || a.currency != c.currency || a.userID != c.userID {
						t.Errorf("card %s: account %s does not back it", c.id, c.accountID)
					}
				}
			}
			for _, u := range iss.users.order {
				if checkEmail(u.email, "email", true) != nil || checkPhone(u.phone, "phone") != nil {
					t.Errorf("user %s: email %q phone %q", u.id, u.email, u.phone)
				}
			}
			var prev sortKey
			for i, tx := range iss.txs.order {
				if i > 0 && prev.compare(tx.key()) >= 0 {
					t.Fatalf("transactions out of order at %d", i)
				}
				prev = tx.key()
				if now.Sub(tx.created) > bookHistory || tx.created.After(now) {
					t.Fatalf("transaction %s at %v: outside the last 90 days", tx.id, tx.created)
				}
				types[string(tx.status)]++
				types[string(tx.typ)]++
				if tx.status == api.TxDeclined {
					reasons[string(tx.reason.Group())]++
				}
				if tx.merchant != nil && (!isCategory(tx.merchant.Category) || tx.merchant.MCC == "" || tx.merchant.Country == "") {
					t.Errorf("transaction %s: merchant %+v", tx.id, tx.merchant)
				}
			}
			wantStatuses := []string{"active/virtual", "active/physical", "frozen/virtual", "terminated/virtual"}
			wantTx := []string{"pending", "settled", "declined", "refunded", "purchase", "refund", "atm_withdrawal"}
			wantCur := []string{"GBP", "EUR", "USD"}
			if iss.vaultspay() {
				wantStatuses = append(wantStatuses, "inactive/physical")
				wantTx = append(wantTx, "reversed", "transfer")
				wantCur = append(wantCur, "AED", "BHD", "JPY")
			}
			for _, k := range wantStatuses {
				if statuses[k] == 0 {
					t.Errorf("no %s card", k)
				}
			}
			for _, k := range wantTx {
				if types[k] == 0 {
					t.Errorf("no %s transaction", k)
				}
			}
			for _, k := range wantCur {
				if currencies[k] == 0 && (!iss.vaultspay() || k != "BHD" && k != "JPY") {
					t.Errorf("no %s card", k)
				}
			}
			for _, i := range []api.Interval{api.PerTransaction, api.Daily, api.Weekly, api.Monthly, api.Yearly, api.AllTime} {
				if intervals[string(i)] == 0 {
					t.Errorf("no %s limit", i)
				}
			}
			for _, g := range []api.DeclineGroup{api.GroupCardState, api.GroupFundsLimits, api.GroupControls, api.GroupVerification, api.GroupFraud} {
				if reasons[string(g)] == 0 {
					t.Errorf("no %s decline", g)
				}
			}
			if expired == 0 || expired > iss.cards.len()/10 {
				t.Errorf("%d expired cards, want a few", expired)
			}
			if controlled < iss.cards.len()/10 {
				t.Errorf("%d cards with controls, want a share", controlled)
			}
			declined := types["declined"]
			if share := float64(declined) / float64(iss.txs.len()); share < 0.05 || share > 0.2 {
				t.Errorf("decline share %.2f", share)
			}
		})
	}
	cur := map[string]int{}
	for _, a := range s.vp.accounts.order {
		cur[a.currency]++
		if !ibanValid(a.iban) {
			t.Errorf("account %s: IBAN %s", a.id, a.iban)
		}
	}
	for _, c := range vaultspayCurrencies() {
		if cur[c] == 0 {
			t.Errorf("no %s account", c)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(Config{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
