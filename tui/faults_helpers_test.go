package tui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/tui/backend"
)

// These tests run the dashboard, its backend and a provider's client
// against the sandbox through a fault front, over real HTTP.

func faultProviders() []string { return []string{vaultspay.Provider, vydapay.Provider} }

// faultTuning retries quickly: 4 attempts and millisecond backoffs.
func faultTuning() api.Tuning {
	return api.Tuning{
		AttemptTimeout: 5 * time.Second,
		MaxAttempts:    4,
		BaseBackoff:    time.Millisecond,
		MaxBackoff:     4 * time.Millisecond,
		MaxRetryWait:   2 * time.Second,
		Jitter:         func() float64 { return 0.5 },
	}
}

// faultEnv is one sandbox (it serves both providers) shared by a test's
// cases, with clients that bypass every front.
type faultEnv struct {
	srv    *sandbox.Server
	direct map[string]api.Client

	mu   sync.Mutex
	pool map[string][]api.Card // active cards not handed out yet
}

func newFaultEnv(t *testing.T) *faultEnv {
	t.Helper()
	srv, err := sandbox.New(testSandbox(sandbox.Config{Seed: 7, RateLimit: -1}))
	if err != nil {
		t.Fatal(err)
	}
	fe := &faultEnv{srv: srv, direct: map[string]api.Client{}, pool: map[string][]api.Card{}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	for _, p := range faultProviders() {
		fe.direct[p] = fe.client(t, p, ts.URL, faultTuning())
	}
	return fe
}

// client is a provider's client of the sandbox at base, with a connection
// pool of its own.
func (fe *faultEnv) client(t *testing.T, provider, base string, tuning api.Tuning) api.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	cfg := fe.srv.Config()
	var (
		c   api.Client
		err error
	)
	if provider == vydapay.Provider {
		c, err = vydapay.New(vydapay.Config{BaseURL: base + "/vydapay/v1", Key: cfg.VydapayKey, HTTPClient: hc, Tuning: tuning})
	} else {
		c, err = vaultspay.New(vaultspay.Config{BaseURL: base + "/vaultspay/v1", Key: cfg.VaultsPayKey, HTTPClient: hc, Tuning: tuning})
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// card hands out an active card no other case has used.
func (fe *faultEnv) card(t *testing.T, provider string) api.Card {
	t.Helper()
	fe.mu.Lock()
	defer fe.mu.Unlock()
	if fe.pool[provider] == nil {
		page, err := fe.direct[provider].ListCards(context.Background(), api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		// A drifting sandbox (-sandbox.drift) shows some active cards in
		// a state carddesk does not know: the cases want one that reads
		// active.
		for _, c := range page.Items {
			if c.Status == api.CardActive {
				fe.pool[provider] = append(fe.pool[provider], c)
			}
		}
	}
	if len(fe.pool[provider]) == 0 {
		t.Fatal("no active card left in the sandbox book")
	}
	c := fe.pool[provider][0]
	fe.pool[provider] = fe.pool[provider][1:]
	return c
}

// faultSession is a supervisor's dashboard on a provider, behind a front.
type faultSession struct {
	*session
	front *faults.Front
	be    *backend.Backend
}

// start runs a dashboard whose client reaches the sandbox through a front
// with rules, and waits for its first page of users.
func (fe *faultEnv) start(t *testing.T, provider string, tuning api.Tuning, rules ...faults.Rule) *faultSession {
	t.Helper()
	front, err := faults.New(fe.srv.Handler(), faults.Config{Rules: rules, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(front)
	t.Cleanup(ts.Close)
	t.Cleanup(front.Close) // runs before the server closes: no hold is waited out
	clock := newTestClock()
	be := backend.New(backend.Config{Client: fe.client(t, provider, ts.URL, tuning), Now: clock.Now})
	ctx, cancel := context.WithCancel(context.Background())
	m := New(Options{
		Backend: be,
		Actor:   backend.Actor{Agent: "alice", Session: "faults", Role: backend.RoleSupervisor},
		Now:     clock.Now,
		Context: ctx,
	}).(*model)
	s := runSession(t, m, 80, 24, cancel) // cancel ends the calls still held or waiting
	s.await("the first page of users", func(m *model) bool { return m.usersLoaded() })
	return &faultSession{session: s, front: front, be: be}
}

// openCardByID opens a card's detail with :card, pasting the command
// rather than typing it key by key (which costs a render per key).
func (s *faultSession) openCardByID(c api.Card) {
	s.t.Helper()
	s.key(":")
	s.tm.Send(tea.PasteMsg{Content: "card " + c.ID})
	s.await("the command", func(m *model) bool { return m.cmd.open && m.cmd.input.Value() == "card "+c.ID })
	s.key("enter")
	s.await("the card's detail", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.loaded && d.card.ID == c.ID
	})
}

// waitFront waits until cond holds for the front's records.
func (s *faultSession) waitFront(what string, cond func([]faults.Record) bool) []faults.Record {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	recs, err := s.front.Wait(ctx, cond)
	if err != nil {
		s.t.Fatalf("waiting for the front to see %s: %v; records %+v", what, err, recs)
	}
	return recs
}

// cardListCalls are the front's records of listing cards.
func cardListCalls(recs []faults.Record) []faults.Record {
	var out []faults.Record
	for _, r := range recs {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/v1/cards") {
			out = append(out, r)
		}
	}
	return out
}

// cardsLoading says the Cards tab's list is still waiting for its first
// page.
func cardsLoading(m *model) bool {
	st := m.tabs[tabCards]
	cs, ok := st[0].(*CardsScreen)
	return ok && cs.list.loading && len(cs.list.items) == 0
}
