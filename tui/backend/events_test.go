package backend

import (
	"context"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
)

// live env: the sandbox, a backend running with a fake relay, one feed to
// know when an event has been applied.
type liveEnv struct {
	*env
	b     *Backend
	relay *fakeRelay
	feed  *Feed
	seq   uint64
}

func newLiveEnv(t *testing.T, provider string) *liveEnv {
	t.Helper()
	e := newEnv(t, provider)
	relay := newFakeRelay()
	b := New(Config{Client: e.client, Relay: relay, PingEvery: time.Hour})
	le := &liveEnv{env: e, b: b, relay: relay, feed: b.Subscribe()}
	run(t, b)
	return le
}

// event sends ev through the relay and returns once it is applied.
func (le *liveEnv) event(t *testing.T, ev api.Event) {
	t.Helper()
	le.seq++
	if ev.ID == "" {
		ev.ID = "evt_test_" + time.Now().Format("150405.000000000")
	}
	ev.Provider = le.provider
	le.relay.send(t, rec(t, le.seq, ev))
	waitSeq(t, le.feed, le.seq)
}

// noIO runs read and fails if it asked the provider anything.
func (le *liveEnv) noIO(t *testing.T, what string, read func() error) {
	t.Helper()
	before := le.requests.Load()
	if err := read(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if n := le.requests.Load() - before; n != 0 {
		t.Errorf("%s made %d requests; want it served from the cache", what, n)
	}
}

// requests runs read and returns how many requests it made.
func (le *liveEnv) cost(t *testing.T, what string, read func() error) int64 {
	t.Helper()
	before := le.requests.Load()
	if err := read(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return le.requests.Load() - before
}

func TestCardEventUpdatesCachedCard(t *testing.T) {
	cases := []struct {
		name  string
		event func(c api.Card) api.Event
		want  api.CardStatus
	}{
		{"card.frozen with the card", func(c api.Card) api.Event {
			c.Status, c.UpdatedAt = api.CardFrozen, c.UpdatedAt.Add(time.Second)
			return api.Event{Type: api.EventCardFrozen, Card: &c, CreatedAt: c.UpdatedAt}
		}, api.CardFrozen},
		{"card.frozen with only the card's id", func(c api.Card) api.Event {
			return api.Event{Type: api.EventCardFrozen, Card: &api.Card{ID: c.ID}, CreatedAt: c.UpdatedAt.Add(time.Second)}
		}, api.CardFrozen},
		{"card.terminated with the card", func(c api.Card) api.Event {
			c.Status, c.UpdatedAt = api.CardTerminated, c.UpdatedAt.Add(time.Second)
			return api.Event{Type: api.EventCardTerminated, Card: &c, CreatedAt: c.UpdatedAt}
		}, api.CardTerminated},
		{"an event older than the cached card is ignored", func(c api.Card) api.Event {
			c.Status, c.UpdatedAt = api.CardFrozen, c.UpdatedAt.Add(-time.Hour)
			return api.Event{Type: api.EventCardFrozen, Card: &c, CreatedAt: c.UpdatedAt}
		}, api.CardActive},
		{"an event about another card changes nothing", func(c api.Card) api.Event {
			c.ID, c.Status, c.UpdatedAt = c.ID+"x", api.CardFrozen, c.UpdatedAt.Add(time.Second)
			return api.Event{Type: api.EventCardFrozen, Card: &c, CreatedAt: c.UpdatedAt}
		}, api.CardActive},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			le := newLiveEnv(t, vaultspay.Provider)
			ctx := context.Background()
			card := le.card(t, api.CardActive)
			mine := api.CardFilter{UserID: card.UserID}
			if _, err := le.b.GetCard(ctx, card.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := le.b.ListCards(ctx, mine); err != nil {
				t.Fatal(err)
			}

			le.event(t, tc.event(card))

			var got api.Card
			le.noIO(t, "GetCard", func() (err error) { got, err = le.b.GetCard(ctx, card.ID); return err })
			if got.Status != tc.want {
				t.Errorf("cached card is %s, want %s", got.Status, tc.want)
			}
			if got.LastFour != card.LastFour || got.UserID != card.UserID {
				t.Errorf("cached card lost its details: %+v", got)
			}
			var page api.Page[api.Card]
			le.noIO(t, "ListCards", func() (err error) { page, err = le.b.ListCards(ctx, mine); return err })
			found := false
			for _, c := range page.Items {
				if c.ID == card.ID {
					found = true
					if c.Status != tc.want {
						t.Errorf("card in the cached list is %s, want %s", c.Status, tc.want)
					}
				}
			}
			if !found {
				t.Errorf("card %s missing from its user's cached list", card.ID)
			}
		})
	}
}

// Events reach the cache exactly once, in sequence order: a batch that
// repeats sequences already applied changes nothing, and an unreadable
// record is skipped without stopping the rest.
func TestEventsAppliedExactlyOnce(t *testing.T) {
	le := newLiveEnv(t, vaultspay.Provider)
	ctx := context.Background()
	card := le.card(t, api.CardActive)
	if _, err := le.b.GetCard(ctx, card.ID); err != nil {
		t.Fatal(err)
	}
	// Status patches with no times, so that only the sequence stops a
	// repeated one from being applied again.
	patch := func(seq uint64, typ api.EventType) live.Record {
		return rec(t, seq, api.Event{ID: "evt_" + string(typ), Provider: le.provider, Type: typ, Card: &api.Card{ID: card.ID}})
	}
	bad := patch(5, api.EventCardFrozen)
	bad.Event = []byte(`{"id":`)

	le.relay.send(t, patch(1, api.EventCardFrozen), patch(2, api.EventCardUnfrozen), patch(3, api.EventCardFrozen))
	le.relay.send(t, patch(2, api.EventCardUnfrozen), patch(3, api.EventCardFrozen), patch(4, api.EventCardUnfrozen))
	le.relay.send(t, patch(1, api.EventCardFrozen), patch(4, api.EventCardUnfrozen), bad, patch(6, api.EventCardFrozen))
	le.relay.send(t, patch(6, api.EventCardUnfrozen))

	got := waitSeq(t, le.feed, 6)
	var seqs []uint64
	for _, u := range got {
		seqs = append(seqs, u.Seq)
	}
	want := []uint64{1, 2, 3, 4, 6}
	if len(seqs) != len(want) {
		t.Fatalf("feed got seqs %v, want %v", seqs, want)
	}
	for i := range want {
		if seqs[i] != want[i] {
			t.Fatalf("feed got seqs %v, want %v", seqs, want)
		}
	}
	var c api.Card
	le.noIO(t, "GetCard", func() (err error) { c, err = le.b.GetCard(ctx, card.ID); return err })
	if c.Status != api.CardFrozen {
		t.Errorf("card is %s after frozen at seq 6 (the repeated seq 6 unfreeze must not apply)", c.Status)
	}
	if h := le.b.Health(); h.EventsSeen != 5 || h.LastEventAt.IsZero() {
		t.Errorf("health: events seen %d (want 5), last event at %v", h.EventsSeen, h.LastEventAt)
	}
}

func TestTransactionEventsUpdateCachedPages(t *testing.T) {
	le := newLiveEnv(t, vaultspay.Provider)
	ctx := context.Background()
	card := le.card(t, api.CardActive)
	recent := api.TxFilter{CardID: card.ID, Page: api.PageParams{Limit: 5}}
	declines := api.TxFilter{CardID: card.ID, Status: api.TxDeclined, Page: api.PageParams{Limit: 5}}
	base, err := le.b.ListTransactions(ctx, recent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := le.b.ListTransactions(ctx, declines); err != nil {
		t.Fatal(err)
	}
	if _, err := le.b.ListAccounts(ctx, card.UserID); err != nil {
		t.Fatal(err)
	}

	tx := api.Transaction{ID: "tx_from_event", CardID: card.ID, UserID: card.UserID, AccountID: card.AccountID,
		Amount: api.Money{Amount: 1250, Currency: card.Currency}, Status: api.TxPending, Type: api.TxPurchase,
		Merchant: api.Merchant{Name: "Corner Café"}, CreatedAt: time.Now().Add(time.Hour)}
	le.event(t, api.Event{Type: api.EventTxAuthorized, Transaction: &tx, CreatedAt: tx.CreatedAt})

	var page api.Page[api.Transaction]
	le.noIO(t, "recent transactions", func() (err error) { page, err = le.b.ListTransactions(ctx, recent); return err })
	if len(page.Items) != len(base.Items)+1 || page.Items[0].ID != tx.ID {
		t.Fatalf("recent transactions: %d items, first %v; want the new one first of %d", len(page.Items), first(page), len(base.Items)+1)
	}
	if n := le.cost(t, "declines", func() error { _, err := le.b.ListTransactions(ctx, declines); return err }); n != 1 {
		t.Errorf("a filtered page the event may change cost %d requests when read again, want 1", n)
	}
	if n := le.cost(t, "accounts", func() error { _, err := le.b.ListAccounts(ctx, card.UserID); return err }); n != 1 {
		t.Errorf("accounts after a transaction cost %d requests, want 1 (balances moved)", n)
	}

	settled := tx
	settled.Status = api.TxSettled
	le.event(t, api.Event{Type: api.EventTxSettled, Transaction: &settled, CreatedAt: tx.CreatedAt})
	other := tx
	other.ID, other.CardID = "tx_other_card", card.ID+"x"
	le.event(t, api.Event{Type: api.EventTxAuthorized, Transaction: &other, CreatedAt: tx.CreatedAt})

	le.noIO(t, "recent transactions", func() (err error) { page, err = le.b.ListTransactions(ctx, recent); return err })
	if len(page.Items) != len(base.Items)+1 {
		t.Errorf("recent transactions: %d items, want %d (an update replaces, another card's is not added)", len(page.Items), len(base.Items)+1)
	}
	if page.Items[0].ID != tx.ID || page.Items[0].Status != api.TxSettled {
		t.Errorf("first transaction %v, want %s settled", first(page), tx.ID)
	}
}

func first(p api.Page[api.Transaction]) any {
	if len(p.Items) == 0 {
		return "none"
	}
	return p.Items[0].ID + " " + string(p.Items[0].Status)
}

func TestUserAccountAndNewCardEvents(t *testing.T) {
	le := newLiveEnv(t, vaultspay.Provider)
	ctx := context.Background()
	card := le.card(t, api.CardActive)
	user, err := le.b.GetUser(ctx, card.UserID)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := le.b.ListAccounts(ctx, card.UserID)
	if err != nil || len(accts) == 0 {
		t.Fatalf("accounts: %v (%d)", err, len(accts))
	}
	mine := api.CardFilter{UserID: card.UserID}
	if _, err := le.b.ListCards(ctx, mine); err != nil {
		t.Fatal(err)
	}

	kyc := user
	kyc.KYC, kyc.UpdatedAt = api.KYCRejected, user.UpdatedAt.Add(time.Second)
	le.event(t, api.Event{Type: api.EventUserKYCUpdated, User: &kyc, CreatedAt: kyc.UpdatedAt})
	var u api.User
	le.noIO(t, "GetUser", func() (err error) { u, err = le.b.GetUser(ctx, user.ID); return err })
	if u.KYC != api.KYCRejected {
		t.Errorf("cached user KYC %s, want rejected", u.KYC)
	}

	acct := accts[0]
	acct.Available.Amount += 777
	le.event(t, api.Event{Type: api.EventAccountUpdated, Account: &acct})
	var got []api.Account
	le.noIO(t, "ListAccounts", func() (err error) { got, err = le.b.ListAccounts(ctx, user.ID); return err })
	if got[0].Available != acct.Available {
		t.Errorf("cached account balance %v, want %v", got[0].Available, acct.Available)
	}

	fresh := card
	fresh.ID, fresh.Status, fresh.LastFour = card.ID+"new", api.CardInactive, "0000"
	le.event(t, api.Event{Type: api.EventCardCreated, Card: &fresh})
	if n := le.cost(t, "ListCards", func() error { _, err := le.b.ListCards(ctx, mine); return err }); n != 1 {
		t.Errorf("the user's cards after a new card cost %d requests, want 1", n)
	}
}
