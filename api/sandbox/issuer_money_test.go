package sandbox

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/carddesk/carddesk/api/vydapay"
)

// TestMoneyMovement follows approved authorisations through settlement,
// refund and reversal, checking balances and events.
func TestMoneyMovement(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 7})
	grocer := merchant(t, "mid_tesco")
	cd := testCard(t, s, vp, nil)
	acct, _ := s.vp.accounts.get(cd.accountID)
	balance := func() (int64, int64) {
		s.vp.mu.Lock()
		defer s.vp.mu.Unlock()
		return acct.available, acct.pending
	}
	auth := func() string {
		res, err := s.Authorize(vp, AuthRequest{CardID: cd.id, Amount: 2_000, Merchant: grocer})
		if err != nil || !res.Approved {
			t.Fatalf("%+v %v", res, err)
		}
		return res.TransactionID
	}
	a1 := auth()
	if av, pe := balance(); av != 998_000 || pe != 2_000 {
		t.Fatalf("after authorisation: %d/%d", av, pe)
	}
	if err := s.Refund(vp, a1); err == nil {
		t.Error("refunded a pending transaction")
	}
	if err := s.Settle(vp, a1); err != nil {
		t.Fatal(err)
	}
	if av, pe := balance(); av != 998_000 || pe != 0 {
		t.Fatalf("after settlement: %d/%d", av, pe)
	}
	if err := s.Settle(vp, a1); err == nil {
		t.Error("settled twice")
	}
	if err := s.Refund(vp, a1); err != nil {
		t.Fatal(err)
	}
	if av, _ := balance(); av != 1_000_000 {
		t.Fatalf("after refund: %d", av)
	}
	a2 := auth()
	if err := s.Reverse(vp, a2); err != nil {
		t.Fatal(err)
	}
	if av, pe := balance(); av != 1_000_000 || pe != 0 {
		t.Fatalf("after reversal: %d/%d", av, pe)
	}
	if _, err := s.TopUp(vp, acct.id, 500); err != nil {
		t.Fatal(err)
	}
	if av, _ := balance(); av != 1_000_500 {
		t.Fatalf("after top-up: %d", av)
	}
	var types []string
	for _, e := range s.events(vp) {
		types = append(types, e.Type)
	}
	want := []string{"transaction.authorized", "transaction.settled", "transaction.refunded",
		"transaction.authorized", "transaction.reversed", "transaction.settled"}
	if !equalStrings(types, want) {
		t.Errorf("events %v, want %v", types, want)
	}

	// Vydapay: program balance, completed, no reversal.
	vc := testCard(t, s, vy, nil)
	res, err := s.Authorize(vy, AuthRequest{CardID: vc.id, Amount: 2_000, Merchant: grocer})
	if err != nil || !res.Approved {
		t.Fatal(res, err)
	}
	var apiErr *apiError
	if err := s.Reverse(vy, res.TransactionID); !errors.As(err, &apiErr) || apiErr.code != codeUnsupported {
		t.Errorf("Vydapay reversal: %v", err)
	}
	if err := s.Settle(vy, res.TransactionID); err != nil {
		t.Fatal(err)
	}
	evs := s.events(vy)
	var ev vydapay.Event
	if err := json.Unmarshal(evs[len(evs)-1].Payload, &ev); err != nil || ev.Type != vydapay.EventTxCompleted || ev.Object != "event" {
		t.Fatalf("last Vydapay event: %+v %v", ev, err)
	}
	var txw vydapay.Transaction
	if err := json.Unmarshal(ev.Data.Object, &txw); err != nil || txw.Status != "completed" || txw.ID != res.TransactionID {
		t.Errorf("event object %+v %v", txw, err)
	}
}

func TestFreezeFromApp(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 8})
	for _, p := range []string{vp, vy} {
		cd := testCard(t, s, p, nil)
		if err := s.freezeFromApp(p, cd.id); err != nil {
			t.Fatal(err)
		}
		if err := s.freezeFromApp(p, cd.id); err == nil {
			t.Error("froze a frozen card")
		}
		if err := s.unfreezeFromApp(p, cd.id); err != nil {
			t.Fatal(err)
		}
		evs := s.events(p)
		if len(evs) < 2 || evs[len(evs)-2].Type != "card.frozen" || evs[len(evs)-1].Type != "card.unfrozen" {
			t.Errorf("%s events: %v", p, evs)
		}
	}
}
