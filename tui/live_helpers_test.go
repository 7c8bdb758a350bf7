package tui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/monitor"
)

// liveNow is the fixed clock of the Live and Declines tests.
func liveNow() time.Time { return time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC) }

// newLiveContext is a session context with an empty ring and stats on the
// fixed clock, and no backend unless one is given.
func newLiveContext(be *backend.Backend, capacity int) *Context {
	now := liveNow
	return &Context{
		Width: 120, Height: 40,
		Styles:  NewStyles(true, false),
		Keys:    DefaultKeyMap(),
		Backend: be,
		Actor:   backend.Actor{Agent: "alice", Role: backend.RoleSupervisor},
		Now:     now,
		Ring:    monitor.NewRing(capacity),
		Stats:   monitor.NewDeclineStats(monitor.StatsConfig{Clock: now}),
	}
}

// liveBook is the sandbox served over HTTP, a client of it, and the book's
// first cards sorted by id, so that tests are repeatable.
type liveBook struct {
	srv    *sandbox.Server
	client *vaultspay.Client
	cards  []api.Card
}

func newLiveBook(t *testing.T) *liveBook {
	t.Helper()
	srv, err := sandbox.New(testSandbox(sandbox.Config{Seed: 11, RateLimit: -1}))
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	client, err := vaultspay.New(vaultspay.Config{BaseURL: ts.URL + "/vaultspay/v1", Key: srv.Config().VaultsPayKey})
	if err != nil {
		t.Fatal(err)
	}
	page, err := client.ListCards(context.Background(), api.CardFilter{Page: api.PageParams{Limit: 40}})
	if err != nil {
		t.Fatalf("list cards: %v", err)
	}
	cards := slices.Clone(page.Items)
	slices.SortFunc(cards, func(a, b api.Card) int { return strings.Compare(a.ID, b.ID) })
	if len(cards) < 10 {
		t.Fatalf("the sandbox book has %d cards, want at least 10", len(cards))
	}
	return &liveBook{srv: srv, client: client, cards: cards}
}

// backend is a backend over the book's client, fed by relay (nil: none).
func (b *liveBook) backend(relay backend.RelayFeed) *backend.Backend {
	return backend.New(backend.Config{Client: b.client, Relay: relay, Now: liveNow})
}

// liveSandbox is a backend over a fresh book, running until the test
// ends (its loop looks up the cards of live rows), and the book's cards.
func liveSandbox(t *testing.T) (*backend.Backend, []api.Card) {
	t.Helper()
	b := newLiveBook(t)
	be := b.backend(nil)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- be.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-ran; err != nil {
			t.Errorf("backend: %v", err)
		}
	})
	return be, b.cards
}

// liveMerchants are the merchants the generated traffic buys from.
func liveMerchants() []api.Merchant {
	return []api.Merchant{
		{Name: "SPINNEYS", City: "Dubai", Country: "AE", Category: "grocery_stores"},
		{Name: "WAITROSE", City: "Oxford", Country: "GB", Category: "grocery_stores"},
		{Name: "EMIRATES", City: "Dubai", Country: "AE", Category: "airlines"},
		{Name: "LEON DE BRUXELLES", City: "Lille", Country: "FR", Category: "restaurants"},
		{Name: "BARCLAYS ATM", City: "London", Country: "GB", Category: "atm"},
		{Name: "GITHUB", City: "San Francisco", Country: "US", Category: "software"},
	}
}

// liveReasons are the decline reasons the generated traffic gives.
func liveReasons() []api.DeclineReason {
	return []api.DeclineReason{
		api.DeclineInsufficient, api.DeclineCategoryBlocked, api.DeclineCountryBlocked,
		api.DeclineIncorrectCVC, api.DeclineSpendingLimit, api.DeclineSuspectedFraud,
	}
}

