package backend

import (
	"context"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
)

// waitUpdates reads f until it has n updates.
func waitUpdates(t *testing.T, f *Feed, n int) []Update {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []Update
	for len(got) < n {
		ups, err := f.Wait(ctx)
		if err != nil {
			t.Fatalf("waiting for %d updates (have %d): %v", n, len(got), err)
		}
		got = append(got, ups...)
	}
	return got
}

// Events from a relay store that replaced the one followed (its sequence
// starts again at 1, under another epoch) are applied, not dropped as
// repeats of the old store's; within a store a repeat is still dropped;
// the health says when the store changed. A relay that names no store
// (before epochs) is followed as before.
func TestEventsFromANewRelayStoreApply(t *testing.T) {
	le := newLiveEnv(t, vaultspay.Provider)
	ctx := context.Background()
	card := le.card(t, api.CardActive)
	if _, err := le.b.GetCard(ctx, card.ID); err != nil {
		t.Fatal(err)
	}
	patch := func(epoch string, seq uint64, typ api.EventType) live.Record {
		r := rec(t, seq, api.Event{ID: "evt_" + epoch + string(typ), Provider: le.provider, Type: typ, Card: &api.Card{ID: card.ID}})
		r.Epoch = epoch
		return r
	}
	le.relay.send(t, patch("old", 1, api.EventCardFrozen), patch("old", 2, api.EventCardUnfrozen), patch("old", 3, api.EventCardFrozen))
	waitUpdates(t, le.feed, 3)
	if h := le.b.Health(); !h.RelayStoreChanged.IsZero() {
		t.Fatalf("store changed at %v before it did", h.RelayStoreChanged)
	}
	le.relay.send(t, patch("new", 1, api.EventCardUnfrozen), patch("new", 1, api.EventCardFrozen))
	le.relay.send(t, patch("", 2, api.EventCardFrozen)) // named no store: the one followed
	got := waitUpdates(t, le.feed, 2)
	if len(got) != 2 || got[0].Seq != 1 || got[1].Seq != 2 || got[0].Event.Type != api.EventCardUnfrozen {
		t.Fatalf("from the new store: %+v", got)
	}
	var c api.Card
	le.noIO(t, "GetCard", func() (err error) { c, err = le.b.GetCard(ctx, card.ID); return err })
	if c.Status != api.CardFrozen {
		t.Errorf("card is %s, want frozen by the new store's seq 2", c.Status)
	}
	if h := le.b.Health(); h.RelayStoreChanged.IsZero() || h.EventsSeen != 5 {
		t.Errorf("health: store changed at %v, events seen %d; want a time and 5", h.RelayStoreChanged, h.EventsSeen)
	}
}
