package monitor

import (
	"sync"
	"time"
)

// Stats window and bounds.
const (
	// Minutes is the number of one-minute buckets: the rolling hour.
	Minutes = 60
	// DefaultMaxKeys is how many distinct merchants, and cards, one minute
	// keeps counters for; the rest count as other.
	DefaultMaxKeys = 1000
	// MaxSkew is how far ahead of the clock an event's own time is trusted.
	MaxSkew = 5 * time.Minute
)

// StatsConfig configures DeclineStats.
type StatsConfig struct {
	// Clock says what time it is when an event is counted. An event is
	// counted in the minute it happened, so that a relay replay after a
	// reconnect lands where it belongs rather than as a false spike; one
	// with no time, or more than MaxSkew ahead of the clock, is counted
	// now, and one more than an hour old is not counted. Nil trusts event
	// times as they are and drops events without one.
	Clock func() time.Time
	// MaxKeys bounds the merchants and cards counted per minute;
	// 0 means DefaultMaxKeys.
	MaxKeys int
	// Rule says when the decline rate is a spike; zero fields take
	// DefaultSpikeRule's.
	Rule SpikeRule
}

// DeclineStats keeps the last hour of authorisation attempts and declines in
// one-minute buckets, with the hour's totals per reason, merchant and card
// maintained as events arrive and as minutes expire, so that no read ever
// rescans history. Memory is bounded: 60 buckets of at most MaxKeys
// merchants and MaxKeys cards each.
//
// It is safe for concurrent use, so that one instance can serve every
// session of a shared backend.
type DeclineStats struct {
	cfg StatsConfig

	mu      sync.Mutex
	buckets [Minutes]bucket
	head    int64 // newest minute of the window (Unix minutes)
	started bool
	// The hour's totals: the sum of the buckets.
	attempts, declines int
	reasons            [numSlots]int
	merchants, cards   map[string]int
	otherMerchants     int
	otherCards         int
}

// bucket is one minute's counts.
type bucket struct {
	minute    int64
	used      bool
	attempts  int
	declines  int
	reasons   [numSlots]int
	merchants keyCounts
	cards     keyCounts
}

// NewDeclineStats returns empty statistics.
func NewDeclineStats(cfg StatsConfig) *DeclineStats {
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = DefaultMaxKeys
	}
	cfg.Rule = cfg.Rule.withDefaults()
	return &DeclineStats{
		cfg:       cfg,
		merchants: make(map[string]int),
		cards:     make(map[string]int),
	}
}

// Add counts row if it is an authorisation attempt (transaction.authorized
// or transaction.declined), and its reason, merchant and card if declined.
// Other rows are ignored.
func (s *DeclineStats) Add(row Row) {
	if !row.Attempt() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	at := row.At
	if s.cfg.Clock != nil {
		now := s.cfg.Clock()
		s.advance(minuteOf(now))
		if at.IsZero() || at.After(now.Add(MaxSkew)) {
			at = now
		}
	} else if at.IsZero() {
		return
	}
	m := minuteOf(at)
	s.advance(m)
	if m <= s.head-Minutes {
		return // older than the hour
	}
	b := s.bucket(m)
	b.attempts++
	s.attempts++
	if !row.Declined() {
		return
	}
	b.declines++
	s.declines++
	ri := slotOf(row.Decline())
	b.reasons[ri]++
	s.reasons[ri]++
	if key := merchantKey(row); key != "" {
		count(&b.merchants, s.merchants, &s.otherMerchants, key, s.cfg.MaxKeys)
	}
	if key := clip(row.CardID); key != "" {
		count(&b.cards, s.cards, &s.otherCards, key, s.cfg.MaxKeys)
	}
}

// count adds one for key to a minute's counts and to the hour's.
func count(b *keyCounts, hour map[string]int, other *int, key string, limit int) {
	if b.add(key, limit) {
		hour[key]++
	} else {
		*other++
	}
}

// advance moves the window's newest minute forward to m, expiring the
// minutes that fall out of the hour. It never moves back.
func (s *DeclineStats) advance(m int64) {
	switch {
	case !s.started:
		s.head, s.started = m, true
		return
	case m <= s.head:
		return
	case m-s.head >= Minutes:
		for i := range s.buckets {
			s.expire(&s.buckets[i])
		}
	default:
		// The window was (head-60, head]; it becomes (m-60, m].
		for old := s.head - Minutes + 1; old <= m-Minutes; old++ {
			if b := &s.buckets[slot(old)]; b.used && b.minute == old {
				s.expire(b)
			}
		}
	}
	s.head = m
}

// bucket is minute m's bucket, claimed for m if it held another minute.
func (s *DeclineStats) bucket(m int64) *bucket {
	b := &s.buckets[slot(m)]
	if b.used && b.minute != m {
		s.expire(b)
	}
	b.used, b.minute = true, m
	return b
}

// expire takes a bucket's counts off the hour's totals and empties it.
func (s *DeclineStats) expire(b *bucket) {
	if !b.used {
		return
	}
	s.attempts -= b.attempts
	s.declines -= b.declines
	for i, n := range b.reasons {
		s.reasons[i] -= n
	}
	for k, n := range b.merchants.m {
		subtract(s.merchants, k, n)
	}
	for k, n := range b.cards.m {
		subtract(s.cards, k, n)
	}
	s.otherMerchants -= b.merchants.other
	s.otherCards -= b.cards.other
	b.merchants.reset()
	b.cards.reset()
	*b = bucket{merchants: b.merchants, cards: b.cards}
}

// lookup is minute m's bucket if it holds counts for m.
func (s *DeclineStats) lookup(m int64) *bucket {
	if b := &s.buckets[slot(m)]; b.used && b.minute == m {
		return b
	}
	return nil
}

// minuteOf is t in whole minutes since the Unix epoch, rounded down.
func minuteOf(t time.Time) int64 {
	sec := t.Unix()
	m := sec / 60
	if sec%60 < 0 {
		m--
	}
	return m
}

// slot is where minute m's bucket lives.
func slot(m int64) int {
	return int((m%Minutes + Minutes) % Minutes)
}
