package monitor

import (
	"slices"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Bucket is one minute of the decline-rate chart.
type Bucket struct {
	Start    time.Time
	Attempts int
	Declines int
	// Rate is Declines/Attempts, 0 with no attempts.
	Rate float64
}

// Rate is the hour as Minutes buckets, oldest first, the last being the
// current minute (or the newest event's, if the clock is behind it).
// Reading advances the window to now.
func (s *DeclineStats) Rate(now time.Time) []Bucket {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(minuteOf(now))
	out := make([]Bucket, Minutes)
	for i := range out {
		m := s.head - Minutes + 1 + int64(i)
		out[i].Start = time.Unix(m*60, 0).In(now.Location())
		if b := s.lookup(m); b != nil {
			out[i].Attempts, out[i].Declines = b.attempts, b.declines
			out[i].Rate = rate(b.declines, b.attempts)
		}
	}
	return out
}

// Ranking is the hour's declines by reason, merchant and card.
type Ranking struct {
	Attempts int
	Declines int
	// Reasons are the most frequent reasons, most first; ties in the
	// order of api.DeclineReasons.
	Reasons []ReasonCount
	// Merchants and Cards are the most declined, most first; ties by key.
	Merchants []KeyCount
	Cards     []KeyCount
	// OtherMerchants and OtherCards are declines not counted per merchant
	// or card because a minute already had MaxKeys distinct ones.
	OtherMerchants int
	OtherCards     int
}

// ReasonCount is how many declines a reason caused: as the provider gave
// it, or as carddesk inferred it (Inferred), counted apart.
type ReasonCount struct {
	Reason   api.DeclineReason
	Group    api.DeclineGroup
	Inferred bool
	Count    int
}

// KeyCount is how many declines a merchant (by name) or a card (by id) had.
type KeyCount struct {
	Key   string
	Count int
}

// Top ranks the hour's declines, keeping the n first of each list. Reading
// advances the window to now. It costs the number of distinct merchants and
// cards of the hour (bounded by MaxKeys a minute), never the number of
// events.
func (s *DeclineStats) Top(now time.Time, n int) Ranking {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(minuteOf(now))
	return Ranking{
		Attempts:       s.attempts,
		Declines:       s.declines,
		Reasons:        s.topReasons(n),
		Merchants:      topKeys(s.merchants, n),
		Cards:          topKeys(s.cards, n),
		OtherMerchants: s.otherMerchants,
		OtherCards:     s.otherCards,
	}
}

// topReasons ranks the reasons with at least one decline.
func (s *DeclineStats) topReasons(n int) []ReasonCount {
	if n <= 0 {
		return nil
	}
	var out []ReasonCount
	for i, r := range api.DeclineReasons() {
		if n := s.reasons[i]; n > 0 {
			out = append(out, ReasonCount{Reason: r, Group: r.Group(), Count: n})
		}
		if n := s.reasons[i+numReasons]; n > 0 {
			out = append(out, ReasonCount{Reason: r, Group: r.Group(), Inferred: true, Count: n})
		}
	}
	// Stable: equal counts keep display order.
	slices.SortStableFunc(out, func(a, b ReasonCount) int { return b.Count - a.Count })
	return out[:min(n, len(out))]
}

// topKeys selects the n highest counts of m, count descending then key
// ascending, in O(len(m)·log n) without sorting all of m.
func topKeys(m map[string]int, n int) []KeyCount {
	if n <= 0 || len(m) == 0 {
		return nil
	}
	top := make([]KeyCount, 0, min(n, len(m)))
	for k, c := range m {
		kc := KeyCount{Key: k, Count: c}
		if len(top) == n && !ranksBefore(kc, top[n-1]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, kc, func(e, t KeyCount) int {
			if ranksBefore(e, t) {
				return -1
			}
			return 1
		})
		if len(top) < n {
			top = append(top, KeyCount{})
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = kc
	}
	return top
}

// ranksBefore orders by count descending, then key ascending.
func ranksBefore(a, b KeyCount) bool {
	return a.Count > b.Count || a.Count == b.Count && a.Key < b.Key
}

// rate is declines/attempts, 0 with no attempts.
func rate(declines, attempts int) float64 {
	if attempts == 0 {
		return 0
	}
	return float64(declines) / float64(attempts)
}
