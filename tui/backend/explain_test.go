package backend

import (
	"context"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vydapay"
)

// A Vydapay decline names no reason: the backend infers one, once, from
// the card as the cache (or the directory of cards seen whole) holds it
// when the event arrives — kept current by the webhooks before it — and
// never asks the provider for it.
func TestDeclinesExplainedOnArrival(t *testing.T) {
	cases := []struct {
		name    string
		cached  bool // the card was read before the decline
		freeze  bool // a card.frozen webhook came before the decline
		decline *api.Decline
		want    api.DeclineReason // "": no inference
	}{
		{"frozen by the webhook before", true, true, &api.Decline{Reason: api.DeclineNotGiven}, api.DeclineCardFrozen},
		{"a card nobody read, seen whole in the webhook before", false, true, &api.Decline{Reason: api.DeclineNotGiven}, api.DeclineCardFrozen},
		{"a card nobody read or saw: not given, and no request", false, false, &api.Decline{Reason: api.DeclineNotGiven}, ""},
		{"an active card with nothing against it", true, false, &api.Decline{Reason: api.DeclineNotGiven}, ""},
		{"the provider's code is the reason", true, true, &api.Decline{Reason: api.DeclineSuspectedFraud, Code: "fraud"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			le := newLiveEnv(t, vydapay.Provider)
			ctx := context.Background()
			card := le.card(t, api.CardActive)
			card.Controls, card.Limit = api.SpendingControls{}, nil // inferences from them are the api's tests
			if tc.cached {
				if _, err := le.b.GetCard(ctx, card.ID); err != nil {
					t.Fatal(err)
				}
			}
			at := card.UpdatedAt.Add(time.Minute)
			if tc.freeze {
				frozen := card
				frozen.Status, frozen.UpdatedAt = api.CardFrozen, at
				le.event(t, api.Event{Type: api.EventCardFrozen, Card: &frozen, CreatedAt: at})
			}
			tx := api.Transaction{ID: "txn_declined", CardID: card.ID, UserID: card.UserID, Status: api.TxDeclined, Type: api.TxPurchase,
				Amount: api.Money{Amount: 500, Currency: card.Currency}, Decline: tc.decline, CreatedAt: at.Add(time.Second)}
			before := le.requests.Load()
			le.seq++
			le.relay.send(t, rec(t, le.seq, api.Event{ID: "evt_decline", Provider: le.provider, Type: api.EventTxDeclined,
				Transaction: &tx, CreatedAt: tx.CreatedAt}))
			ups := waitSeq(t, le.feed, le.seq)
			if n := le.requests.Load() - before; n != 0 {
				t.Errorf("explaining a decline made %d requests", n)
			}
			why := ups[len(ups)-1].Why
			switch {
			case tc.want == "" && why != nil:
				t.Errorf("inferred %+v, want no inference", why)
			case tc.want != "" && (why == nil || why.Reason != tc.want || !why.Inferred):
				t.Errorf("inferred %+v, want %s", why, tc.want)
			}
		})
	}
}
