package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/monitor"
)

// TestLiveGoldens renders the Live view at 80×24 and 120×40 (the body the
// root gives it) over deterministic traffic on a fixed clock, with the
// cards' last four looked up from the sandbox through the backend; then
// paused on the declines only with traffic arriving meanwhile.
func TestLiveGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			be, cards := liveSandbox(t)
			ctx := newLiveContext(be, 0)
			traffic := liveTraffic(cards, 430, false)
			feedLive(ctx, traffic[:400])
			s := startHost(t, ctx, NewLive(ctx), size[0], size[1])
			cardsShown := func(h *screenHost) bool { return h.screen.(*LiveScreen).cardsShown() }
			snap := func(name string) {
				t.Helper()
				s.await("the cards on screen", cardsShown)
				out := s.screen()
				t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(out)) })
			}
			snap("live")

			s.tm.Send(press("d"))
			s.tm.Send(press("j"))
			s.tm.Send(press("p"))
			var ups EventsMsg
			s.do(func(h *screenHost) { ups.Updates = feedLive(h.ctx, traffic[400:]) })
			s.tm.Send(ups)
			snap("declines_paused")
		})
	}
}

// liveRig is a Live screen driven directly, without a program.
type liveRig struct {
	t   *testing.T
	ctx *Context
	s   *LiveScreen
}

func newLiveRig(t *testing.T, capacity int) *liveRig {
	ctx := newLiveContext(nil, capacity)
	ctx.Width, ctx.Height = 100, 30
	r := &liveRig{t: t, ctx: ctx, s: NewLive(ctx)}
	r.view()
	return r
}

// feed appends n events numbered from the ring's total; every third one a
// decline.
func (r *liveRig) feed(n int) {
	evs := make([]api.Event, n)
	for i := range evs {
		k := r.ctx.Ring.Total() + uint64(i) + 1
		tx := &api.Transaction{ID: fmt.Sprint("tx_", k), CardID: "card_1", Status: api.TxPending,
			Amount: api.Money{Amount: 1000, Currency: "GBP"}, Merchant: api.Merchant{Name: fmt.Sprint("SHOP ", k)},
			CreatedAt: liveNow()}
		ev := api.Event{ID: fmt.Sprint("evt_", k), Type: api.EventTxAuthorized, CreatedAt: liveNow(), Transaction: tx}
		if k%3 == 0 {
			ev.Type, tx.Status = api.EventTxDeclined, api.TxDeclined
			tx.Decline = &api.Decline{Reason: api.DeclineInsufficient}
		}
		evs[i] = ev
	}
	r.s.Update(r.ctx, EventsMsg{Updates: feedLive(r.ctx, evs)})
	r.view()
}

func (r *liveRig) keys(ks ...string) {
	for _, k := range ks {
		r.s.Update(r.ctx, press(k))
		r.view()
	}
}

func (r *liveRig) view() string {
	return ansi.Strip(r.s.View(r.ctx, r.ctx.Width, r.ctx.Height-4))
}

// selectedSeq is the sequence number of the selected row, 0 for none.
func (r *liveRig) selectedSeq() uint64 {
	row, ok := r.s.selected()
	if !ok {
		return 0
	}
	return row.Seq
}

// topSeq is the sequence number of the first row on screen.
func (r *liveRig) topSeq() uint64 {
	v, _ := r.s.current()
	_, offset := r.s.position()
	row, _ := v.At(offset)
	return row.Seq
}

