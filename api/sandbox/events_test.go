package sandbox

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

func TestEventHooksInOrder(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 10})
	grocer := merchant(t, "mid_tesco")
	var mu sync.Mutex
	var got []Event
	s.addEventHook(func(e Event) {
		mu.Lock()
		got = append(got, e)
		mu.Unlock()
	})
	// A hook that causes another event must not deadlock, and its event
	// comes after the one that caused it.
	card := testCard(t, s, vp, nil)
	s.addEventHook(func(e Event) {
		if e.Provider == vp && e.Type == vaultspay.EventCardFrozen {
			if _, err := s.Authorize(vp, AuthRequest{CardID: card.id, Amount: 100, Merchant: grocer}); err != nil {
				t.Error(err)
			}
		}
	})
	vc := testCard(t, s, vp, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := []string{vp, vy}[i%2]
			cd := testCard(t, s, p, nil)
			for range 20 {
				if _, err := s.Authorize(p, AuthRequest{CardID: cd.id, Amount: 100, Merchant: grocer}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := s.freezeFromApp(vp, vc.id); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 8*20+2 {
		t.Fatalf("hooks saw %d events, want %d", len(got), 8*20+2)
	}
	// Per provider, hooks see the log's order.
	for _, p := range []string{vp, vy} {
		var seen []string
		for _, e := range got {
			if e.Provider == p {
				seen = append(seen, e.ID)
			}
		}
		var logged []string
		for _, e := range s.events(p) {
			logged = append(logged, e.ID)
		}
		if !equalStrings(seen, logged) {
			t.Errorf("%s: hook order differs from emission order", p)
		}
	}
	if last := got[len(got)-1]; last.Provider != vp || last.Type != vaultspay.EventTxAuthorized {
		t.Errorf("last event %s %s, want the one the hook caused", last.Provider, last.Type)
	}
	ids := map[string]bool{}
	for _, e := range got {
		if ids[e.ID] {
			t.Fatalf("duplicate event id %s", e.ID)
		}
		ids[e.ID] = true
		if found, ok := s.eventByID(e.Provider, e.ID); !ok || string(found.Payload) != string(e.Payload) {
			t.Errorf("eventByID(%s) = %v", e.ID, ok)
		}
	}
	if _, ok := s.eventByID(vy, got[0].ID); ok && got[0].Provider == vp {
		t.Error("eventByID found another provider's event")
	}
}

func TestEventPayloads(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 11})
	grocer := merchant(t, "mid_tesco")
	for _, p := range []string{vp, vy} {
		cd := testCard(t, s, p, nil)
		res, err := s.Authorize(p, AuthRequest{CardID: cd.id, Amount: 100, Merchant: grocer})
		if err != nil {
			t.Fatal(err)
		}
		evs := s.events(p)
		e := evs[len(evs)-1]
		if e.Provider != p || e.CreatedAt.IsZero() || len(e.ID) < 8 || e.ID[:4] != "evt_" {
			t.Errorf("event %+v", e)
		}
		if p == vp {
			var ev vaultspay.Event
			if err := json.Unmarshal(e.Payload, &ev); err != nil {
				t.Fatal(err)
			}
			var tx vaultspay.Transaction
			if err := json.Unmarshal(ev.Data, &tx); err != nil || tx.ID != res.TransactionID || ev.Type != vaultspay.EventTxAuthorized ||
				ev.APIVersion != vaultspay.APIVersion || ev.ID != e.ID {
				t.Errorf("VaultsPay event %+v / %+v", ev, tx)
			}
			if _, err := time.Parse(time.RFC3339, ev.Timestamp); err != nil {
				t.Error(err)
			}
			continue
		}
		var ev vydapay.Event
		if err := json.Unmarshal(e.Payload, &ev); err != nil {
			t.Fatal(err)
		}
		var tx vydapay.Transaction
		if err := json.Unmarshal(ev.Data.Object, &tx); err != nil || tx.ID != res.TransactionID || ev.Type != vydapay.EventTxCreated || ev.Object != "event" {
			t.Errorf("Vydapay event %+v / %+v", ev, tx)
		}
	}
}

func TestEventLogKeepsTheLast(t *testing.T) {
	t.Parallel()
	l := newEventLog()
	n := eventLogSize + 10
	for i := range n {
		l.add(Event{ID: fmt.Sprintf("evt_%d", i)})
	}
	if _, ok := l.get("evt_9"); ok {
		t.Error("kept an evicted event")
	}
	for _, i := range []int{10, n / 2, n - 1} {
		if e, ok := l.get(fmt.Sprintf("evt_%d", i)); !ok || e.ID != fmt.Sprintf("evt_%d", i) {
			t.Errorf("lost evt_%d", i)
		}
	}
	all := l.list()
	if len(all) != eventLogSize || all[0].ID != "evt_10" || all[len(all)-1].ID != fmt.Sprintf("evt_%d", n-1) {
		t.Errorf("list: %d events from %s", len(all), all[0].ID)
	}
}
