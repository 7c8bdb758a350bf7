package monitor

import (
	"fmt"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

// fill adds attempts with declines among them, spread over the minutes
// from..to ago (inclusive) before now.
func fill(s *DeclineStats, now time.Time, from, to, attempts, declines int) {
	for i := range attempts {
		age := from + i%(to-from+1)
		at := now.Add(-time.Duration(age) * time.Minute)
		var reason api.DeclineReason
		if i < declines {
			reason = api.DeclineSuspectedFraud
		}
		s.Add(txRow(uint64(i), at, fmt.Sprint("card_", i%7), "Spinneys", reason))
	}
}

func TestSpike(t *testing.T) {
	now := t0.Add(30 * time.Second) // halfway through the current minute
	tests := []struct {
		name                  string
		baseA, baseD          int // over the 55 minutes before the last 5
		recentA, recentD      int // over the last 5
		want, wantHasBaseline bool
		wantText              string
	}{
		{"rate tripled", 100, 10, 40, 12, true, true, "declines 30% in the last 5 min vs 10% before"},
		{"exactly twice", 100, 10, 40, 8, true, true, "declines 20% in the last 5 min vs 10% before"},
		{"just under twice", 100, 10, 40, 7, false, true, "declines 18% in the last 5 min vs 10% before"},
		{"steady", 100, 10, 40, 4, false, true, "declines 10% in the last 5 min vs 10% before"},
		{"too few recent attempts", 100, 10, 19, 19, false, true, "declines 100% in the last 5 min vs 10% before"},
		{"clean baseline, first declines", 100, 0, 20, 1, true, true, "declines 5% in the last 5 min vs 0% before"},
		{"no recent declines", 100, 0, 30, 0, false, true, "declines 0% in the last 5 min vs 0% before"},
		{"baseline exactly 50", 50, 5, 20, 4, true, true, "declines 20% in the last 5 min vs 10% before"},
		{"no baseline, above 25%", 49, 0, 20, 6, true, false, "declines 30% in the last 5 min (no baseline)"},
		{"no baseline, exactly 25%", 0, 0, 20, 5, false, false, "declines 25% in the last 5 min (no baseline)"},
		{"no baseline, too few attempts", 0, 0, 19, 10, false, false, "declines 53% in the last 5 min (no baseline)"},
		{"nothing at all", 0, 0, 0, 0, false, false, "declines 0% in the last 5 min (no baseline)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewDeclineStats(StatsConfig{Clock: (&fakeClock{now: now}).Now})
			if tt.baseA > 0 {
				fill(s, now, 5, 59, tt.baseA, tt.baseD)
			}
			if tt.recentA > 0 {
				fill(s, now, 0, 4, tt.recentA, tt.recentD)
			}
			sp, on := s.Spike(now)
			if on != tt.want || sp.HasBaseline != tt.wantHasBaseline {
				t.Errorf("spike %v baseline %v; want %v %v (%+v)", on, sp.HasBaseline, tt.want, tt.wantHasBaseline, sp)
			}
			if sp.Recent.Attempts != tt.recentA || sp.Recent.Declines != tt.recentD ||
				sp.Baseline.Attempts != tt.baseA || sp.Baseline.Declines != tt.baseD {
				t.Errorf("figures %+v", sp)
			}
			if sp.Recent.Minutes != 5 || sp.Baseline.Minutes != 55 {
				t.Errorf("spans of %d and %d minutes", sp.Recent.Minutes, sp.Baseline.Minutes)
			}
			if got := sp.String(); got != tt.wantText {
				t.Errorf("String() = %q, want %q", got, tt.wantText)
			}
		})
	}
}

func TestSpikeComesAndGoes(t *testing.T) {
	clock := &fakeClock{now: t0}
	s := NewDeclineStats(StatsConfig{Clock: clock.Now})
	fill(s, t0, 5, 59, 200, 10) // 5% baseline
	fill(s, t0, 0, 4, 40, 20)   // 50% now
	if _, on := s.Spike(t0); !on {
		t.Fatal("no spike at 50% against 5%")
	}
	// Ten quiet minutes later the storm is in the baseline, and nothing is recent.
	later := t0.Add(10 * time.Minute)
	clock.now = later
	fill(s, later, 0, 4, 40, 2)
	if sp, on := s.Spike(later); on {
		t.Errorf("still a spike ten minutes on: %s", sp)
	}
}

func TestSpikeRuleDefaults(t *testing.T) {
	custom := SpikeRule{RecentMinutes: 10, Factor: 3}
	got := custom.withDefaults()
	want := SpikeRule{RecentMinutes: 10, Factor: 3, MinBaseline: 50, Threshold: 0.25, MinRecent: 20}
	if got != want {
		t.Errorf("withDefaults = %+v, want %+v", got, want)
	}
	if got := (SpikeRule{RecentMinutes: 60}).withDefaults(); got != DefaultSpikeRule() {
		t.Errorf("a recent span of the whole hour was kept: %+v", got)
	}
}