// liveTraffic makes n events over the hour before liveNow, oldest first,
// the same every time: mostly authorisations and settlements, about one
// decline in eight, and (spike) one in two over the last five minutes.
func liveTraffic(cards []api.Card, n int, spike bool) []api.Event {
	r := rand.New(rand.NewPCG(4, 2))
	now, merchants, reasons := liveNow(), liveMerchants(), liveReasons()
	out := make([]api.Event, 0, n)
	step := time.Hour / time.Duration(n+1)
	for i := range n {
		at := now.Add(-time.Hour + time.Duration(i+1)*step)
		card := cards[r.IntN(len(cards))]
		m := merchants[r.IntN(len(merchants))]
		tx := &api.Transaction{
			ID: fmt.Sprintf("tx_%05d", i), CardID: card.ID, UserID: card.UserID,
			Amount: api.Money{Amount: int64(100 + r.IntN(90000)), Currency: card.Currency},
			Status: api.TxPending, Type: api.TxPurchase, Merchant: m, CreatedAt: at,
		}
		ev := api.Event{ID: fmt.Sprintf("evt_%05d", i), Provider: "vaultspay", Type: api.EventTxAuthorized, CreatedAt: at, Transaction: tx}
		declineOdds := 8
		if spike && now.Sub(at) <= 5*time.Minute {
			declineOdds = 2
		}
		switch {
		case r.IntN(declineOdds) == 0:
			ev.Type, tx.Status = api.EventTxDeclined, api.TxDeclined
			tx.Decline = &api.Decline{Reason: reasons[r.IntN(len(reasons))], Code: "x"}
		case r.IntN(4) == 0:
			ev.Type, tx.Status = api.EventTxSettled, api.TxSettled
		}
		out = append(out, ev)
	}
	return out
}

// feedLive puts events in the ring and the stats as the root does, with
// sequence numbers following on from what the ring has.
func feedLive(ctx *Context, events []api.Event) []backend.Update {
	ups := make([]backend.Update, len(events))
	for i, ev := range events {
		seq := ctx.Ring.Total() + 1
		row := monitor.RowOf(seq, ev)
		ctx.Ring.Append(row)
		ctx.Stats.Add(row)
		ups[i] = backend.Update{Seq: seq, Event: ev}
	}
	return ups
}

// screenHost runs one screen under teatest with the root's body size, so
// that a test sees what the screen draws and waits for its state without
// polling: conditions are checked after every message.
type screenHost struct {
	ctx    *Context
	screen Screen
	waits  []waiter[*screenHost]
}

func (h *screenHost) Init() tea.Cmd { return h.screen.Init(h.ctx) }

func (h *screenHost) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m := msg.(type) {
	case awaitMsg[*screenHost]:
		h.waits = append(h.waits, m.w)
	case tea.WindowSizeMsg:
		h.ctx.Width, h.ctx.Height = m.Width, m.Height
		_, cmd = h.screen.Update(h.ctx, msg)
	default:
		var next Screen
		next, cmd = h.screen.Update(h.ctx, msg)
		if next != nil {
			h.screen = next
		}
	}
	h.waits = checkWaits(h.waits, h)
	return h, cmd
}

// body is the screen drawn at the size the root gives it.
func (h *screenHost) body() string {
	return h.screen.View(h.ctx, h.ctx.Width, h.ctx.Height-headerHeight-footerHeight)
}

func (h *screenHost) View() tea.View { return tea.NewView(h.body()) }

type hostSession struct {
	t  *testing.T
	tm *teatest.TestModel
}

func startHost(t *testing.T, ctx *Context, sc Screen, w, h int) *hostSession {
	t.Helper()
	return &hostSession{t: t, tm: runTea(t, &screenHost{ctx: ctx, screen: sc}, w, h, nil)}
}

// await blocks until cond holds inside the program's loop.
func (s *hostSession) await(what string, cond func(*screenHost) bool) {
	s.t.Helper()
	done := make(chan struct{})
	var last string
	s.tm.Send(awaitMsg[*screenHost]{waiter[*screenHost]{cond: func(h *screenHost) bool { last = ansi.Strip(h.body()); return cond(h) }, done: done}})
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.t.Fatalf("timed out waiting for %s; the screen:\n%s", what, last)
	}
}

// do runs fn inside the program's loop and waits for it.
func (s *hostSession) do(fn func(*screenHost)) {
	s.t.Helper()
	s.await("the program to run a step", func(h *screenHost) bool { fn(h); return true })
}

// screen is the screen's own drawing, without styles.
func (s *hostSession) screen() string {
	var out string
	s.do(func(h *screenHost) { out = ansi.Strip(h.body()) })
	return out
}

// cardsShown reports whether every card on the Live screen is known.
func (s *LiveScreen) cardsShown() bool {
	v, shift := s.current()
	for _, r := range monitor.Window(v, s.table.offset+shift, max(s.table.page, 1)) {
		if _, ok := s.cards.card(r.CardID); r.CardID != "" && !ok {
			return false
		}
	}
	return true
}

// press is a key press as the terminal sends it.
func press(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}
