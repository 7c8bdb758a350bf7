package faults_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vydapay"
)

// action is a card action and the state it leaves.
type action struct {
	verb  string
	event api.EventType
	want  api.CardStatus
	call  func(ctx context.Context, c api.Client, id string) (api.Card, error)
}

func actions(provider string) []action {
	terminate := "/terminate"
	if provider == vydapay.Provider {
		terminate = "/cancel"
	}
	return []action{
		{"/freeze", api.EventCardFrozen, api.CardFrozen, func(ctx context.Context, c api.Client, id string) (api.Card, error) {
			return c.FreezeCard(ctx, id)
		}},
		{"/unfreeze", api.EventCardUnfrozen, api.CardActive, func(ctx context.Context, c api.Client, id string) (api.Card, error) {
			return c.UnfreezeCard(ctx, id)
		}},
		{terminate, api.EventCardTerminated, api.CardTerminated, func(ctx context.Context, c api.Client, id string) (api.Card, error) {
			return c.TerminateCard(ctx, id, api.TerminateLost)
		}},
	}
}

// checkAppliedOnce: every attempt of one logical call carried the same
// Idempotency-Key, the sandbox acted on exactly one and replayed its
// answer to the others, and the call made at most maxAttempts attempts.
// With inFlight, an attempt may also have met the first still being
// processed (409 idempotency_key_in_use, which the client retries): a
// client that gave up on an attempt can retry before the sandbox is done.
func checkAppliedOnce(t *testing.T, recs []faults.Record, maxAttempts int, inFlight bool) {
	t.Helper()
	if len(recs) == 0 || len(recs) > maxAttempts {
		t.Fatalf("%d attempts, want 1 to %d", len(recs), maxAttempts)
	}
	acted := 0
	for i, r := range recs {
		if r.IdempotencyKey == "" || r.IdempotencyKey != recs[0].IdempotencyKey {
			t.Errorf("attempt %d carried Idempotency-Key %q, the first %q", i+1, r.IdempotencyKey, recs[0].IdempotencyKey)
		}
		switch {
		case r.Upstream >= 200 && r.Upstream < 300 && !r.Replayed:
			acted++
		case r.Upstream >= 200 && r.Upstream < 300 && r.Replayed:
		case r.Upstream == http.StatusConflict && inFlight:
		default:
			t.Errorf("attempt %d: the sandbox answered %d", i+1, r.Upstream)
		}
	}
	if acted != 1 {
		t.Errorf("the sandbox acted on %d of %d attempts, want exactly 1: %+v", acted, len(recs), recs)
	}
}

// TestFaultsActionsAreNeverAppliedTwice: freeze, unfreeze and terminate,
// for both providers, through a front that lets the sandbox act and then
// loses its answer — the connection reset, a 502, or no answer before the
// client gives up — on the first two attempts. The retry carries the same
// Idempotency-Key (Vydapay's reference documents the header as VaultsPay's
// does), the sandbox replays instead of acting again, the call succeeds,
// and the sandbox's webhooks report one state change per action.
func TestFaultsActionsAreNeverAppliedTwice(t *testing.T) {
	r := newRig(t)
	kinds := []struct {
		name    string
		rule    faults.Rule
		timeout time.Duration // per attempt; the client may retry while the sandbox works
		// verbs limits the kind to some actions (nil: all three), to keep
		// the waits of the timeout case short.
		verbs []string
	}{
		{"reset after acting", faults.Rule{Kind: faults.Reset, After: true}, 0, nil},
		{"502 after acting", faults.Rule{Kind: faults.ServerError, Status: http.StatusBadGateway, After: true}, 0, nil},
		{"no answer after acting", faults.Rule{Kind: faults.Timeout, After: true}, 250 * time.Millisecond, []string{"/freeze"}},
	}
	for _, provider := range providers() {
		for _, k := range kinds {
			t.Run(provider+"/"+k.name, func(t *testing.T) {
				var rules []faults.Rule
				var acts []action
				for _, a := range actions(provider) {
					if k.verbs != nil && !slices.Contains(k.verbs, a.verb) {
						continue
					}
					rule := k.rule
					rule.Method, rule.Path, rule.First = http.MethodPost, "/cards/*"+a.verb, 2
					rules, acts = append(rules, rule), append(acts, a)
				}
				f, base := r.front(t, rules...)
				tuning := testTuning()
				if k.timeout > 0 {
					tuning.AttemptTimeout = k.timeout
				}
				c := r.client(t, provider, base, tuning)
				warm(t, c)
				card := r.card(t, provider)

				var want []api.EventType
				for _, a := range acts {
					got, err := a.call(context.Background(), c, card.ID)
					if err != nil || got.Status != a.want {
						t.Fatalf("%s: %v, card %s; want it %s", a.verb, err, got.Status, a.want)
					}
					checkAppliedOnce(t, attemptsAt(f.Records(), http.MethodPost, "/cards/"+card.ID+a.verb), tuning.MaxAttempts, k.timeout > 0)
					want = append(want, a.event)
				}
				last := acts[len(acts)-1].want
				if got, err := r.direct[provider].GetCard(context.Background(), card.ID); err != nil || got.Status != last {
					t.Fatalf("the sandbox holds the card %s (%v), want %s", got.Status, err, last)
				}
				slices.Sort(want)
				if got := r.witness[provider].await(t, card.ID, len(want)); !slices.Equal(got, want) {
					t.Fatalf("the sandbox reported %v, want %v once each", got, want)
				}
			})
		}
	}
}

// TestFaultsLostAnswersStillActOnce: when every attempt's answer is lost
// after the sandbox acted, the call fails — it cannot know — yet the card
// changed once; a fresh call (a new key) meets the card's state, not a
// second change.
func TestFaultsLostAnswersStillActOnce(t *testing.T) {
	r := newRig(t)
	for _, provider := range providers() {
		t.Run(provider, func(t *testing.T) {
			f, base := r.front(t, faults.Rule{Kind: faults.Reset, After: true, Method: http.MethodPost, Path: "/cards/*/freeze"})
			tuning := testTuning()
			c := r.client(t, provider, base, tuning)
			warm(t, c)
			card := r.card(t, provider)

			_, err := c.FreezeCard(context.Background(), card.ID)
			var none *api.NoAnswerError
			if !errors.As(err, &none) || !none.Broken || none.Attempts != tuning.MaxAttempts {
				t.Fatalf("FreezeCard = %v; want a broken connection after %d attempts", err, tuning.MaxAttempts)
			}
			recs := attemptsAt(f.Records(), http.MethodPost, "/cards/"+card.ID+"/freeze")
			if len(recs) != tuning.MaxAttempts {
				t.Fatalf("%d attempts, want %d", len(recs), tuning.MaxAttempts)
			}
			checkAppliedOnce(t, recs, tuning.MaxAttempts, false)
			if _, err := r.direct[provider].FreezeCard(context.Background(), card.ID); !errors.Is(err, api.ErrConflict) {
				t.Fatalf("freezing again with a new key: %v, want the card's state conflict", err)
			}
			if got := r.witness[provider].await(t, card.ID, 1); !slices.Equal(got, []api.EventType{api.EventCardFrozen}) {
				t.Fatalf("the sandbox reported %v, want one card.frozen", got)
			}
		})
	}
}
