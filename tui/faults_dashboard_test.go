package tui

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vydapay"
)

// TestFaultsDashboardStaysResponsive: for both providers, while the first
// page of cards is held at the front, or the client waits to retry after a
// 429, a 5xx or a reset, the dashboard still handles keys: help opens,
// another view comes up, the cursor moves — each seen on screen while the
// cards call is still under way.
func TestFaultsDashboardStaysResponsive(t *testing.T) {
	fe := newFaultEnv(t)
	listCards := func(r faults.Rule) faults.Rule {
		r.Method, r.Path = http.MethodGet, "/cards"
		return r
	}
	tests := []struct {
		name string
		rule faults.Rule
		tune func(*api.Tuning)
		// answered: the faulted attempt is answered and the client waits
		// to retry; otherwise the front holds it.
		answered bool
	}{
		{"latency", faults.Rule{Kind: faults.Latency, Delay: time.Hour}, nil, false},
		{"timeout", faults.Rule{Kind: faults.Timeout, Delay: time.Hour}, func(tu *api.Tuning) { tu.AttemptTimeout = time.Hour }, false},
		{"429", faults.Rule{Kind: faults.RateLimit, Delay: 30 * time.Minute}, func(tu *api.Tuning) { tu.MaxRetryWait = time.Hour }, true},
		{"5xx", faults.Rule{Kind: faults.ServerError}, func(tu *api.Tuning) { tu.BaseBackoff, tu.MaxBackoff = time.Hour, time.Hour }, true},
		{"reset", faults.Rule{Kind: faults.Reset}, func(tu *api.Tuning) { tu.BaseBackoff, tu.MaxBackoff = time.Hour, time.Hour }, true},
	}
	for _, provider := range faultProviders() {
		for _, tt := range tests {
			t.Run(provider+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				tuning := faultTuning()
				if tt.tune != nil {
					tt.tune(&tuning)
				}
				s := fe.start(t, provider, tuning, listCards(tt.rule))
				s.key("2")
				s.waitFront("the cards call", func(rs []faults.Record) bool {
					calls := cardListCalls(rs)
					return len(calls) == 1 && (!tt.answered || calls[0].Done)
				})

				s.key("?")
				s.await("help, with the cards still loading", func(m *model) bool { return m.help && cardsLoading(m) })
				if out := s.screen(); !strings.Contains(out, "This screen: Cards") {
					t.Fatalf("help is not on screen:\n%s", out)
				}
				s.key("?")
				s.key("1")
				s.await("the Users view, with the cards still loading", func(m *model) bool {
					_, ok := topIs[*UsersScreen](m)
					return ok && !m.help && cardsLoading(m)
				})
				s.key("j")
				s.await("the cursor to move, with the cards still loading", func(m *model) bool {
					us, ok := topIs[*UsersScreen](m)
					return ok && us.list.table.Cursor() == 1 && cardsLoading(m)
				})
				if out := s.screen(); !strings.Contains(out, "Users") || strings.Contains(out, "This screen: Cards") {
					t.Fatalf("the Users view is not on screen:\n%s", out)
				}
				for _, r := range cardListCalls(s.front.Records()) {
					if r.Status == http.StatusOK {
						t.Fatalf("the cards call completed during the test: %+v", r)
					}
				}
			})
		}
	}
}

