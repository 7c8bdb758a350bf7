package tui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// laneCounter counts what reaches the sandbox, by the provider's
// rate-limit window (its X-RateLimit-Reset) and by what asked: the
// lookups of live rows' cards (a card by id, a page of 100 cards, the
// health check) or an agent's read.
type laneCounter struct {
	mu      sync.Mutex
	windows map[string]*windowCount
}

type windowCount struct {
	lookups, agents           int
	lookups429, agents429     int
	cardByID, cardPages, ping int
}

var cardByIDPath = regexp.MustCompile(`/v1/cards/[^/]+$`)

func (c *laneCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		c.count(r, rec.Code, rec.Header().Get("X-RateLimit-Reset"))
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func (c *laneCounter) count(r *http.Request, status int, window string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.windows == nil {
		c.windows = map[string]*windowCount{}
	}
	n := c.windows[window]
	if n == nil {
		n = &windowCount{}
		c.windows[window] = n
	}
	limited := status == http.StatusTooManyRequests
	path := r.URL.Path
	switch {
	case r.Method == http.MethodGet && cardByIDPath.MatchString(path):
		n.cardByID++
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/v1/cards") && r.URL.Query().Get("limit") == "100":
		n.cardPages++
	case strings.HasSuffix(path, "/v1/ping") || strings.HasSuffix(path, "/v1/account/balance"):
		n.ping++
	default:
		n.agents++
		if limited {
			n.agents429++
		}
		return
	}
	n.lookups++
	if limited {
		n.lookups429++
	}
}

func (c *laneCounter) snapshot() map[string]windowCount {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]windowCount{}
	for k, v := range c.windows {
		out[k] = *v
	}
	return out
}

// budgetBook is a sandbox at a real rate limit, served over HTTP with its
// requests counted (once count is called), and a client of it.
type budgetBook struct {
	srv     *sandbox.Server
	client  api.Client
	base    string // the API's root for the provider
	counter laneCounter
	mu      sync.Mutex
	on      bool
}

func newBudgetBook(t *testing.T, provider string, limit int) *budgetBook {
	t.Helper()
	srv, err := sandbox.New(sandbox.Config{Seed: 12, RateLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	bb := &budgetBook{srv: srv}
	counted := bb.counter.wrap(srv.Handler())
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bb.mu.Lock()
		on := bb.on
		bb.mu.Unlock()
		if on {
			counted.ServeHTTP(w, r)
			return
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	bb.base = ts.URL + "/" + provider + "/v1"
	bb.client = bb.newClient(t, provider)
	return bb
}

// newClient is another client of the sandbox with the same key: another
// process, to the provider.
func (bb *budgetBook) newClient(t *testing.T, provider string) api.Client {
	t.Helper()
	var c api.Client
	var err error
	if provider == vydapay.Provider {
		c, err = vydapay.New(vydapay.Config{BaseURL: bb.base, Key: bb.srv.Config().VydapayKey})
	} else {
		c, err = vaultspay.New(vaultspay.Config{BaseURL: bb.base, Key: bb.srv.Config().VaultsPayKey})
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// count starts counting requests.
func (bb *budgetBook) count() {
	bb.mu.Lock()
	bb.on = true
	bb.mu.Unlock()
}

// TestLiveLookupsLeaveAgentsTheLimit: with the sandbox at Vydapay's
// test-mode limit (100 a minute), Live fills with the rows of 140 cards,
// 40 of which the provider does not have, 35 rows at a time. The
// dashboard looks their cards up on its own, within its background share
// (20 a window, health check included): the cards the provider has show
// their number, the others say "not found" or that their lookup is
// queued — none is left saying it is being looked up — and the agent
// who then opens Cards gets the list, with no request of theirs refused.
func TestLiveLookupsLeaveAgentsTheLimit(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			bb := newBudgetBook(t, provider, 100)
			page, err := bb.client.ListCards(context.Background(), api.CardFilter{Page: api.PageParams{Limit: 100}})
			if err != nil || len(page.Items) < 100 {
				t.Fatalf("the book's cards: %d, %v", len(page.Items), err)
			}
			bb.count()
			counter, client := &bb.counter, bb.client

			// 140 cards, one row each, the 40 the provider lacks among them.
			cards := slices.Clone(page.Items)
			for i := range 40 {
				cards = append(cards, api.Card{ID: fmt.Sprintf("card_gone%03d", i), UserID: page.Items[i].UserID, Currency: "GBP"})
			}
			rand.New(rand.NewPCG(12, 2)).Shuffle(len(cards), func(i, j int) { cards[i], cards[j] = cards[j], cards[i] })

			feed := chanFeed{ch: make(chan []live.Record, 1)}
			be := backend.New(backend.Config{Client: client, Relay: feed, Now: liveNow})
			s := startRoot(t, be)
			s.keys("3")
			s.await("the Live view", func(m *model) bool { _, ok := liveTop(m); return ok })
			const round = 35
			seq := uint64(0)
			for start := 0; start < len(cards); start += round {
				var recs []live.Record
				for i, c := range cards[start:min(start+round, len(cards))] {
					ev := declineOf(c, fmt.Sprintf("b%03d", start+i), fmt.Sprintf("SHOP %03d", start+i), api.DeclineInsufficient, liveNow())
					rec, err := live.NewRecord(ev, liveNow())
					if err != nil {
						t.Fatal(err)
					}
					seq++
					rec.Seq = seq
					recs = append(recs, rec)
				}
				feed.ch <- recs
				want := seq
				s.await(fmt.Sprintf("rows %d to %d drawn, their cards settled", start+1, want), func(m *model) bool {
					out := ansi.Strip(m.render())
					return m.ctx.Ring.Total() == want && strings.Contains(out, fmt.Sprintf("SHOP %03d", want-1)) &&
						!strings.Contains(out, "lookup…")
				})
			}
			var screen string
			s.inspect(func(m *model) { screen = ansi.Strip(m.render()) })
			shop := regexp.MustCompile(`SHOP (\d{3})`)
			for line := range strings.SplitSeq(screen, "\n") {
				m := shop.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				i, _ := strconv.Atoi(m[1])
				c := cards[i]
				switch {
				case c.LastFour != "" && !strings.Contains(line, "•••• "+c.LastFour):
					t.Errorf("the row of card %s does not show •••• %s: %q", c.ID, c.LastFour, line)
				case c.LastFour == "" && !strings.Contains(line, "not found") && !strings.Contains(line, "queued"):
					t.Errorf("the row of card %s, which the provider lacks, says neither not found nor queued: %q", c.ID, line)
				}
			}
			s.await("the header to say the background lane is held back", func(m *model) bool {
				return strings.Contains(ansi.Strip(m.render()), "bg held: share spent (20/20)")
			})

			s.keys("2")
			s.await("the Cards list", func(m *model) bool {
				cs, ok := topIs[*CardsScreen](m)
				return ok && !cs.list.loading && (len(cs.list.items) > 0 || cs.list.err != nil)
			})
			if out := s.screen(); strings.Contains(out, "rate limit") {
				t.Errorf("the agent's Cards were refused:\n%s", out)
			}
			for window, n := range counter.snapshot() {
				if n.agents429 > 0 {
					t.Errorf("window %s: %d of the agent's %d requests refused with 429", window, n.agents429, n.agents)
				}
				if n.lookups > 20 {
					t.Errorf("window %s: %d lookups (%d cards by id, %d pages, %d checks); want at most 20, the background share",
						window, n.lookups, n.cardByID, n.cardPages, n.ping)
				}
				t.Logf("window %s: %+v", window, n)
			}
		})
	}
}
