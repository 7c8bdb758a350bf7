package sandbox

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// TestVaultsPayLifecycle walks a customer through the whole API: user,
// KYC, account, card, controls, PIN, reveal, freeze, terminate.
func TestVaultsPayLifecycle(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 20})
	c, _ := clients(t, s)

	r := c.do("POST", "/users", map[string]any{
		"first_name": "Sarah", "last_name": "Mitchell", "email": "sarah.mitchell@company.com", "phone": "+447700900123",
		"date_of_birth": "1990-02-14", "address": map[string]any{"line1": "123 Business Street", "city": "London", "postal_code": "EC1A 1BB", "country": "GB"},
		"metadata": map[string]string{"employee_id": "EMP-4521"},
	})
	if r.status != http.StatusCreated {
		t.Fatalf("create user: %d %s", r.status, r.body)
	}
	var u vaultspay.User
	r.decode(t, &u)
	if u.Object != "user" || u.KYC.Status != "not_started" || u.Metadata["employee_id"] != "EMP-4521" || !strings.HasPrefix(u.ID, "usr_") {
		t.Fatalf("user %+v", u)
	}

	// No card before KYC.
	r = c.do("POST", "/accounts", map[string]any{"user_id": u.ID, "currency": "AED"})
	var a vaultspay.Account
	r.decode(t, &a)
	if r.status != http.StatusCreated || a.Currency != "AED" || a.Balance.Available != 0 || a.Status != "active" {
		t.Fatalf("create account: %d %s", r.status, r.body)
	}
	r = c.do("POST", "/cards", map[string]any{"user_id": u.ID, "account_id": a.ID, "type": "virtual"})
	if e := r.vpErr(t); r.status != http.StatusUnprocessableEntity || e.Code != codeKYCRequired {
		t.Fatalf("card before KYC: %d %+v", r.status, e)
	}

	r = c.do("POST", "/users/"+u.ID+"/kyc_sessions", map[string]any{"return_url": "https://example.com/done"})
	var ks vaultspay.KYCSession
	r.decode(t, &ks)
	if r.status != http.StatusCreated || ks.Status != "pending" || ks.UserID != u.ID {
		t.Fatalf("kyc session: %d %s", r.status, r.body)
	}
	r = c.do("POST", "/users/"+u.ID+"/documents", map[string]any{"type": "passport", "filename": "passport.jpg",
		"file_base64": base64.StdEncoding.EncodeToString([]byte("jpeg bytes"))})
	var doc vaultspay.Document
	r.decode(t, &doc)
	if r.status != http.StatusCreated || doc.Size != 10 || doc.Status != "received" {
		t.Fatalf("document: %d %s", r.status, r.body)
	}
	r = c.do("GET", "/users/"+u.ID+"/kyc_sessions/"+ks.ID, nil)
	r.decode(t, &ks)
	if ks.Status != "verified" {
		t.Fatalf("session after document: %s", r.body)
	}
	r = c.do("GET", "/users/"+u.ID, nil)
	r.decode(t, &u)
	if u.KYC.Status != "verified" || u.KYC.SessionID == nil || *u.KYC.SessionID != ks.ID {
		t.Fatalf("user after KYC: %s", r.body)
	}

	r = c.do("POST", "/cards", map[string]any{
		"user_id": u.ID, "account_id": a.ID, "type": "virtual", "brand": "mastercard",
		"spending_limit":    map[string]any{"amount": 50000, "interval": "monthly"},
		"spending_controls": map[string]any{"blocked_categories": []string{"gambling"}, "allowed_countries": []string{"AE", "GB"}},
		"metadata":          map[string]string{"department": "engineering"},
	})
	var card vaultspay.Card
	r.decode(t, &card)
	if r.status != http.StatusCreated || card.Status != "active" || card.Brand != "mastercard" || card.Currency != "AED" ||
		card.SpendingLimit == nil || card.SpendingLimit.Amount != 50000 || len(card.LastFour) != 4 ||
		len(card.SpendingControls.BlockedCategories) != 1 || card.TerminationReason != nil {
		t.Fatalf("create card: %d %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), "number") || strings.Contains(string(r.body), "cvc") {
		t.Fatalf("card object shows secrets: %s", r.body)
	}

	r = c.do("PATCH", "/cards/"+card.ID, map[string]any{"spending_limit": map[string]any{"amount": 100000, "interval": "weekly"},
		"metadata": map[string]string{"department": "", "project": "Q1"}})
	card = vaultspay.Card{}
	r.decode(t, &card)
	if r.status != 200 || card.SpendingLimit.Interval != "weekly" || card.Metadata["project"] != "Q1" || card.Metadata["department"] != "" {
		t.Fatalf("patch card: %d %s", r.status, r.body)
	}

	r = c.do("POST", "/cards/"+card.ID+"/reveal", map[string]any{"reason": "customer on the phone"})
	var det vaultspay.CardDetails
	r.decode(t, &det)
	if r.status != 200 || len(det.Number) != 16 || !luhnValid(det.Number) || det.Number[12:] != card.LastFour || len(det.CVC) != 3 ||
		det.ExpMonth != card.ExpMonth || det.ExpYear != card.ExpYear {
		t.Fatalf("reveal: %d", r.status)
	}
	r = c.do("POST", "/cards/"+card.ID+"/reveal", map[string]any{})
	if e := r.vpErr(t); r.status != 400 || e.Code != codeParamMissing || e.Param != "reason" {
		t.Fatalf("reveal without reason: %d %+v", r.status, e)
	}

	r = c.do("POST", "/cards/"+card.ID+"/convert_to_physical", nil)
	r.decode(t, &card)
	if r.status != 200 || card.Type != "physical" {
		t.Fatalf("convert: %d %s", r.status, r.body)
	}
	r = c.do("POST", "/cards/"+card.ID+"/pin/tokens", nil)
	var tok vaultspay.PINToken
	r.decode(t, &tok)
	if r.status != http.StatusCreated || tok.Token == "" {
		t.Fatalf("pin token: %d %s", r.status, r.body)
	}
	r = c.do("POST", "/cards/"+card.ID+"/pin", map[string]any{"pin_token": tok.Token, "pin": "12a4"})
	if e := r.vpErr(t); r.status != http.StatusUnprocessableEntity || e.Code != codePINInvalid || e.Param != "pin" {
		t.Fatalf("bad pin: %d %+v", r.status, e)
	}
	r = c.do("POST", "/cards/"+card.ID+"/pin", map[string]any{"pin_token": tok.Token, "pin": "1234"})
	if r.status != 200 {
		t.Fatalf("set pin: %d %s", r.status, r.body)
	}
	r = c.do("POST", "/cards/"+card.ID+"/pin", map[string]any{"pin_token": tok.Token, "pin": "4321"})
	if e := r.vpErr(t); r.status != http.StatusUnprocessableEntity || e.Code != codePINTokenInvalid {
		t.Fatalf("reused pin token: %d %+v", r.status, e)
	}

	steps := []struct {
		path   string
		body   any
		status int
		state  string
	}{
		{"/activate", nil, 409, ""},
		{"/freeze", nil, 200, "frozen"},
		{"/freeze", nil, 409, ""},
		{"/unfreeze", nil, 200, "active"},
		{"/unfreeze", nil, 409, ""},
		{"/terminate", map[string]any{}, 400, ""},
		{"/terminate", map[string]any{"reason": "bored"}, 400, ""},
		{"/terminate", map[string]any{"reason": "stolen"}, 200, "terminated"},
		{"/unfreeze", nil, 409, ""},
		{"/freeze", nil, 409, ""},
		{"/terminate", map[string]any{"reason": "lost"}, 409, ""},
		{"/reveal", map[string]any{"reason": "check"}, 409, ""},
	}
	for _, st := range steps {
		r = c.do("POST", "/cards/"+card.ID+st.path, st.body)
		if r.status != st.status {
			t.Fatalf("%s: %d %s", st.path, r.status, r.body)
		}
		if st.status == 200 {
			r.decode(t, &card)
			if card.Status != st.state {
				t.Fatalf("%s: status %s", st.path, card.Status)
			}
			continue
		}
		if e := r.vpErr(t); st.status == 409 && (e.Type != vaultspay.ErrTypeCard || e.Code != codeInvalidCardState || !strings.Contains(e.Message, card.ID)) {
			t.Fatalf("%s: %+v", st.path, e)
		}
	}
	if card.TerminationReason == nil || *card.TerminationReason != "stolen" {
		t.Errorf("termination reason %v", card.TerminationReason)
	}
	r = c.do("POST", "/cards/"+card.ID+"/unfreeze", nil)
	if e := r.vpErr(t); e.Message != "Card "+card.ID+" is terminated and cannot be unfrozen." {
		t.Errorf("message %q", e.Message)
	}

	// The user's cards are all terminated now, but the account holds
	// money only if someone paid in; close it, then delete the user.
	r = c.do("POST", "/accounts/"+a.ID+"/close", nil)
	if r.status != 200 {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	r = c.do("POST", "/accounts/"+a.ID+"/close", nil)
	if e := r.vpErr(t); r.status != 409 || e.Code != codeAccountClosed {
		t.Fatalf("close twice: %d %+v", r.status, e)
	}
	r = c.do("POST", "/cards", map[string]any{"user_id": u.ID, "account_id": a.ID, "type": "virtual"})
	if e := r.vpErr(t); r.status != 422 || e.Code != codeAccountClosed {
		t.Fatalf("card on closed account: %d %+v", r.status, e)
	}
	r = c.do("DELETE", "/users/"+u.ID, nil)
	var del vaultspay.Deleted
	r.decode(t, &del)
	if r.status != 200 || !del.Deleted || del.ID != u.ID {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r = c.do("GET", "/users/"+u.ID, nil); r.status != 404 {
		t.Fatalf("deleted user: %d", r.status)
	}

	var types []string
	for _, e := range s.events(vp) {
		types = append(types, e.Type)
	}
	want := []string{"user.created", "account.created", "user.kyc.updated", "user.kyc.updated", "card.created", "card.updated",
		"card.converted_to_physical", "card.frozen", "card.unfrozen", "card.terminated", "account.closed", "user.deleted"}
	if !equalStrings(types, want) {
		t.Errorf("events %v\nwant %v", types, want)
	}
}

func TestVaultsPayConflicts(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 21})
	c, _ := clients(t, s)
	// A seeded user with a live card cannot be deleted; an account with
	// money cannot be closed.
	var holder, funded string
	for _, cd := range s.vp.cards.order {
		if cd.status == "active" {
			holder = cd.userID
			break
		}
	}
	for _, a := range s.vp.accounts.order {
		if a.status == "active" && a.available > 0 {
			funded = a.id
			break
		}
	}
	r := c.do("DELETE", "/users/"+holder, nil)
	if e := r.vpErr(t); r.status != 409 || e.Code != codeUserHasCards {
		t.Errorf("delete holder: %d %+v", r.status, e)
	}
	r = c.do("POST", "/accounts/"+funded+"/close", nil)
	if e := r.vpErr(t); r.status != 409 || e.Code != codeAccountNotEmpty {
		t.Errorf("close funded: %d %+v", r.status, e)
	}
	// An inactive physical card activates once.
	var inactive string
	for _, cd := range s.vp.cards.order {
		if cd.status == "inactive" {
			inactive = cd.id
			break
		}
	}
	if r = c.do("POST", "/cards/"+inactive+"/freeze", nil); r.status != 409 {
		t.Errorf("freeze inactive: %d", r.status)
	}
	if r = c.do("POST", "/cards/"+inactive+"/activate", nil); r.status != 200 {
		t.Errorf("activate: %d %s", r.status, r.body)
	}
	if r = c.do("POST", "/cards/"+inactive+"/activate", nil); r.status != 409 {
		t.Errorf("activate twice: %d", r.status)
	}
}
