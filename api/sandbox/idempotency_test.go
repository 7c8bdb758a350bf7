package sandbox

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

func countEvents(s *Server, provider, typ string) int {
	n := 0
	for _, e := range s.events(provider) {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func TestIdempotentReplay(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 60})
	vpc, vyc := clients(t, s)
	vpCard := testCard(t, s, vp, nil)
	vyCard := testCard(t, s, vy, nil)
	holder := s.vy.users.order[0].id

	t.Run("vaultspay freeze", func(t *testing.T) {
		first := vpc.do("POST", "/cards/"+vpCard.id+"/freeze", nil, "Idempotency-Key", "freeze-1")
		again := vpc.do("POST", "/cards/"+vpCard.id+"/freeze", nil, "Idempotency-Key", "freeze-1")
		if first.status != 200 || again.status != 200 || !bytes.Equal(first.body, again.body) {
			t.Fatalf("replay: %d %s / %d %s", first.status, first.body, again.status, again.body)
		}
		if first.header.Get("Idempotent-Replayed") != "" || again.header.Get("Idempotent-Replayed") != "true" {
			t.Error("Idempotent-Replayed header")
		}
		if n := countEvents(s, vp, vaultspay.EventCardFrozen); n != 1 {
			t.Errorf("%d card.frozen events, want 1", n)
		}
		// Without the key, the second freeze is a real (refused) one.
		if r := vpc.do("POST", "/cards/"+vpCard.id+"/freeze", nil); r.status != 409 {
			t.Errorf("freeze again: %d", r.status)
		}
		// Same key, another request.
		r := vpc.do("POST", "/cards/"+vpCard.id+"/unfreeze", nil, "Idempotency-Key", "freeze-1")
		if e := r.vpErr(t); r.status != 422 || e.Type != vaultspay.ErrTypeIdempotency || e.Code != codeIdemReused {
			t.Errorf("reused key: %d %+v", r.status, e)
		}
		// Errors are replayed too (4xx is a result).
		a := vpc.do("POST", "/cards/"+vpCard.id+"/freeze", nil, "Idempotency-Key", "freeze-2")
		b := vpc.do("POST", "/cards/"+vpCard.id+"/freeze", nil, "Idempotency-Key", "freeze-2")
		if a.status != 409 || b.status != 409 || !bytes.Equal(a.body, b.body) || b.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replayed error: %d / %d", a.status, b.status)
		}
	})

	t.Run("vydapay create card", func(t *testing.T) {
		body := `{"type":"virtual","currency":"EUR","cardholder_id":"` + holder + `"}`
		before := s.vy.cards.len()
		first := vyc.do("POST", "/cards", body, "Idempotency-Key", "create-1")
		again := vyc.do("POST", "/cards", body, "Idempotency-Key", "create-1")
		if first.status != 201 || !bytes.Equal(first.body, again.body) {
			t.Fatalf("replay: %d / %d", first.status, again.status)
		}
		if n := s.vy.cards.len() - before; n != 1 {
			t.Errorf("%d cards created, want 1", n)
		}
		other := vyc.do("POST", "/cards", `{"type":"virtual","currency":"GBP","cardholder_id":"`+holder+`"}`, "Idempotency-Key", "create-1")
		if e := other.vyErr(t); other.status != 422 || e.Type != vydapay.ErrTypeInvalidRequest || e.Code != codeIdemReused {
			t.Errorf("reused key: %d %+v", other.status, e)
		}
		// Keys are per API key: another key may use the same string.
		if r := vyc.do("POST", "/cards/"+vyCard.id+"/freeze", nil, "Idempotency-Key", "create-1"); r.status != 422 {
			t.Errorf("same key, other path: %d", r.status)
		}
	})

	t.Run("reveal is never stored", func(t *testing.T) {
		a := vpc.do("POST", "/cards/"+vpCard.id+"/reveal", `{"reason":"caller verified"}`, "Idempotency-Key", "reveal-1")
		b := vpc.do("POST", "/cards/"+vpCard.id+"/reveal", `{"reason":"caller verified"}`, "Idempotency-Key", "reveal-1")
		if a.status != 200 || b.status != 200 || b.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("reveal: %d / %d replayed=%q", a.status, b.status, b.header.Get("Idempotent-Replayed"))
		}
		s.idem.mu.Lock()
		defer s.idem.mu.Unlock()
		for _, e := range s.idem.entries {
			if bytes.Contains(e.body, []byte(vpCard.number)) {
				t.Fatal("a card number sits in the idempotency store")
			}
		}
	})
}

// TestIdempotencyInFlight holds a request inside its handler and sends
// the same key again.
func TestIdempotencyInFlight(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 61})
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.provider == vp && len(rt.segments) == 3 && rt.segments[2] == "freeze" {
			ep := rt.methods[http.MethodPost]
			orig := ep.h
			ep.h = func(c *call) (int, any, *apiError) {
				once.Do(func() {
					close(entered)
					<-release
				})
				return orig(c)
			}
			rt.methods[http.MethodPost] = ep
			rt.unlocked = true // hold no lock while parked
		}
	}
	vpc, _ := clients(t, s)
	cd := testCard(t, s, vp, nil)
	done := make(chan reply)
	go func() {
		done <- client{t: t, base: vpc.base, key: vpc.key}.do("POST", "/cards/"+cd.id+"/freeze", nil, "Idempotency-Key", "slow")
	}()
	<-entered
	r := vpc.do("POST", "/cards/"+cd.id+"/freeze", nil, "Idempotency-Key", "slow")
	close(release)
	if e := r.vpErr(t); r.status != 409 || e.Code != codeIdemInUse {
		t.Errorf("concurrent: %d %+v", r.status, e)
	}
	if first := <-done; first.status != 200 {
		t.Errorf("first: %d %s", first.status, first.body)
	}
	if r := vpc.do("POST", "/cards/"+cd.id+"/freeze", nil, "Idempotency-Key", "slow"); r.status != 200 || r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("after: %d", r.status)
	}
}

func TestIdempotencyStoreSheds(t *testing.T) {
	t.Parallel()
	st := newIdemStore()
	now := fixedNow()
	fp := fingerprint("POST", "/x", nil)
	for i := range idemMaxEntries {
		slot := idemSlot("k", strconv.Itoa(i))
		st.begin(slot, fp, now.Add(time.Duration(i)*time.Millisecond))
		st.finish(slot, fp, 200, []byte("{}"), true, now.Add(time.Duration(i)*time.Millisecond))
	}
	st.begin(idemSlot("k", "new"), fp, now.Add(time.Hour))
	if n := len(st.entries); n > idemMaxEntries/2+1 {
		t.Fatalf("%d entries after shedding", n)
	}
	// The newest entries survive.
	if outcome, _, _ := st.begin(idemSlot("k", strconv.Itoa(idemMaxEntries-1)), fp, now.Add(time.Hour)); outcome != idemReplay {
		t.Errorf("newest entry lost: %v", outcome)
	}
}