func TestLivePauseResume(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		before   int
		pauseKey string
		during   int
		// wantTop is the first row on screen while paused; wantStatus what
		// the status line says.
		wantTop     uint64
		wantStatus  string
		wantResumed uint64
	}{
		{"p freezes the view", 0, 10, "p", 5, 10, "paused — 5 new", 15},
		{"space freezes the view", 0, 10, "space", 1, 10, "paused — 1 new", 11},
		{"nothing arrives", 0, 7, "p", 0, 7, "paused — 0 new", 7},
		{"rows overwritten while paused", 8, 8, "p", 20, 0, "paused — 20 new", 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newLiveRig(t, tt.capacity)
			r.feed(tt.before)
			r.keys(tt.pauseKey)
			r.feed(tt.during)
			out := r.view()
			if got := r.topSeq(); got != tt.wantTop {
				t.Errorf("paused: first row %d, want %d\n%s", got, tt.wantTop, out)
			}
			if !strings.Contains(out, tt.wantStatus) {
				t.Errorf("paused: the status does not say %q:\n%s", tt.wantStatus, out)
			}
			if tt.wantTop == 0 && !strings.Contains(out, "overwritten") {
				t.Errorf("paused past the capacity: the view does not say the rows were overwritten:\n%s", out)
			}
			r.keys(tt.pauseKey)
			out = r.view()
			if got := r.topSeq(); got != tt.wantResumed {
				t.Errorf("resumed: first row %d, want %d\n%s", got, tt.wantResumed, out)
			}
			if strings.Contains(out, "paused") || !strings.Contains(out, "● live") {
				t.Errorf("resumed: the status still says paused:\n%s", out)
			}
			r.feed(1)
			if got, want := r.selectedSeq(), r.ctx.Ring.Total(); got != want {
				t.Errorf("resumed at the top: selected row %d, want the newest %d", got, want)
			}
		})
	}
}

