package api

import "testing"

func TestDeclineReasonsHaveGroupsAndLabels(t *testing.T) {
	seen := map[DeclineGroup]bool{}
	for _, r := range DeclineReasons() {
		info, ok := r.info()
		if !ok {
			t.Errorf("reason %q has no entry", r)
		}
		if info.label == "" {
			t.Errorf("reason %q has no label", r)
		}
		seen[r.Group()] = true
	}
	for _, g := range []DeclineGroup{GroupCardState, GroupFundsLimits, GroupControls, GroupVerification, GroupFraud, GroupSystem, GroupOther, GroupNotGiven} {
		if !seen[g] {
			t.Errorf("group %q has no reason", g)
		}
		if g.Label() == "" {
			t.Errorf("group %q has no label", g)
		}
	}
	if got := DeclineCardFrozen.Label(); got != "card frozen" {
		t.Errorf("label = %q", got)
	}
}

// A reason carddesk does not know, or none at all, is never blamed on the
// issuer's system.
func TestDeclineWithoutAKnownReasonIsNotSystem(t *testing.T) {
	tests := []struct {
		reason    DeclineReason
		group     DeclineGroup
		groupText string
	}{
		{"made_up", GroupOther, "other"},
		{DeclineOther, GroupOther, "other"},
		{DeclineNotGiven, GroupNotGiven, "not given"},
		{"", GroupOther, "other"},
		{DeclineSystem, GroupSystem, "system"},
	}
	for _, tt := range tests {
		if got := tt.reason.Group(); got != tt.group || got.Label() != tt.groupText {
			t.Errorf("%q: group %q (%q), want %q (%q)", tt.reason, got, got.Label(), tt.group, tt.groupText)
		}
	}
}

func TestDeclineTextAndRaw(t *testing.T) {
	tests := []struct {
		name      string
		d         Decline
		text, raw string
	}{
		{"known code", Decline{Reason: DeclineCategoryBlocked, Code: "mcc_blocked", Message: "Merchant category blocked"},
			"merchant category not allowed", "mcc_blocked: Merchant category blocked"},
		{"unknown code", Decline{Reason: DeclineOther, Code: "velocity_exceeded", Message: "Too many attempts"},
			"other (provider code velocity_exceeded)", "velocity_exceeded: Too many attempts"},
		{"code alone", Decline{Reason: DeclineCardFrozen, Code: "card_frozen"}, "card frozen", "card_frozen"},
		{"nothing", Decline{Reason: DeclineNotGiven}, "reason not given", ""},
		{"empty reason", Decline{}, "reason not given", ""},
		{"message alone", Decline{Reason: DeclineNotGiven, Message: "Declined"}, "reason not given", "Declined"},
		{"inferred", Decline{Reason: DeclineCategoryBlocked, Inferred: true, Basis: "gambling blocked by the card's controls"},
			"inferred: gambling blocked by the card's controls", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Text(); got != tt.text {
				t.Errorf("Text() = %q, want %q", got, tt.text)
			}
			if got := tt.d.Raw(); got != tt.raw {
				t.Errorf("Raw() = %q, want %q", got, tt.raw)
			}
		})
	}
}
