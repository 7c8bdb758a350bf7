package backend

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// lookupLog records the requests that reach the sandbox: path and query,
// and the key that made them.
type lookupLog struct {
	mu   sync.Mutex
	reqs []string // "KEY GET /path?query"
}

func (l *lookupLog) hook(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	l.reqs = append(l.reqs, key+" "+r.Method+" "+r.URL.RequestURI())
}

func (l *lookupLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.reqs...)
}

// FindCards: twenty sessions asking at once for the cards of the same
// rows cost the provider the pages of its card list, once;
// a card the provider lacks is said to be missing and not asked for again
// soon; a card a webhook carried whole is known without a request.
func TestFindCards(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			e := newEnv(t, provider)
			page, err := e.client.ListCards(context.Background(), api.CardFilter{Page: api.PageParams{Limit: 100}})
			if err != nil {
				t.Fatal(err)
			}
			relay := newFakeRelay()
			b := New(Config{Client: e.client, Relay: relay, PingEvery: time.Hour})
			var log lookupLog
			e.setHold(log.hook)
			run(t, b)

			ids := make([]string, 0, 30)
			for _, c := range page.Items[:30] {
				ids = append(ids, c.ID)
			}
			var wg sync.WaitGroup
			for range 20 {
				wg.Go(func() {
					for {
						got := b.FindCards(context.Background(), ids)
						if len(got.Cards) == len(ids) {
							return
						}
						for id, st := range got.Unknown {
							if st != CardLooking {
								t.Errorf("card %s: %s, want it looked up", id, st)
								return
							}
						}
					}
				})
			}
			wg.Wait()
			for _, r := range log.all() {
				if !strings.Contains(r, " GET /"+provider+"/v1/cards?") || !strings.Contains(r, "limit=100") {
					t.Errorf("request %q: want only pages of the card list", r)
				}
			}
			if n := len(log.all()); n == 0 || n > 6 {
				t.Errorf("%d requests for 30 cards asked for by 20 sessions; want the list's pages, once", n)
			}

			before := len(log.all())
			gone := "card_gone_" + provider
			got := b.FindCards(context.Background(), []string{gone})
			for got.Unknown[gone] == CardLooking {
				got = b.FindCards(context.Background(), []string{gone})
			}
			if got.Unknown[gone] != CardMissing {
				t.Errorf("a card the provider lacks: %+v", got)
			}
			if again := b.FindCards(context.Background(), []string{gone}); again.Unknown[gone] != CardMissing {
				t.Errorf("asked again: %+v", again)
			}
			// The walk through the list goes on to its end first (under
			// live traffic the rest of it is wanted soon), then the card is
			// asked for by id, once.
			byID, pages := 0, 0
			for _, r := range log.all() {
				switch {
				case strings.HasSuffix(r, "/cards/"+gone):
					byID++
				case strings.Contains(r, "limit=100"):
					pages++
				default:
					t.Errorf("request %q", r)
				}
			}
			if byID != 1 || pages > 6 || !strings.HasSuffix(log.all()[len(log.all())-1], "/cards/"+gone) {
				t.Errorf("requests for the missing card: %q; want the rest of the list's pages, then one by id", log.all()[before:])
			}

			whole := api.Card{ID: "card_webhook_" + provider, UserID: "usr_w", LastFour: "4821", Status: api.CardFrozen, UpdatedAt: time.Now()}
			feed := b.Subscribe()
			defer feed.Close()
			relay.send(t, rec(t, 1, api.Event{ID: "evt_w", Provider: provider, Type: api.EventCardFrozen, CreatedAt: time.Now(), Card: &whole}))
			waitSeq(t, feed, 1)
			before = len(log.all())
			if got := b.FindCards(context.Background(), []string{whole.ID}); len(got.Cards) != 1 || got.Cards[0].LastFour != "4821" || got.Cards[0].Status != api.CardFrozen {
				t.Errorf("the webhook's card: %+v", got)
			}
			if n := len(log.all()) - before; n != 0 {
				t.Errorf("%d requests for a card a webhook carried whole", n)
			}
		})
	}
}

// With a monitoring key, the background lane's lookups spend its budget
// and use it at the provider; the agents' key sends none of them.
func TestMonitorKeyTakesTheBackgroundLane(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	monitor := e.newClient(t, vaultspay.Provider, e.cfg.VaultsPayReadOnlyKey)
	b := New(Config{Client: e.client, Monitor: monitor, PingEvery: time.Hour})
	var log lookupLog
	e.setHold(log.hook)
	run(t, b)
	for i := range 3 {
		id := fmt.Sprintf("card_gone%d", i)
		for b.FindCards(context.Background(), []string{id}).Unknown[id] == CardLooking {
		}
	}
	lookups := 0
	for _, r := range log.all() {
		if strings.Contains(r, "/cards") {
			lookups++
			if !strings.HasPrefix(r, e.cfg.VaultsPayReadOnlyKey+" ") {
				t.Errorf("a lookup made with another key than the monitoring key: %q", r)
			}
		}
	}
	if lookups == 0 {
		t.Fatal("no lookup reached the sandbox")
	}
	if st := b.Health(); !st.HasMonitor || st.MonitorRateLimit.Budget.Sent[api.LaneBackground] != int64(lookups) ||
		st.RateLimit.Budget.Sent[api.LaneBackground] > 1 {
		t.Errorf("health %+v; want the monitoring key's budget to have sent the %d lookups, the agents' key at most its API check", st, lookups)
	}
}

// The cards wanted are bounded, whatever the rows asked for while the
// lookups could not keep up.
func TestFindCardsWantedIsBounded(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	b := New(Config{Client: e.client})
	ids := make([]string, 0, 1000)
	for i := range 3 * maxFinderMarks {
		ids = append(ids, fmt.Sprintf("card_%07d", i))
		if len(ids) == cap(ids) {
			b.findNow(ids)
			ids = ids[:0]
		}
	}
	b.finder.mu.Lock()
	n := len(b.finder.wanted)
	b.finder.mu.Unlock()
	if n > maxFinderMarks {
		t.Errorf("%d cards wanted, want at most %d", n, maxFinderMarks)
	}
}