func TestLiveDeclinesOnly(t *testing.T) {
	r := newLiveRig(t, 0)
	r.feed(30) // declines are the multiples of 3
	r.keys("d")
	out := r.view()
	if !strings.Contains(out, "declines only") {
		t.Errorf("the status does not say declines only:\n%s", out)
	}
	v, _ := r.s.current()
	if v.Len() != 10 {
		t.Errorf("declines only lists %d rows, want 10", v.Len())
	}
	for i := range v.Len() {
		if row, _ := v.At(i); !row.Declined() {
			t.Errorf("row %d (seq %d) is not a decline", i, row.Seq)
		}
	}
	table := out[strings.Index(out, "\n"):] // the status line tells of the selected decline too
	if got := strings.Count(table, "✗ insufficient funds"); got != 10 {
		t.Errorf("%d rows show the decline reason, want 10:\n%s", got, out)
	}

	tests := []struct {
		name string
		keys []string
		want uint64 // the selected row after the keys
	}{
		{"declines: the second decline", []string{"j"}, 27},
		{"back to all keeps the row", []string{"d"}, 27},
		{"moving on all", []string{"j"}, 26},
		{"declines again: the nearest older decline", []string{"d"}, 24},
		{"g: the newest decline", []string{"g"}, 30},
		{"G: the oldest decline", []string{"G"}, 3},
	}
	for _, tt := range tests {
		r.keys(tt.keys...)
		if got := r.selectedSeq(); got != tt.want {
			t.Errorf("%s: selected row %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestLiveHoldsSelectedRow(t *testing.T) {
	r := newLiveRig(t, 0)
	r.feed(20)
	r.keys("j", "j")
	if got := r.selectedSeq(); got != 18 {
		t.Fatalf("after j j: selected row %d, want 18", got)
	}
	top := r.topSeq()
	r.feed(5)
	if got := r.selectedSeq(); got != 18 {
		t.Errorf("new rows moved the selection to %d, want it held on 18", got)
	}
	if got := r.topSeq(); got != top {
		t.Errorf("new rows scrolled the screen: first row %d, want %d", got, top)
	}
	if out := r.view(); !strings.Contains(out, "holding the selected row") {
		t.Errorf("the status does not say the row is held:\n%s", out)
	}
	r.keys("g")
	r.feed(1)
	if got := r.selectedSeq(); got != 26 {
		t.Errorf("after g: selected row %d, want the newest, 26", got)
	}
	r.keys("k") // already at the top: still following
	r.feed(1)
	if got := r.selectedSeq(); got != 27 {
		t.Errorf("after k at the top: selected row %d, want the newest, 27", got)
	}
}

func TestLiveEmpty(t *testing.T) {
	r := newLiveRig(t, 0)
	tests := []struct {
		keys []string
		want string
	}{
		{nil, "Waiting for live events"},
		{[]string{"d"}, "No declines yet"},
		{[]string{"p"}, "No declines when you paused"},
		{[]string{"d"}, "Nothing had arrived when you paused"},
	}
	for _, tt := range tests {
		r.keys(tt.keys...)
		if out := r.view(); !strings.Contains(out, tt.want) {
			t.Errorf("after %v: want %q in\n%s", tt.keys, tt.want, out)
		}
		if _, ok := r.s.SelectedCard(); ok {
			t.Errorf("after %v: an empty view has a selected card", tt.keys)
		}
		if _, _, ok := r.s.Open(r.ctx); ok {
			t.Errorf("after %v: an empty view opens something", tt.keys)
		}
	}
}

// TestLiveCards: the card column and the selected card come from the
// backend; enter opens the card; card events keep it current.
func TestLiveCards(t *testing.T) {
	be, cards := liveSandbox(t)
	ctx := newLiveContext(be, 0)
	feedLive(ctx, liveTraffic(cards, 50, false))
	s := NewLive(ctx)
	s.View(ctx, 120, 36)
	if _, ok := s.SelectedCard(); ok {
		t.Fatal("a card is selected before it was looked up")
	}
	cmd := s.Init(ctx)
	if cmd == nil {
		t.Fatal("Init asks for no cards")
	}
	s.Update(ctx, cmd())
	if again := s.lookupCards(ctx); again != nil {
		t.Error("the cards are asked for again once known")
	}
	row, _ := s.selected()
	card, ok := s.SelectedCard()
	if !ok || card.ID != row.CardID || card.LastFour == "" {
		t.Fatalf("selected card %+v, %v; want the card of row %s", card, ok, row.CardID)
	}
	if out := ansi.Strip(s.View(ctx, 120, 36)); !strings.Contains(out, "•••• "+card.LastFour) {
		t.Errorf("the card's last four do not show:\n%s", out)
	}
	if strings.Contains(ansi.Strip(s.View(ctx, 120, 36)), "•••• …") {
		t.Error("a card on screen is still unknown")
	}

	sc, _, ok := s.Open(ctx)
	if d, isDetail := sc.(*CardDetail); !ok || !isDetail || d.id != card.ID {
		t.Errorf("enter opened %T %v, want the detail of card %s", sc, ok, card.ID)
	}

	frozen := api.Card{ID: card.ID, Status: api.CardFrozen, UpdatedAt: card.UpdatedAt.Add(time.Minute)}
	s.Update(ctx, EventsMsg{Updates: feedLive(ctx, []api.Event{{ID: "evt_frz", Type: api.EventCardFrozen, CreatedAt: liveNow(), Card: &frozen}})})
	s.Update(ctx, press("j")) // the card event is now the newest row; the transaction is the second
	if got, _ := s.SelectedCard(); got.Status != api.CardFrozen || got.LastFour != card.LastFour {
		t.Errorf("after card.frozen the selected card is %s •••• %s, want frozen •••• %s", got.Status, got.LastFour, card.LastFour)
	}
	unfrozen := card
	unfrozen.Status, unfrozen.UpdatedAt = api.CardActive, frozen.UpdatedAt.Add(time.Minute)
	s.Update(ctx, CardMsg{Card: unfrozen})
	if got, _ := s.SelectedCard(); got.Status != api.CardActive {
		t.Errorf("after an unfreeze the selected card is %s, want active", got.Status)
	}
}

// TestLiveViewCostIsTheWindow: drawing reads the rows on screen only,
// however many are retained (the benchmark measures it; this checks the
// window it reads).
func TestLiveViewCostIsTheWindow(t *testing.T) {
	ctx := newLiveContext(nil, 5000)
	s := NewLive(ctx)
	feedLive(ctx, liveTraffic([]api.Card{{ID: "card_1", Currency: "GBP"}}, 5000, false))
	out := s.View(ctx, 120, 36)
	if got, want := len(s.window), 36-2; got != want {
		t.Errorf("drew %d rows, want %d", got, want)
	}
	if lines := strings.Count(out, "\n") + 1; lines != 36 {
		t.Errorf("the view is %d lines, want 36", lines)
	}
	for i, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w != 120 {
			t.Errorf("line %d is %d cells wide, want 120", i, w)
		}
	}
	if s.ring.Len() != 5000 || monitor.Window(s.ring.All(), 0, 3)[0].Seq != 5000 {
		t.Error("the ring does not hold what was fed")
	}
}
