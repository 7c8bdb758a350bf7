package monitor

import (
	"fmt"
	"time"
)

// SpikeRule says when the recent decline rate is alarming.
type SpikeRule struct {
	// RecentMinutes is the recent part of the hour; the rest of the hour
	// before it is the baseline. Default 5.
	RecentMinutes int
	// Factor: with a baseline, a spike is a recent rate at least Factor
	// times the baseline's. Default 2.
	Factor float64
	// MinBaseline is the number of attempts the baseline needs to count as
	// one. Default 50.
	MinBaseline int
	// Threshold: with no baseline, a spike is a recent rate above it.
	// Default 0.25.
	Threshold float64
	// MinRecent is the number of recent attempts needed before any rate is
	// called a spike, with or without a baseline: one decline out of three
	// attempts says nothing. Default 20.
	MinRecent int
}

// DefaultSpikeRule: declines over the last 5 minutes at least twice the rate
// of the 55 before (given 50 attempts of baseline), or above 25% with no
// baseline; at least 20 recent attempts either way.
func DefaultSpikeRule() SpikeRule {
	return SpikeRule{RecentMinutes: 5, Factor: 2, MinBaseline: 50, Threshold: 0.25, MinRecent: 20}
}

// withDefaults fills the zero (or out of range) fields from DefaultSpikeRule.
func (r SpikeRule) withDefaults() SpikeRule {
	d := DefaultSpikeRule()
	if r.RecentMinutes <= 0 || r.RecentMinutes >= Minutes {
		r.RecentMinutes = d.RecentMinutes
	}
	if r.Factor <= 0 {
		r.Factor = d.Factor
	}
	if r.MinBaseline <= 0 {
		r.MinBaseline = d.MinBaseline
	}
	if r.Threshold <= 0 {
		r.Threshold = d.Threshold
	}
	if r.MinRecent <= 0 {
		r.MinRecent = d.MinRecent
	}
	return r
}

// Span is the attempts and declines over a stretch of minutes.
type Span struct {
	Minutes  int
	Attempts int
	Declines int
}

// Rate is Declines/Attempts, 0 with no attempts.
func (s Span) Rate() float64 { return rate(s.Declines, s.Attempts) }

// Spike is the comparison the alert is made of.
type Spike struct {
	Recent   Span // the last RecentMinutes minutes
	Baseline Span // the rest of the hour before them
	// HasBaseline says the baseline had enough attempts to compare with.
	HasBaseline bool
}

// String says it in words: "declines 31% in the last 5 min vs 9% before",
// or "declines 31% in the last 5 min (no baseline)".
func (s Spike) String() string {
	recent := fmt.Sprintf("declines %s in the last %d min", percent(s.Recent.Rate()), s.Recent.Minutes)
	if !s.HasBaseline {
		return recent + " (no baseline)"
	}
	return recent + " vs " + percent(s.Baseline.Rate()) + " before"
}

// percent renders a rate as a whole percentage.
func percent(r float64) string { return fmt.Sprintf("%.0f%%", r*100) }

// Spike compares the recent decline rate with the rest of the hour, and
// reports whether it is a spike by the configured rule. The figures come
// back either way, for the view to show. Reading advances the window to
// now.
func (s *DeclineStats) Spike(now time.Time) (Spike, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(minuteOf(now))
	rule := s.cfg.Rule
	sp := Spike{
		Recent:   Span{Minutes: rule.RecentMinutes},
		Baseline: Span{Minutes: Minutes - rule.RecentMinutes},
	}
	for age := range int64(Minutes) {
		b := s.lookup(s.head - age)
		if b == nil {
			continue
		}
		part := &sp.Baseline
		if age < int64(rule.RecentMinutes) {
			part = &sp.Recent
		}
		part.Attempts += b.attempts
		part.Declines += b.declines
	}
	sp.HasBaseline = sp.Baseline.Attempts >= rule.MinBaseline
	if sp.Recent.Attempts < rule.MinRecent || sp.Recent.Declines == 0 {
		return sp, false
	}
	// Compared as cross-products of whole counts, so that a rate of exactly
	// twice the baseline is not lost to rounding.
	recentD, recentA := float64(sp.Recent.Declines), float64(sp.Recent.Attempts)
	if sp.HasBaseline {
		baseD, baseA := float64(sp.Baseline.Declines), float64(sp.Baseline.Attempts)
		return sp, recentD*baseA >= rule.Factor*baseD*recentA
	}
	return sp, recentD > rule.Threshold*recentA
}
