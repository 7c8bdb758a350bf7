package vydapay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vydapay"
)

// receiver verifies and parses each webhook the sandbox delivers, the way
// the relay does, and passes the events on.
func receiver(t *testing.T, v *vydapay.Verifier) (string, <-chan api.Event) {
	t.Helper()
	events := make(chan api.Event, 1024)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		if err := v.Verify(r.Header, body, time.Now()); err != nil {
			t.Errorf("webhook does not verify: %v", err)
			http.Error(w, "signature", http.StatusUnauthorized)
			return
		}
		ev, err := v.Parse(body)
		if err != nil {
			t.Errorf("webhook does not parse: %v", err)
			http.Error(w, "payload", http.StatusBadRequest)
			return
		}
		select {
		case events <- ev:
		default:
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, events
}

// await returns the first event that match accepts, failing the test if
// none comes before ctx ends.
func await(ctx context.Context, t *testing.T, events <-chan api.Event, what string, match func(api.Event) bool) api.Event {
	t.Helper()
	for {
		select {
		case ev := <-events:
			if match(ev) {
				return ev
			}
		case <-ctx.Done():
			t.Fatalf("no %s webhook arrived", what)
			return api.Event{}
		}
	}
}

// The sandbox's signed webhooks verify and parse into the events the
// actions caused.
func TestSandboxWebhooks(t *testing.T) {
	secret := vydapay.NewSecret()
	v, err := vydapay.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	url, events := receiver(t, v)
	srv, base := newSandbox(t, sandbox.Config{VydapayWebhookSecret: secret, VydapayWebhookURLs: []string{url},
		DeliveryBackoff: time.Millisecond})
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	c := newClient(t, vydapay.Config{BaseURL: base, Key: srv.Config().VydapayKey})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	card := firstCard(t, c, api.CardActive)
	if _, err := c.FreezeCard(ctx, card.ID); err != nil {
		t.Fatal(err)
	}
	ev := await(ctx, t, events, "card.frozen", func(ev api.Event) bool {
		return ev.Type == api.EventCardFrozen && ev.CardID() == card.ID
	})
	frozen := ev.Card
	if ev.ProviderType != vydapay.EventCardFrozen || ev.Card.Status != api.CardFrozen || ev.UserID() != card.UserID || len(ev.Raw) == 0 {
		t.Errorf("card.frozen event %+v", ev)
	}

	res, err := srv.Authorize(vydapay.Provider, sandbox.AuthRequest{CardID: card.ID, Amount: 500, Merchant: sandbox.Merchants()[0]})
	if err != nil {
		t.Fatal(err)
	}
	ev = await(ctx, t, events, "transaction.declined", func(ev api.Event) bool {
		return ev.Type == api.EventTxDeclined && ev.Transaction.ID == res.TransactionID
	})
	// Vydapay names no reason; the frozen card the webhook before told of
	// gives one, labelled inferred.
	if d := ev.Transaction.Decline; d == nil || *d != (api.Decline{Reason: api.DeclineNotGiven}) || ev.CardID() != card.ID {
		t.Errorf("decline event %+v %+v", ev.Transaction, d)
	}
	if d, _ := api.ExplainDecline(*ev.Transaction, api.DeclineFacts{Card: frozen}); d.Reason != api.DeclineCardFrozen || !d.Inferred {
		t.Errorf("decline on the frozen card explained as %+v", d)
	}

	if _, err := c.TerminateCard(ctx, card.ID, api.TerminateStolen); err != nil {
		t.Fatal(err)
	}
	ev = await(ctx, t, events, "card.cancelled", func(ev api.Event) bool {
		return ev.Type == api.EventCardTerminated && ev.CardID() == card.ID
	})
	if ev.Card.Status != api.CardTerminated {
		t.Errorf("card.cancelled event %+v", ev.Card)
	}
}
