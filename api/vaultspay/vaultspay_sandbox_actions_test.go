package vaultspay_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
)

func TestSandboxCards(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	card := e.findCard(t, api.CardActive, api.CardVirtual)
	got, err := e.c.GetCard(ctx, card.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != card.ID || got.LastFour != card.LastFour || got.Status != api.CardActive || got.UserID == "" || got.Brand == "" {
		t.Errorf("GetCard %+v", got)
	}
	tests := []struct {
		name string
		f    api.CardFilter
		ok   func(api.Card) bool
	}{
		{"user", api.CardFilter{UserID: card.UserID}, func(c api.Card) bool { return c.UserID == card.UserID }},
		{"last four", api.CardFilter{LastFour: card.LastFour}, func(c api.Card) bool { return c.LastFour == card.LastFour }},
		{"physical", api.CardFilter{Type: api.CardPhysical}, func(c api.Card) bool { return c.Type == api.CardPhysical }},
		{"frozen virtual", api.CardFilter{Status: api.CardFrozen, Type: api.CardVirtual}, func(c api.Card) bool {
			return c.Status == api.CardFrozen && c.Type == api.CardVirtual
		}},
	}
	for _, tt := range tests {
		found, err := api.Collect(api.Cards(ctx, e.c, tt.f), 0)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(found) == 0 {
			t.Errorf("%s: nothing found", tt.name)
		}
		for _, c := range found {
			if !tt.ok(c) {
				t.Errorf("%s: card %s does not match (%+v)", tt.name, c.ID, c)
			}
		}
	}
}

func TestSandboxCardLifecycle(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	card := e.findCard(t, api.CardActive, "")

	frozen, err := e.c.FreezeCard(ctx, card.ID)
	if err != nil || frozen.Status != api.CardFrozen {
		t.Fatalf("FreezeCard: %+v, %v", frozen, err)
	}
	if got, err := e.c.GetCard(ctx, card.ID); err != nil || got.Status != api.CardFrozen {
		t.Fatalf("GetCard after freeze: %s, %v", got.Status, err)
	}
	_, err = e.c.FreezeCard(ctx, card.ID)
	wantConflict(t, "freeze a frozen card", err)

	if c, err := e.c.UnfreezeCard(ctx, card.ID); err != nil || c.Status != api.CardActive {
		t.Fatalf("UnfreezeCard: %+v, %v", c, err)
	}
	_, err = e.c.ActivateCard(ctx, card.ID)
	wantConflict(t, "activate an active card", err)

	if c, err := e.c.TerminateCard(ctx, card.ID, api.TerminateLost); err != nil || c.Status != api.CardTerminated {
		t.Fatalf("TerminateCard: %+v, %v", c, err)
	}
	_, err = e.c.UnfreezeCard(ctx, card.ID)
	wantConflict(t, "unfreeze a terminated card", err)
	if !strings.Contains(err.Error(), "terminated") || !strings.HasPrefix(err.Error(), "unfreeze card "+card.ID+": ") {
		t.Errorf("error %q does not say the card is terminated", err)
	}
	_, err = e.c.TerminateCard(ctx, card.ID, api.TerminateOther)
	wantConflict(t, "terminate a terminated card", err)
	_, err = e.c.RevealCard(ctx, card.ID, "caller verified")
	wantConflict(t, "reveal a terminated card", err)
}

func wantConflict(t *testing.T, what string, err error) {
	t.Helper()
	e, ok := api.AsError(err)
	if !ok || !errors.Is(err, api.ErrConflict) || e.Type != vaultspay.ErrTypeCard || e.Code != "invalid_card_state" || e.RequestID == "" {
		t.Fatalf("%s: %v (%+v), want a 409 card_error invalid_card_state", what, err, e)
	}
}

func TestSandboxActivate(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	card := e.findCard(t, api.CardInactive, api.CardPhysical)
	c, err := e.c.ActivateCard(context.Background(), card.ID)
	if err != nil || c.Status != api.CardActive {
		t.Fatalf("ActivateCard: %+v, %v", c, err)
	}
}

func TestSandboxReveal(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	card := e.findCard(t, api.CardActive, "")
	s, err := e.c.RevealCard(ctx, card.ID, "caller passed security questions")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Wipe()
	if !bytes.HasSuffix(s.Number, []byte(card.LastFour)) || !luhn(s.Number) {
		t.Errorf("revealed number does not end in %s or fails Luhn", card.LastFour)
	}
	if len(s.CVC) != 3 || s.ExpMonth != card.ExpMonth || s.ExpYear != card.ExpYear {
		t.Errorf("CVC of %d digits, expiry %d/%d for a card expiring %d/%d", len(s.CVC), s.ExpMonth, s.ExpYear, card.ExpMonth, card.ExpYear)
	}
	number := append([]byte(nil), s.Number...)
	s.Wipe()
	if s.Number != nil || s.CVC != nil || s.ExpMonth != 0 {
		t.Error("Wipe left the secrets")
	}
	if !bytes.Contains([]byte(s.String()), []byte("redacted")) || bytes.Contains([]byte(s.String()), number) {
		t.Error("CardSecrets prints its contents")
	}
	// Reveal is a write: the read-only key may not.
	ro := e.client(t, e.cfg.VaultsPayReadOnlyKey, nil)
	_, err = ro.RevealCard(ctx, card.ID, "caller passed security questions")
	if ae, ok := api.AsError(err); !ok || !errors.Is(err, api.ErrForbidden) || ae.Type != vaultspay.ErrTypePermission {
		t.Errorf("reveal with the read-only key: %v", err)
	}
}

func luhn(n []byte) bool {
	sum := 0
	for i := range n {
		d := int(n[len(n)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return len(n) > 0 && sum%10 == 0
}

func TestSandboxTransactions(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	card := e.findCard(t, api.CardActive, "")
	accounts, err := e.c.ListAccounts(ctx, card.UserID)
	if err != nil {
		t.Fatal(err)
	}
	var acct string
	for _, a := range accounts {
		if a.ID == card.AccountID {
			acct = a.ID
		}
	}
	all, err := api.Collect(api.Transactions(ctx, e.c, api.TxFilter{AccountID: acct, Page: api.PageParams{Limit: 100}}), 0)
	if err != nil || len(all) == 0 {
		t.Fatalf("account transactions: %d, %v", len(all), err)
	}
	for _, tx := range all {
		if tx.AccountID != acct || tx.Amount.Currency == "" || tx.CreatedAt.IsZero() {
			t.Fatalf("transaction %+v", tx)
		}
	}
	// Declines carry a reason carddesk knows.
	declined, err := api.Collect(api.Transactions(ctx, e.c, api.TxFilter{AccountID: acct, Status: api.TxDeclined, Page: api.PageParams{Limit: 100}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(declined) == 0 {
		t.Fatalf("account %s has no declined transactions among %d", acct, len(all))
	}
	for _, tx := range declined {
		if tx.Status != api.TxDeclined || tx.Decline == nil || !tx.Decline.Reason.Known() || tx.Decline.Reason == api.DeclineNotGiven || tx.Decline.Code == "" {
			t.Errorf("declined transaction %s: %+v", tx.ID, tx.Decline)
		}
	}
	// Amount and time windows are honoured.
	mid := all[len(all)/2]
	lo, hi := int64(500), int64(5000)
	windowed, err := api.Collect(api.Transactions(ctx, e.c, api.TxFilter{AccountID: acct, MinAmount: &lo, MaxAmount: &hi,
		CreatedBefore: mid.CreatedAt, Type: api.TxPurchase, Page: api.PageParams{Limit: 100}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(windowed) == 0 {
		t.Errorf("no purchase between %d and %d before %v", lo, hi, mid.CreatedAt)
	}
	for _, tx := range windowed {
		if abs(tx.Amount.Amount) < lo || abs(tx.Amount.Amount) > hi || tx.CreatedAt.After(mid.CreatedAt) || tx.Type != api.TxPurchase {
			t.Errorf("transaction %s (%v, %v, %s) outside the filter", tx.ID, tx.Amount, tx.CreatedAt, tx.Type)
		}
	}
	after := all[len(all)-1].CreatedAt.Add(time.Second)
	recent, err := api.Collect(api.Transactions(ctx, e.c, api.TxFilter{AccountID: acct, CreatedAfter: after, Page: api.PageParams{Limit: 100}}), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range recent {
		if tx.CreatedAt.Before(after) {
			t.Errorf("transaction %s at %v before %v", tx.ID, tx.CreatedAt, after)
		}
	}
	if len(recent) >= len(all) {
		t.Errorf("created_after kept %d of %d", len(recent), len(all))
	}

	// Card transactions belong to the card.
	cardTx, err := e.c.ListTransactions(ctx, api.TxFilter{CardID: card.ID, Page: api.PageParams{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cardTx.Items) == 0 {
		t.Errorf("card %s has no transactions", card.ID)
	}
	for _, tx := range cardTx.Items {
		if tx.CardID != card.ID {
			t.Errorf("card transaction %s of card %s", tx.ID, tx.CardID)
		}
	}
	if _, err := e.c.ListTransactions(ctx, api.TxFilter{UserID: card.UserID}); !errors.Is(err, api.ErrUnsupported) {
		t.Errorf("by user: %v", err)
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func TestSandboxErrors(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()

	wrong := e.client(t, "vp_test_wrongkey", nil)
	_, err := wrong.ListCards(ctx, api.CardFilter{})
	if ae, ok := api.AsError(err); !ok || !errors.Is(err, api.ErrUnauthorized) || ae.Type != vaultspay.ErrTypeAuthentication || ae.Code != "api_key_invalid" || ae.RequestID == "" {
		t.Errorf("wrong key: %v (%+v)", err, ae)
	}

	_, err = e.c.GetCard(ctx, "card_doesnotexist")
	if ae, ok := api.AsError(err); !ok || !errors.Is(err, api.ErrNotFound) || ae.Code != "resource_missing" {
		t.Errorf("unknown card: %v (%+v)", err, ae)
	}
	for name, call := range map[string]func() error{
		"user":    func() error { _, err := e.c.GetUser(ctx, "usr_nope"); return err },
		"account": func() error { _, err := e.c.GetAccount(ctx, "acc_nope"); return err },
		"balance": func() error { _, err := e.c.GetBalance(ctx, "acc_nope"); return err },
		"iban":    func() error { _, err := e.c.GetIBAN(ctx, "acc_nope"); return err },
		"card tx": func() error { _, err := e.c.ListTransactions(ctx, api.TxFilter{CardID: "card_nope"}); return err },
	} {
		if err := call(); !errors.Is(err, api.ErrNotFound) {
			t.Errorf("unknown %s: %v", name, err)
		}
	}

	ro := e.client(t, e.cfg.VaultsPayReadOnlyKey, nil)
	card := e.findCard(t, api.CardActive, "")
	if _, err := ro.GetCard(ctx, card.ID); err != nil {
		t.Errorf("read-only key read: %v", err)
	}
	_, err = ro.FreezeCard(ctx, card.ID)
	if ae, ok := api.AsError(err); !ok || !errors.Is(err, api.ErrForbidden) || ae.Code != "insufficient_permissions" {
		t.Errorf("read-only key freeze: %v", err)
	}

	// The client refuses limit=101 itself; the sandbox refuses it too.
	if _, err := e.c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 101}}); err == nil {
		t.Error("client sent limit=101")
	}
	status, h, body := e.raw(t, "GET", "/cards?limit=101", e.cfg.VaultsPayKey, "")
	ae := vaultspay.DecodeError(status, h, body)
	if status != 400 || !errors.Is(ae, api.ErrInvalid) || ae.Type != vaultspay.ErrTypeInvalidRequest || ae.Param != "limit" || ae.RequestID == "" {
		t.Errorf("limit=101: %d %+v", status, ae)
	}
}

// retryOnce forwards requests to the sandbox but, the first time a request
// matches, throws the sandbox's answer away and answers 503 instead, as a
// proxy that lost the response would: the transport must retry with the
// same Idempotency-Key and the sandbox must replay rather than act twice.
type retryOnce struct {
	next  http.RoundTripper
	match string

	mu       sync.Mutex
	dropped  bool
	keys     []string
	replayed []string
	statuses []int
}

func (r *retryOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, r.match) {
		return resp, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, req.Header.Get("Idempotency-Key"))
	r.replayed = append(r.replayed, resp.Header.Get("Idempotent-Replayed"))
	r.statuses = append(r.statuses, resp.StatusCode)
	if r.dropped {
		return resp, nil
	}
	r.dropped = true
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return &http.Response{
		StatusCode: http.StatusServiceUnavailable,
		Status:     "503 Service Unavailable",
		Header:     http.Header{"Content-Type": {"text/html"}},
		Body:       io.NopCloser(strings.NewReader("<html>upstream lost</html>")),
		Request:    req,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}, nil
}

func TestSandboxIdempotentReplayAcrossRetry(t *testing.T) {
	e := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	card := e.findCard(t, api.CardActive, "")
	rt := &retryOnce{next: http.DefaultTransport, match: "/cards/" + card.ID + "/freeze"}
	c := e.client(t, e.cfg.VaultsPayKey, &http.Client{Transport: rt})

	frozen, err := c.FreezeCard(ctx, card.ID)
	if err != nil {
		t.Fatalf("FreezeCard through a lost response: %v", err)
	}
	if frozen.Status != api.CardFrozen {
		t.Errorf("status %s", frozen.Status)
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if len(rt.keys) != 2 || rt.keys[0] == "" || rt.keys[0] != rt.keys[1] {
		t.Fatalf("idempotency keys over the attempts: %q", rt.keys)
	}
	// Acting twice would have been a 409 (the card was already frozen); the
	// sandbox replayed the first answer instead.
	if rt.statuses[0] != 200 || rt.statuses[1] != 200 || rt.replayed[1] != "true" {
		t.Errorf("statuses %v, replayed %q", rt.statuses, rt.replayed)
	}
	if got, err := e.c.GetCard(ctx, card.ID); err != nil || got.Status != api.CardFrozen {
		t.Errorf("GetCard: %s, %v", got.Status, err)
	}
}
