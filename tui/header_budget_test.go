package tui

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// startBudgetRoot runs the dashboard over bb's client at w×h, its
// backend beside it.
func startBudgetRoot(t *testing.T, bb *budgetBook, w, h int) *session {
	t.Helper()
	return startBudgetRootWith(t, backend.Config{Client: bb.client, Relay: chanFeed{ch: make(chan []live.Record)}, Now: liveNow}, w, h)
}

// startBudgetRootWith runs the dashboard over a backend of cfg at w×h.
func startBudgetRootWith(t *testing.T, cfg backend.Config, w, h int) *session {
	t.Helper()
	be := backend.New(cfg)
	runCtx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- be.Run(runCtx) }()
	m := New(Options{Backend: be, Actor: backend.Actor{Agent: "alice", Role: backend.RoleAgent}, Now: liveNow, Context: runCtx, Screens: LiveScreens}).(*model)
	return runSession(t, m, w, h, func() {
		cancel()
		if err := <-ran; err != nil {
			t.Errorf("backend: %v", err)
		}
	})
}

// lastReset is the X-RateLimit-Reset of the window the sandbox counted
// most recently in.
func (bb *budgetBook) lastReset(t *testing.T) time.Time {
	t.Helper()
	var last int64
	for w := range bb.counter.snapshot() {
		if n, err := strconv.ParseInt(w, 10, 64); err == nil && n > last {
			last = n
		}
	}
	if last == 0 {
		t.Fatal("the sandbox reported no rate-limit window")
	}
	return time.Unix(last, 0)
}

// The header shows what is left of the provider's window, out of its
// limit, and when the window resets; a narrow one keeps the count.
func TestHeaderShowsTheRateLimit(t *testing.T) {
	tests := []struct {
		width      int
		wantResets bool
	}{{120, true}, {80, false}}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.width), func(t *testing.T) {
			bb := newBudgetBook(t, vaultspay.Provider, 100)
			bb.count()
			s := startBudgetRoot(t, bb, tt.width, 24)
			left := regexp.MustCompile(`rl (\d+)/100`)
			var header string
			s.await("the Users list, and the requests left in the header", func(m *model) bool {
				header = strings.SplitN(ansi.Strip(m.render()), "\n", 2)[0]
				got := left.FindStringSubmatch(header)
				if !m.usersLoaded() || got == nil {
					return false
				}
				sent := 0
				for _, n := range bb.counter.snapshot() {
					sent += n.agents + n.lookups
				}
				n, _ := strconv.Atoi(got[1])
				return n == 100-sent
			})
			resets := "resets " + bb.lastReset(t).Format("15:04:05")
			if strings.Contains(header, resets) != tt.wantResets {
				t.Errorf("header %q at %d columns: %q shown %v, want %v", header, tt.width, resets, !tt.wantResets, tt.wantResets)
			}
		})
	}
}

// When the provider refuses with 429 (another process with the same key
// spent the window), the key waits until the time the provider gave:
// nothing more is sent, and an agent's reads wait, saying so in the list
// and the header.
func TestReadsWaitingForTheRateLimitSaySo(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			bb := newBudgetBook(t, provider, 100)
			other := bb.newClient(t, provider)
			for i := range 100 {
				if _, err := other.ListCards(context.Background(), api.CardFilter{Page: api.PageParams{Limit: 1}}); err != nil {
					t.Fatalf("the other process's request %d: %v", i+1, err)
				}
			}
			bb.count()
			s := startBudgetRoot(t, bb, 120, 30)
			s.await("the first request refused", func(m *model) bool {
				for _, n := range bb.counter.snapshot() {
					if n.agents429+n.lookups429 > 0 {
						return true
					}
				}
				return false
			})
			s.key("2")
			name := "VaultsPay"
			if provider == vydapay.Provider {
				name = "Vydapay"
			}
			wait := regexp.MustCompile(name + ` is rate limiting us: reads wait until (\d\d:\d\d:\d\d)`)
			var screen string
			s.await("the Cards list saying why it waits", func(m *model) bool {
				screen = ansi.Strip(m.render())
				header := strings.SplitN(screen, "\n", 2)[0]
				return wait.MatchString(screen) &&
					(strings.Contains(header, "api rate limited · resets") || strings.Contains(header, "rate limited: requests wait until"))
			})
			until, err := time.ParseInLocation("15:04:05", wait.FindStringSubmatch(screen)[1], time.Local)
			if err != nil {
				t.Fatal(err)
			}
			reset := bb.lastReset(t)
			shown := time.Date(reset.Year(), reset.Month(), reset.Day(), until.Hour(), until.Minute(), until.Second(), 0, time.Local)
			if d := shown.Sub(reset); d < -2*time.Second || d > 2*time.Second {
				t.Errorf("reads wait until %s; the sandbox's window resets at %s", shown.Format("15:04:05"), reset.Format("15:04:05"))
			}
			limited, sent := 0, 0
			for _, n := range bb.counter.snapshot() {
				limited += n.agents429 + n.lookups429
				sent += n.agents + n.lookups
			}
			// The Users list and the first API check may both go before the
			// first refusal comes back; nothing goes after it.
			if limited != sent || sent > 2 {
				t.Errorf("the sandbox got %d requests, %d refused; want those sent before the first refusal, all refused, and nothing after", sent, limited)
			}
		})
	}
}

// With a monitoring key, the header shows its budget too, once it has
// been used: the lookups of Live's cards spend it, not the agents' key.
func TestHeaderShowsTheMonitoringKey(t *testing.T) {
	bb := newBudgetBook(t, vaultspay.Provider, 100)
	page, err := bb.client.ListCards(context.Background(), api.CardFilter{Page: api.PageParams{Limit: 3}})
	if err != nil {
		t.Fatal(err)
	}
	monitor, err := vaultspay.New(vaultspay.Config{BaseURL: bb.base, Key: bb.srv.Config().VaultsPayReadOnlyKey})
	if err != nil {
		t.Fatal(err)
	}
	feed := chanFeed{ch: make(chan []live.Record, 1)}
	s := startBudgetRootWith(t, backend.Config{Client: bb.client, Monitor: monitor, Relay: feed, Now: liveNow}, 140, 30)
	s.key("3")
	rec, err := live.NewRecord(declineOf(page.Items[2], "m1", "MONITORED SHOP", api.DeclineInsufficient, liveNow()), liveNow())
	if err != nil {
		t.Fatal(err)
	}
	rec.Seq = 1
	feed.ch <- []live.Record{rec}
	var header string
	s.await("the row's card, and the monitoring key's budget in the header", func(m *model) bool {
		out := ansi.Strip(m.render())
		header = strings.SplitN(out, "\n", 2)[0]
		return strings.Contains(out, "•••• "+page.Items[2].LastFour) && regexp.MustCompile(`monitor \d+/100`).MatchString(header)
	})
	if !regexp.MustCompile(`rl \d+/100`).MatchString(header) {
		t.Errorf("header %q: the agents' key's budget is not shown", header)
	}
}
