package api

import "testing"

func TestDeclineReasonsHaveGroupsAndLabels(t *testing.T) {
	seen := map[DeclineGroup]bool{}
	for _, r := range DeclineReasons() {
		info, ok := r.info()
		if !ok && r != DeclineUnknown {
			t.Errorf("reason %q has no entry", r)
		}
		if info.label == "" {
			t.Errorf("reason %q has no label", r)
		}
		seen[r.Group()] = true
	}
	for _, g := range []DeclineGroup{GroupCardState, GroupFundsLimits, GroupControls, GroupVerification, GroupFraud, GroupSystem} {
		if !seen[g] {
			t.Errorf("group %q has no reason", g)
		}
		if g.Label() == "" {
			t.Errorf("group %q has no label", g)
		}
	}
	if got := DeclineReason("made_up").Group(); got != GroupSystem {
		t.Errorf("unknown reason group = %q, want system", got)
	}
	if got := DeclineCardFrozen.Label(); got != "card frozen" {
		t.Errorf("label = %q", got)
	}
}