// TestFaultsFlashSaysWhatHappened: for both providers, freezing a card
// through a front that fails the freeze in each way leaves a footer that
// says, in words, what went wrong and how often it was retried — "not
// confirmed" where the card may have been frozen all the same — or, when
// the sandbox acted and only its first answers were lost, that the card is
// frozen. Every attempt carries the freeze's one Idempotency-Key, and the
// sandbox acts at most once.
func TestFaultsFlashSaysWhatHappened(t *testing.T) {
	fe := newFaultEnv(t)
	quick := func(tu *api.Tuning) { tu.AttemptTimeout = 100 * time.Millisecond }
	const request = ` \(request req_fault_[0-9]+\)` // the front's request id
	const done = ` \(request req_[A-Za-z0-9_]+\)`   // the request that did it
	const providerSaid = `[^;]*(; retry shortly)?`  // the rest of the provider's words
	tests := []struct {
		name string
		rule faults.Rule
		tune func(*api.Tuning)
		// want is the flash after "Card •••• NNNN ", %s standing for the
		// provider's name; tail is a pattern for what varies at its end.
		want, tail string
		// acted says the sandbox froze the card.
		acted bool
	}{
		{"429 storm", faults.Rule{Kind: faults.RateLimit, Delay: 5 * time.Millisecond}, nil,
			"not frozen: %s is rate limiting us: Too many requests", providerSaid + "; retried 3 times" + request, false},
		{"429 asking past the cap", faults.Rule{Kind: faults.RateLimit, Delay: time.Hour}, nil,
			"not frozen: %s is rate limiting us and asks us to wait 1h0m0s: Too many requests", providerSaid + "; not retried" + request, false},
		{"503 burst", faults.Rule{Kind: faults.ServerError, Status: http.StatusServiceUnavailable}, nil,
			"not confirmed frozen: %s had a server error (503 Service Unavailable): The service is temporarily unavailable", providerSaid + "; retried 3 times" + request, false},
		{"timeout", faults.Rule{Kind: faults.Timeout}, quick,
			"not confirmed frozen: %s did not answer within 100ms; retried 3 times", "", false},
		{"reset", faults.Rule{Kind: faults.Reset}, nil,
			"not confirmed frozen: The connection to %s broke before it answered; retried 3 times", "", false},
		{"truncated answer", faults.Rule{Kind: faults.Truncate}, nil,
			"not confirmed frozen: %s sent a reply carddesk could not read; truncated JSON (", `[0-9]+ bytes\)`, true},
		{"latency", faults.Rule{Kind: faults.Latency, Delay: 50 * time.Millisecond}, nil, "frozen", done, true},
		{"reset twice after acting", faults.Rule{Kind: faults.Reset, After: true, First: 2}, nil, "frozen", done, true},
		{"502 twice after acting", faults.Rule{Kind: faults.ServerError, Status: http.StatusBadGateway, After: true, First: 2}, nil, "frozen", done, true},
	}
	for _, provider := range faultProviders() {
		name := "VaultsPay"
		if provider == vydapay.Provider {
			name = "Vydapay"
		}
		for _, tt := range tests {
			t.Run(provider+"/"+tt.name, func(t *testing.T) {
				tuning := faultTuning()
				if tt.tune != nil {
					tt.tune(&tuning)
				}
				rule := tt.rule
				rule.Method, rule.Path = http.MethodPost, "/cards/*/freeze"
				s := fe.start(t, provider, tuning, rule)
				card := fe.card(t, provider)
				s.openCardByID(card)
				s.key("f")
				s.await("the confirm dialog", dialogIs[*confirmDialog])
				s.key("y")
				s.await("the outcome", func(m *model) bool { return m.dialog == nil && m.flashText() != "" })

				var flash string
				s.inspect(func(m *model) { flash = m.flashFull() })
				prefix := "Card " + masked(card.LastFour) + " " + strings.ReplaceAll(tt.want, "%s", name)
				if !regexp.MustCompile("^" + regexp.QuoteMeta(prefix) + tt.tail + "$").MatchString(flash) {
					t.Fatalf("flash %q\nwant     %q + /%s/", flash, prefix, tt.tail)
				}
				if out := s.screen(); !strings.Contains(out, "Card "+masked(card.LastFour)+" ") {
					t.Fatalf("the flash is not on screen:\n%s", out)
				}

				acted := 0
				posts := 0
				var key string
				for _, r := range s.front.Records() {
					if r.Method != http.MethodPost {
						continue
					}
					if posts++; posts == 1 {
						key = r.IdempotencyKey
					}
					if r.IdempotencyKey == "" || r.IdempotencyKey != key {
						t.Errorf("attempt %d carried Idempotency-Key %q, the first %q", posts, r.IdempotencyKey, key)
					}
					if r.Upstream == http.StatusOK && !r.Replayed {
						acted++
					}
				}
				got, err := fe.direct[provider].GetCard(context.Background(), card.ID)
				if err != nil {
					t.Fatal(err)
				}
				wantStatus, wantActed := api.CardActive, 0
				if tt.acted {
					wantStatus, wantActed = api.CardFrozen, 1
				}
				if posts == 0 || posts > tuning.MaxAttempts || acted != wantActed || got.Status != wantStatus {
					t.Fatalf("%d attempts; the sandbox acted %d times and holds the card %s; want 1 to %d attempts, %d and %s",
						posts, acted, got.Status, tuning.MaxAttempts, wantActed, wantStatus)
				}
			})
		}
	}
}

// TestFaultsHeaderShowsTheSlowAPI: with latency on the provider's check
// call, the header's API latency shows at least that much.
func TestFaultsHeaderShowsTheSlowAPI(t *testing.T) {
	fe := newFaultEnv(t)
	for _, provider := range faultProviders() {
		t.Run(provider, func(t *testing.T) {
			ping := "/ping"
			if provider == vydapay.Provider {
				ping = "/account/balance"
			}
			const delay = 300 * time.Millisecond
			s := fe.start(t, provider, faultTuning(), faults.Rule{Kind: faults.Latency, Delay: delay, Method: http.MethodGet, Path: ping})
			if h := s.be.CheckAPI(context.Background()); h.APILatency < delay {
				t.Fatalf("health %+v; want a latency of at least %v", h, delay)
			}
			s.tm.Send(tickMsg(time.Now()))
			s.await("the header's latency", func(m *model) bool { return m.health.APILatency >= delay })
			var want string
			s.inspect(func(m *model) { want = "api up " + latencyText(m.health.APILatency) })
			if out := s.screen(); !strings.Contains(out, want) {
				t.Fatalf("header does not say %q:\n%s", want, out)
			}
		})
	}
}
