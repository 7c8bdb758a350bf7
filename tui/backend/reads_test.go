package backend

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Twenty sessions reading the same page at once cost the provider at most
// twice what one session costs.
func TestTwentySessionsShareReads(t *testing.T) {
	reads := []struct {
		name string
		read func(ctx context.Context, b *Backend, e *env) error
	}{
		{"cards page", func(ctx context.Context, b *Backend, _ *env) error {
			_, err := b.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 25}})
			return err
		}},
		{"users page", func(ctx context.Context, b *Backend, _ *env) error {
			_, err := b.ListUsers(ctx, api.UserFilter{Page: api.PageParams{Limit: 25}})
			return err
		}},
		{"one card", func(ctx context.Context, b *Backend, e *env) error {
			_, err := b.GetCard(ctx, e.firstCardID)
			return err
		}},
	}
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		for _, r := range reads {
			t.Run(provider+"/"+r.name, func(t *testing.T) {
				e := newEnv(t, provider)
				e.firstCardID = e.card(t, api.CardActive).ID
				ctx := context.Background()

				before := e.requests.Load()
				if err := r.read(ctx, New(Config{Client: e.client}), e); err != nil {
					t.Fatalf("one session: %v", err)
				}
				one := e.requests.Load() - before
				if one < 1 {
					t.Fatalf("one session made %d requests", one)
				}

				b := New(Config{Client: e.client})
				before = e.requests.Load()
				start := make(chan struct{})
				errs := make(chan error, 20)
				var wg sync.WaitGroup
				for range 20 {
					wg.Go(func() {
						<-start
						errs <- r.read(ctx, b, e)
					})
				}
				close(start)
				wg.Wait()
				close(errs)
				for err := range errs {
					if err != nil {
						t.Fatalf("a session: %v", err)
					}
				}
				twenty := e.requests.Load() - before
				if twenty > 2*one {
					t.Errorf("twenty sessions made %d requests; one made %d", twenty, one)
				}

				// And again, within the TTL: nothing at all.
				before = e.requests.Load()
				if err := r.read(ctx, b, e); err != nil {
					t.Fatal(err)
				}
				if n := e.requests.Load() - before; n != 0 {
					t.Errorf("a cached read made %d requests", n)
				}
			})
		}
	}
}

// A session that stops waiting does not fail the read for the others; when
// every session has gone, the request is abandoned.
func TestSharedReadOutlivesOneWaiter(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	arrived := make(chan struct{}, 4)
	release := make(chan struct{})
	e.setHold(func(r *http.Request) {
		arrived <- struct{}{}
		<-release
	})
	b := New(Config{Client: e.client})
	f := api.CardFilter{Page: api.PageParams{Limit: 10}}

	// The session that stays asks first, so the read is in flight for it.
	gotB := make(chan api.Page[api.Card], 1)
	errB := make(chan error, 1)
	go func() {
		p, err := b.ListCards(context.Background(), f)
		gotB <- p
		errB <- err
	}()
	<-arrived
	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() { _, err := b.ListCards(ctxA, f); errA <- err }()
	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Fatalf("the session that left: err = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-errB; err != nil {
		t.Fatalf("the session that stayed: %v", err)
	}
	if p := <-gotB; len(p.Items) != 10 {
		t.Errorf("the session that stayed got %d cards, want 10", len(p.Items))
	}
	if n := e.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestSharedReadAbandonedWhenAllLeave(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	arrived := make(chan struct{})
	gone := make(chan struct{})
	e.setHold(func(r *http.Request) {
		close(arrived)
		<-r.Context().Done() // the client gave up on the request
		close(gone)
	})
	b := New(Config{Client: e.client})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := b.GetCard(ctx, "card_whatever"); errc <- err }()
	<-arrived
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	select {
	case <-gone:
	case <-time.After(10 * time.Second):
		t.Fatal("the abandoned request was never cancelled")
	}
	if n := e.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1 (no retry of an abandoned read)", n)
	}
}

func TestReadErrorsAreNotCached(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			e := newEnv(t, provider)
			b := New(Config{Client: e.client})
			missing := e.card(t, api.CardActive).ID + "0"
			for i := range 2 {
				before := e.requests.Load()
				if _, err := b.GetCard(context.Background(), missing); !errors.Is(err, api.ErrNotFound) {
					t.Fatalf("read %d: err = %v, want not found", i, err)
				}
				if n := e.requests.Load() - before; n != 1 {
					t.Errorf("read %d made %d requests, want 1", i, n)
				}
			}
		})
	}
}

// Reads older than the TTL are fetched again; younger ones are not.
func TestCacheTTL(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	card := e.card(t, api.CardActive)
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	b := New(Config{Client: e.client, Now: clock.now, CacheTTL: time.Minute})
	ctx := context.Background()
	reads := []struct {
		name string
		read func() error
	}{
		{"card", func() error { _, err := b.GetCard(ctx, card.ID); return err }},
		{"cards", func() error { _, err := b.ListCards(ctx, api.CardFilter{UserID: card.UserID}); return err }},
		{"user", func() error { _, err := b.GetUser(ctx, card.UserID); return err }},
		{"users", func() error { _, err := b.ListUsers(ctx, api.UserFilter{}); return err }},
		{"accounts", func() error { _, err := b.ListAccounts(ctx, card.UserID); return err }},
		{"transactions", func() error { _, err := b.ListTransactions(ctx, api.TxFilter{CardID: card.ID}); return err }},
	}
	steps := []struct {
		advance time.Duration
		want    int64 // requests per read
	}{
		{0, 1},
		{59 * time.Second, 0},
		{time.Second, 1},
		{30 * time.Second, 0},
	}
	for i, s := range steps {
		clock.add(s.advance)
		for _, r := range reads {
			before := e.requests.Load()
			if err := r.read(); err != nil {
				t.Fatalf("step %d %s: %v", i, r.name, err)
			}
			if n := e.requests.Load() - before; n != s.want {
				t.Errorf("step %d (+%v) %s: %d requests, want %d", i, s.advance, r.name, n, s.want)
			}
		}
	}
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// What is older than the TTL is swept, so the cache holds only what was
// read lately.
func TestCacheSweepsStaleEntries(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c := newCache(time.Minute, clock.now)
	c.putCardList("old", api.CardFilter{}, api.Page[api.Card]{Items: []api.Card{{ID: "card_a"}, {ID: "card_b"}}})
	c.putUser(api.User{ID: "user_a"})
	c.putTxList("old tx", api.TxFilter{}, api.Page[api.Transaction]{Items: []api.Transaction{{ID: "tx_a"}}})
	c.putAccounts("user_a", []api.Account{{ID: "acct_a"}})
	clock.add(2 * time.Minute)
	c.putCard(api.Card{ID: "card_new"})
	c.mu.Lock()
	defer c.mu.Unlock()
	sizes := map[string]int{"cards": len(c.cards), "users": len(c.users), "card pages": len(c.cardPages),
		"tx pages": len(c.txPages), "accounts": len(c.accounts), "user pages": len(c.userPages)}
	for name, n := range sizes {
		want := 0
		if name == "cards" {
			want = 1
		}
		if n != want {
			t.Errorf("%s: %d entries after the sweep, want %d", name, n, want)
		}
	}
}
