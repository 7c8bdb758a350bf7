package faults_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox/faults"
)

// op is one logical call, a read or a write, on a card of its own.
type op struct {
	name, method, pattern, suffix string
	call                          func(ctx context.Context, c api.Client, id string) error
}

func ops() []op {
	return []op{
		{"read", http.MethodGet, "/cards/*", "", func(ctx context.Context, c api.Client, id string) error {
			_, err := c.GetCard(ctx, id)
			return err
		}},
		{"write", http.MethodPost, "/cards/*/freeze", "/freeze", func(ctx context.Context, c api.Client, id string) error {
			_, err := c.FreezeCard(ctx, id)
			return err
		}},
	}
}

// TestFaultsRetriesStayWithinBounds: under each fault, for both providers,
// a read and a write make at most the transport's MaxAttempts attempts as
// the provider counts them (even from a pool of idle connections, where
// net/http would replay a request by itself), honour Retry-After, give a
// Retry-After above the cap back at once, keep one Idempotency-Key per
// write, and fail with an error that says how.
func TestFaultsRetriesStayWithinBounds(t *testing.T) {
	r := newRig(t)
	const maxAttempts = 4
	rateLimited := func(attempts int, retryAfter time.Duration) func(error) string {
		return func(err error) string {
			if e, ok := api.AsError(err); !ok || !errors.Is(err, api.ErrRateLimited) || e.Attempts != attempts || e.RetryAfter != retryAfter {
				return "want a 429 after " + strconv.Itoa(attempts) + " attempts asking for " + retryAfter.String()
			}
			return ""
		}
	}
	tests := []struct {
		name     string
		rule     faults.Rule
		timeout  time.Duration // per attempt; 0 keeps testTuning's
		attempts int
		check    func(error) string // "" when err is as expected; nil: want success
	}{
		{"429 storm", faults.Rule{Kind: faults.RateLimit, Delay: 20 * time.Millisecond}, 0, maxAttempts, rateLimited(maxAttempts, 20*time.Millisecond)},
		{"429 twice, then served", faults.Rule{Kind: faults.RateLimit, Delay: 20 * time.Millisecond, First: 2}, 0, 3, nil},
		{"429 asking past the cap", faults.Rule{Kind: faults.RateLimit, Delay: time.Hour}, 0, 1, rateLimited(1, time.Hour)},
		{"5xx burst", faults.Rule{Kind: faults.ServerError}, 0, maxAttempts, func(err error) string {
			if e, ok := api.AsError(err); !ok || !errors.Is(err, api.ErrServer) || e.Attempts != maxAttempts {
				return "want a 5xx after 4 attempts"
			}
			return ""
		}},
		{"5xx three times, then served", faults.Rule{Kind: faults.ServerError, First: 3}, 0, maxAttempts, nil},
		{"reset storm", faults.Rule{Kind: faults.Reset}, 0, maxAttempts, func(err error) string {
			var e *api.NoAnswerError
			if !errors.As(err, &e) || !e.Broken || e.Attempts != maxAttempts {
				return "want a broken connection after 4 attempts"
			}
			return ""
		}},
		{"reset once, then served", faults.Rule{Kind: faults.Reset, First: 1}, 0, 2, nil},
		{"timeout storm", faults.Rule{Kind: faults.Timeout}, 100 * time.Millisecond, maxAttempts, func(err error) string {
			var e *api.NoAnswerError
			if !errors.As(err, &e) || e.Timeout != 100*time.Millisecond || e.Attempts != maxAttempts {
				return "want no answer within 100ms after 4 attempts"
			}
			return ""
		}},
		{"truncated answer", faults.Rule{Kind: faults.Truncate}, 0, 1, func(err error) string {
			var e *api.UnreadableError
			if !errors.As(err, &e) {
				return "want an unreadable answer, not retried"
			}
			return ""
		}},
		{"latency", faults.Rule{Kind: faults.Latency, Delay: 30 * time.Millisecond}, 0, 1, nil},
	}
	for _, provider := range providers() {
		for _, o := range ops() {
			for _, tt := range tests {
				t.Run(provider+"/"+o.name+"/"+tt.name, func(t *testing.T) {
					rule := tt.rule
					rule.Method, rule.Path = o.method, o.pattern
					f, base := r.front(t, rule)
					tuning := testTuning()
					if tt.timeout > 0 {
						tuning.AttemptTimeout = tt.timeout
					}
					c := r.client(t, provider, base, tuning)
					warm(t, c)
					card := r.card(t, provider)

					err := o.call(context.Background(), c, card.ID)
					switch {
					case tt.check == nil && err != nil:
						t.Fatalf("call failed: %v", err)
					case tt.check != nil && err == nil:
						t.Fatal("call succeeded; want it to fail")
					case tt.check != nil:
						if why := tt.check(err); why != "" {
							t.Fatalf("error %v: %s", err, why)
						}
					}

					recs := attemptsAt(f.Records(), o.method, "/cards/"+card.ID+o.suffix)
					if len(recs) != tt.attempts || len(recs) > maxAttempts {
						t.Fatalf("the provider saw %d attempts, want %d (at most %d)", len(recs), tt.attempts, maxAttempts)
					}
					for i, rec := range recs {
						if o.method == http.MethodGet && rec.IdempotencyKey != "" ||
							o.method != http.MethodGet && (rec.IdempotencyKey == "" || rec.IdempotencyKey != recs[0].IdempotencyKey) {
							t.Errorf("attempt %d carried Idempotency-Key %q (first: %q)", i+1, rec.IdempotencyKey, recs[0].IdempotencyKey)
						}
						// Retry-After honoured: a lower bound from the front's
						// own records, not a timing assertion.
						if i > 0 && recs[i-1].RetryAfter > 0 {
							if gap := rec.At.Sub(recs[i-1].Sent); gap < recs[i-1].RetryAfter {
								t.Errorf("attempt %d came %v after a 429 asking for %v", i+1, gap, recs[i-1].RetryAfter)
							}
						}
					}
				})
			}
		}
	}
}
