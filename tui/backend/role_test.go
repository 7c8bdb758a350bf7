package backend

import (
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestParseRole(t *testing.T) {
	cases := []struct {
		in   string
		want Role
		ok   bool
	}{
		{"viewer", RoleViewer, true},
		{" Agent ", RoleAgent, true},
		{"SUPERVISOR", RoleSupervisor, true},
		{"", "", false},
		{"admin", "", false},
		{"super visor", "", false},
	}
	for _, tc := range cases {
		got, err := ParseRole(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseRole(f *testing.F) {
	for _, s := range []string{"viewer", "agent", "supervisor", " Supervisor\n", "", "root", "\x00agent", "ａｇｅｎｔ"} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("supervisor\u202e")
	f.Add("\x1b[2Jagent")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRole(s)
		if err != nil {
			if r != "" {
				t.Errorf("ParseRole(%q) failed but returned %q", s, r)
			}
			return
		}
		if again, err := ParseRole(string(r)); err != nil || again != r {
			t.Errorf("ParseRole(%q) = %q does not parse back: %q, %v", s, r, again, err)
		}
		for _, a := range Actions() {
			if ok, why := r.Can(a); !ok && why == "" {
				t.Errorf("%s cannot %s but says not why", r, a)
			}
		}
	})
}

func TestRoleCan(t *testing.T) {
	want := map[Role][]Action{
		RoleViewer:     nil,
		RoleAgent:      {ActionFreeze, ActionUnfreeze, ActionActivate},
		RoleSupervisor: {ActionFreeze, ActionUnfreeze, ActionActivate, ActionReveal, ActionTerminate},
		"root":         nil,
		"":             nil,
	}
	for role, allowed := range want {
		for _, a := range Actions() {
			ok, why := role.Can(a)
			if wantOK := contains(allowed, a); ok != wantOK {
				t.Errorf("%q.Can(%s) = %v, want %v", role, a, ok, wantOK)
			}
			if !ok && !strings.Contains(why, "your role") {
				t.Errorf("%q.Can(%s) says %q; want the role named", role, a, why)
			}
		}
		if ok, _ := role.Can("wipe"); ok {
			t.Errorf("%q can do an unknown action", role)
		}
	}
	if _, why := RoleViewer.Can(ActionFreeze); why != "your role (viewer) cannot freeze cards" {
		t.Errorf("viewer freeze: %q", why)
	}
}

func contains(as []Action, a Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func TestAvailable(t *testing.T) {
	full := api.Capabilities{Reveal: true, Activate: true}
	vaults := &Backend{provider: "vaultspay", caps: full}
	vyda := &Backend{provider: "vydapay"}
	sup := Actor{Role: RoleSupervisor}
	card := func(s api.CardStatus) api.Card { return api.Card{ID: "card_1", Status: s} }
	cases := []struct {
		b      *Backend
		actor  Actor
		action Action
		status api.CardStatus
		why    string // "" → available
	}{
		{vaults, Actor{Role: RoleViewer}, ActionFreeze, api.CardActive, "your role (viewer) cannot freeze cards"},
		{vaults, Actor{Role: RoleAgent}, ActionFreeze, api.CardActive, ""},
		{vaults, Actor{Role: RoleAgent}, ActionReveal, api.CardActive, "your role (agent) cannot reveal card numbers"},
		{vaults, sup, ActionFreeze, api.CardFrozen, "card is already frozen"},
		{vaults, sup, ActionFreeze, api.CardInactive, "only active cards can be frozen"},
		{vaults, sup, ActionFreeze, api.CardTerminated, "card is terminated"},
		{vaults, sup, ActionUnfreeze, api.CardFrozen, ""},
		{vaults, sup, ActionUnfreeze, api.CardActive, "card is not frozen"},
		{vaults, sup, ActionActivate, api.CardInactive, ""},
		{vaults, sup, ActionActivate, api.CardActive, "only inactive cards can be activated"},
		{vaults, sup, ActionReveal, api.CardFrozen, ""},
		{vaults, sup, ActionReveal, api.CardTerminated, "card is terminated"},
		{vaults, sup, ActionTerminate, api.CardFrozen, ""},
		{vaults, sup, ActionTerminate, api.CardTerminated, "card is terminated"},
		// A state carddesk does not know: protecting the card is offered
		// (the provider decides), loosening or disclosing it is not.
		{vaults, sup, ActionTerminate, "lost_in_space", ""},
		{vaults, Actor{Role: RoleAgent}, ActionFreeze, "suspended_by_bank", ""},
		{vaults, sup, ActionUnfreeze, "suspended_by_bank", `a state carddesk does not know ("suspended_by_bank")`},
		{vaults, sup, ActionActivate, "suspended_by_bank", "only freeze and terminate are offered"},
		{vaults, sup, ActionReveal, "suspended_by_bank", "the provider decides"},
		{vaults, Actor{Role: RoleAgent}, ActionTerminate, "suspended_by_bank", "your role (agent) cannot terminate"},
		{vyda, sup, ActionReveal, api.CardActive, "Vydapay has no card reveal"},
		{vyda, sup, ActionActivate, api.CardInactive, "Vydapay has no card activation"},
		{vyda, Actor{Role: RoleViewer}, ActionReveal, api.CardActive, "your role (viewer) cannot reveal card numbers"},
		{vyda, sup, ActionTerminate, api.CardActive, ""},
		{&Backend{provider: "acme"}, sup, ActionReveal, api.CardActive, "Acme has no card reveal"},
	}
	for _, tc := range cases {
		ok, why := tc.b.Available(tc.actor, tc.action, card(tc.status))
		if tc.why == "" && (!ok || why != "") {
			t.Errorf("%s %s %s on %s: %v %q; want available", tc.b.provider, tc.actor.Role, tc.action, tc.status, ok, why)
		}
		if tc.why != "" && (ok || !strings.Contains(why, tc.why)) {
			t.Errorf("%s %s %s on %s: %v %q; want %q", tc.b.provider, tc.actor.Role, tc.action, tc.status, ok, why, tc.why)
		}
	}
}
