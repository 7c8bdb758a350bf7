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

// TestDeclinesGoldens renders the Declines view at 80×24 and 120×40 over an
// hour of deterministic traffic whose last five minutes spike, on a fixed
// clock, with the top cards' last four looked up from the sandbox.
func TestDeclinesGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			be, cards := liveSandbox(t)
			ctx := newLiveContext(be, 0)
			feedLive(ctx, liveTraffic(cards, 900, true))
			s := startHost(t, ctx, NewDeclines(ctx), size[0], size[1])
			s.await("the top cards", func(h *screenHost) bool {
				d := h.screen.(*DeclinesScreen)
				for _, c := range h.ctx.Stats.Top(liveNow(), topRows).Cards {
					if _, ok := d.cards.card(c.Key); !ok {
						return false
					}
				}
				return true
			})
			out := s.screen()
			if !strings.Contains(out, "▲ declines") {
				t.Errorf("the spike alert does not show:\n%s", out)
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

func TestDeclinesQuiet(t *testing.T) {
	tests := []struct {
		name   string
		events int
		spike  bool
		want   []string
		absent []string
	}{
		{"no traffic", 0, false, []string{"No authorisations in the last hour yet.", "none in the last hour", "0 attempts · 0 declines (0%)"}, []string{"▲"}},
		{"steady traffic", 600, false, []string{"● no spike · declines", "vs", "Top reasons"}, []string{"▲"}},
		{"a spike", 600, true, []string{"▲ declines", "in the last 5 min vs"}, []string{"no spike"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newLiveContext(nil, 0)
			cards := []api.Card{{ID: "card_a", Currency: "GBP"}, {ID: "card_b", Currency: "AED"}}
			if tt.events > 0 {
				feedLive(ctx, liveTraffic(cards, tt.events, tt.spike))
			}
			d := NewDeclines(ctx)
			out := ansi.Strip(d.View(ctx, 100, 30))
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("want %q in\n%s", w, out)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out, a) {
					t.Errorf("do not want %q in\n%s", a, out)
				}
			}
		})
	}
}

// TestDeclinesFits: every size from the smallest supported up draws exactly
// its cells, nothing wrapping or overflowing.
func TestDeclinesFits(t *testing.T) {
	ctx := newLiveContext(nil, 0)
	feedLive(ctx, liveTraffic([]api.Card{{ID: "card_a", Currency: "GBP"}}, 300, true))
	d := NewDeclines(ctx)
	for _, size := range [][2]int{{80, 20}, {99, 25}, {100, 25}, {120, 36}, {200, 60}, {30, 8}} {
		out := d.View(ctx, size[0], size[1])
		lines := strings.Split(out, "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Errorf("%v: line %d is %d cells wide", size, i, w)
			}
		}
	}
}

func TestSpreadColumns(t *testing.T) {
	buckets := make([]monitor.Bucket, monitor.Minutes)
	for i := range buckets {
		buckets[i] = monitor.Bucket{Attempts: 10, Declines: i % 3}
	}
	tests := []struct {
		width, hot int
		wantCols   int
		wantHot    int // columns drawn hot
		attempts   int // attempts over all columns, when each minute is drawn once
	}{
		{60, 0, 60, 0, 600},
		{60, 5, 60, 5, 600},
		{30, 0, 30, 0, 600}, // two minutes a column
		{30, 5, 30, 3, 600}, // the last three columns hold the last five minutes
		{120, 5, 120, 10, 0},
		{73, 5, 73, 0, 0},
	}
	for _, tt := range tests {
		cols := spreadColumns(buckets, tt.width, tt.hot)
		if len(cols) != tt.wantCols {
			t.Errorf("width %d: %d columns", tt.width, len(cols))
		}
		hot, attempts := 0, 0
		for _, c := range cols {
			attempts += c.attempts
			if c.hot {
				hot++
			}
		}
		if tt.wantHot > 0 && hot != tt.wantHot {
			t.Errorf("width %d, hot %d: %d hot columns, want %d", tt.width, tt.hot, hot, tt.wantHot)
		}
		if tt.hot == 0 && hot != 0 {
			t.Errorf("width %d: %d hot columns with no spike", tt.width, hot)
		}
		if tt.attempts > 0 && attempts != tt.attempts {
			t.Errorf("width %d: columns hold %d attempts, want %d", tt.width, attempts, tt.attempts)
		}
		if !cols[len(cols)-1].hot && tt.hot > 0 {
			t.Errorf("width %d: the newest column is not hot", tt.width)
		}
	}
}

func TestChartFigures(t *testing.T) {
	scales := []struct {
		peak, want float64
	}{{0, 0.05}, {0.05, 0.05}, {0.051, 0.1}, {0.19, 0.2}, {0.24, 0.25}, {0.3, 0.5}, {0.9, 1}, {1, 1}}
	for _, tt := range scales {
		if got := chartScale(tt.peak); got != tt.want {
			t.Errorf("chartScale(%v) = %v, want %v", tt.peak, got, tt.want)
		}
	}
	texts := []struct {
		got, want string
	}{
		{axisText(0.25), "25%"}, {axisText(0.125), "12.5%"}, {axisText(0.025), "2.5%"}, {axisText(1), "100%"},
		{percentText(0.314), "31%"}, {percentText(0.065), "6.5%"}, {percentText(0), "0%"}, {percentText(0.09), "9%"},
		{eighth(0), " "}, {eighth(1), "▁"}, {eighth(4), "▄"}, {eighth(8), "█"},
		{timeAxis(60)[chartAxis : chartAxis+4], "-60m"},
		{strings.TrimSpace(timeAxis(60))[len(strings.TrimSpace(timeAxis(60)))-3:], "now"},
	}
	for i, tt := range texts {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
	for _, size := range [][2]int{{80, 20}, {120, 36}} {
		lay := declinesLayout(size[0], size[1])
		if lay.chartH%2 != 0 || lay.chartH < 2 || lay.topN < 3 {
			t.Errorf("%v: layout %+v", size, lay)
		}
		if used := 1 + 3 + lay.chartH + 3 + lay.topN; used > size[1] {
			t.Errorf("%v: layout %+v needs %d lines", size, lay, used)
		}
	}
}

// TestDeclinesTopCards: the top cards show masked once looked up, and
// their lookups are not repeated.
func TestDeclinesTopCards(t *testing.T) {
	be, cards := liveSandbox(t)
	ctx := newLiveContext(be, 0)
	feedLive(ctx, liveTraffic(cards, 300, true))
	d := NewDeclines(ctx)
	cmd := d.Init(ctx)
	if cmd == nil {
		t.Fatal("Init asks for no cards")
	}
	d.Update(ctx, cmd())
	if again, _ := d.Update(ctx, TickMsg{At: liveNow().Add(time.Second)}); again == nil {
		t.Fatal("Update returned no screen")
	}
	if cmd := d.lookupCards(ctx); cmd != nil {
		t.Error("known cards are asked for again")
	}
	out := ansi.Strip(d.View(ctx, 120, 36))
	top := ctx.Stats.Top(liveNow(), 1).Cards[0]
	c, _ := d.cards.card(top.Key)
	if !strings.Contains(out, "•••• "+c.LastFour) {
		t.Errorf("the top card •••• %s does not show:\n%s", c.LastFour, out)
	}
	if strings.Contains(out, "•••• …") {
		t.Errorf("a top card is still unknown:\n%s", out)
	}
}
