package monitor

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

// newStats returns stats on a fake clock at t0.
func newStats(maxKeys int) (*DeclineStats, *fakeClock) {
	clock := &fakeClock{now: t0}
	return NewDeclineStats(StatsConfig{Clock: clock.Now, MaxKeys: maxKeys}), clock
}

// bucketCounts is the last k buckets of Rate as attempts/declines pairs.
func bucketCounts(s *DeclineStats, now time.Time, k int) [][2]int {
	rate := s.Rate(now)
	out := [][2]int{}
	for _, b := range rate[len(rate)-k:] {
		out = append(out, [2]int{b.Attempts, b.Declines})
	}
	return out
}

func TestStatsBucketRollover(t *testing.T) {
	s, clock := newStats(0)
	add := func(offset time.Duration, reason api.DeclineReason) {
		clock.now = t0.Add(offset)
		s.Add(txRow(1, clock.now, "card_a", "Spinneys", reason))
	}
	add(0, "")
	add(10*time.Second, api.DeclineCardFrozen)
	add(59*time.Second, "")
	add(60*time.Second, api.DeclineCardFrozen) // next minute
	add(3*time.Minute+5*time.Second, "")       // a minute skipped

	now := t0.Add(3*time.Minute + 30*time.Second)
	got := bucketCounts(s, now, 4)
	want := [][2]int{{3, 1}, {1, 1}, {0, 0}, {1, 0}}
	if !slices.Equal(got, want) {
		t.Fatalf("last buckets %v, want %v", got, want)
	}
	rate := s.Rate(now)
	if len(rate) != Minutes {
		t.Fatalf("%d buckets, want %d", len(rate), Minutes)
	}
	last := rate[Minutes-1]
	if !last.Start.Equal(t0.Add(3*time.Minute)) || rate[Minutes-4].Rate != 1.0/3 {
		t.Errorf("last bucket starts %v; first counted rate %v", last.Start, rate[Minutes-4].Rate)
	}
	if first := rate[0].Start; !first.Equal(t0.Add(3*time.Minute - 59*time.Minute)) {
		t.Errorf("first bucket starts %v", first)
	}
}

func TestStatsExpiry(t *testing.T) {
	tests := []struct {
		name        string
		readAfter   time.Duration // from t0, where everything was added
		wantDecl    int
		wantBuckets int // buckets with attempts
	}{
		{"within the hour", 59 * time.Minute, 4, 2},
		{"first minute gone", 60 * time.Minute, 1, 1},
		{"all gone", 61 * time.Minute, 0, 0},
		{"long after", 30 * time.Hour, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newStats(0)
			for i := range 3 {
				s.Add(txRow(uint64(i), t0.Add(time.Duration(i)*time.Second), fmt.Sprint("card_", i), "Carrefour", api.DeclineSpendingLimit))
			}
			clock.now = t0.Add(time.Minute)
			s.Add(txRow(9, clock.now, "card_9", "Noon", api.DeclineIncorrectCVC))
			s.Add(txRow(10, clock.now, "card_9", "Noon", ""))

			now := t0.Add(tt.readAfter)
			top := s.Top(now, 10)
			if top.Declines != tt.wantDecl {
				t.Errorf("declines %d, want %d", top.Declines, tt.wantDecl)
			}
			used := 0
			for _, b := range s.Rate(now) {
				if b.Attempts > 0 {
					used++
				}
			}
			if used != tt.wantBuckets {
				t.Errorf("%d buckets with attempts, want %d", used, tt.wantBuckets)
			}
			if tt.wantDecl == 0 {
				if len(top.Reasons)+len(top.Merchants)+len(top.Cards) != 0 || top.Attempts != 0 {
					t.Errorf("an empty hour ranks %+v", top)
				}
				// Expired minutes leave nothing behind in the hour's totals.
				if len(s.merchants)+len(s.cards) != 0 || s.reasons != [numSlots]int{} {
					t.Errorf("totals kept after expiry: %v %v %v", s.merchants, s.cards, s.reasons)
				}
			}
		})
	}
}

func TestTopOrdering(t *testing.T) {
	s, _ := newStats(0)
	declines := []struct {
		card, merchant string
		reason         api.DeclineReason
		times          int
	}{
		{"card_b", "Zara", api.DeclineSuspectedFraud, 2},
		{"card_a", "Apple", api.DeclineIncorrectCVC, 2},
		{"card_c", "Mall", api.DeclineCardFrozen, 3},
		{"card_d", "Boots", api.DeclineInsufficient, 1},
		{"card_e", "Apple", api.DeclineInsufficient, 1},
	}
	for _, d := range declines {
		for range d.times {
			s.Add(txRow(1, t0, d.card, d.merchant, d.reason))
		}
	}
	s.Add(txRow(2, t0, "card_z", "Quiet", "")) // approved: no rank

	tests := []struct {
		n             int
		wantCards     []KeyCount
		wantMerchants []KeyCount
		wantReasons   []api.DeclineReason
	}{
		{3,
			[]KeyCount{{"card_c", 3}, {"card_a", 2}, {"card_b", 2}},
			[]KeyCount{{"Apple", 3}, {"Mall", 3}, {"Zara", 2}},
			// ties in display order: frozen, insufficient, CVC, fraud
			[]api.DeclineReason{api.DeclineCardFrozen, api.DeclineInsufficient, api.DeclineIncorrectCVC}},
		{1, []KeyCount{{"card_c", 3}}, []KeyCount{{"Apple", 3}}, []api.DeclineReason{api.DeclineCardFrozen}},
		{10,
			[]KeyCount{{"card_c", 3}, {"card_a", 2}, {"card_b", 2}, {"card_d", 1}, {"card_e", 1}},
			[]KeyCount{{"Apple", 3}, {"Mall", 3}, {"Zara", 2}, {"Boots", 1}},
			[]api.DeclineReason{api.DeclineCardFrozen, api.DeclineInsufficient, api.DeclineIncorrectCVC, api.DeclineSuspectedFraud}},
		{0, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("n=", tt.n), func(t *testing.T) {
			// Map order varies from run to run: ask several times.
			for range 20 {
				top := s.Top(t0, tt.n)
				if !slices.Equal(top.Cards, tt.wantCards) {
					t.Fatalf("cards %v, want %v", top.Cards, tt.wantCards)
				}
				if !slices.Equal(top.Merchants, tt.wantMerchants) {
					t.Fatalf("merchants %v, want %v", top.Merchants, tt.wantMerchants)
				}
				var reasons []api.DeclineReason
				for _, r := range top.Reasons {
					if r.Group != r.Reason.Group() {
						t.Errorf("%s grouped as %s", r.Reason, r.Group)
					}
					reasons = append(reasons, r.Reason)
				}
				if !slices.Equal(reasons, tt.wantReasons) {
					t.Fatalf("reasons %v, want %v", reasons, tt.wantReasons)
				}
				if top.Attempts != 10 || top.Declines != 9 {
					t.Fatalf("attempts %d declines %d", top.Attempts, top.Declines)
				}
			}
		})
	}
}

func TestStatsKeyBound(t *testing.T) {
	s, clock := newStats(3)
	for i := range 5 { // five cards and merchants in one minute: two overflow
		s.Add(txRow(1, t0, fmt.Sprint("card_", i), fmt.Sprint("m", i), api.DeclineSystem))
	}
	s.Add(txRow(1, t0, "card_0", "m0", api.DeclineSystem)) // a kept key still counts
	top := s.Top(t0, 10)
	if len(top.Cards) != 3 || top.OtherCards != 2 || len(top.Merchants) != 3 || top.OtherMerchants != 2 {
		t.Fatalf("cards %v other %d; merchants %v other %d", top.Cards, top.OtherCards, top.Merchants, top.OtherMerchants)
	}
	if top.Cards[0] != (KeyCount{"card_0", 2}) {
		t.Errorf("top card %v", top.Cards[0])
	}
	// The next minute has a bound of its own.
	clock.now = t0.Add(time.Minute)
	s.Add(txRow(1, clock.now, "card_4", "m4", api.DeclineSystem))
	if top := s.Top(clock.now, 10); len(top.Cards) != 4 || top.OtherCards != 2 {
		t.Errorf("next minute: cards %v other %d", top.Cards, top.OtherCards)
	}
	// Overflow expires with its minute.
	if top := s.Top(t0.Add(time.Hour), 10); top.OtherCards != 0 || len(top.Cards) != 1 {
		t.Errorf("after the first minute expired: cards %v other %d", top.Cards, top.OtherCards)
	}

	long := strings.Repeat("é", 200) // 400 bytes, two per rune
	s.Add(txRow(1, clock.now, "card_x", long, api.DeclineSystem))
	found := false
	for _, m := range s.Top(clock.now, 10).Merchants {
		if !strings.HasPrefix(m.Key, "é") {
			continue
		}
		found = true
		if len(m.Key) != maxKeyLen || !strings.HasPrefix(long, m.Key) {
			t.Errorf("kept a %d-byte key %q", len(m.Key), m.Key)
		}
	}
	if !found {
		t.Error("the long merchant name was not counted")
	}
}

func TestStatsTimes(t *testing.T) {
	tests := []struct {
		name       string
		clock      bool
		at         time.Time
		wantMinute time.Time // bucket it lands in; zero: not counted
	}{
		{"own minute", true, t0.Add(-10 * time.Minute), t0.Add(-10 * time.Minute)},
		{"no time counts now", true, time.Time{}, t0},
		{"slightly ahead trusted", true, t0.Add(2 * time.Minute), t0.Add(2 * time.Minute)},
		{"far ahead counts now", true, t0.Add(24 * time.Hour), t0},
		{"older than the hour dropped", true, t0.Add(-61 * time.Minute), time.Time{}},
		{"no clock: own minute", false, t0, t0},
		{"no clock: no time dropped", false, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := StatsConfig{}
			if tt.clock {
				cfg.Clock = (&fakeClock{now: t0}).Now
			}
			s := NewDeclineStats(cfg)
			s.Add(txRow(1, tt.at, "card_a", "Spinneys", api.DeclineCardExpired))
			var landed time.Time
			for _, b := range s.Rate(t0) {
				if b.Attempts > 0 {
					landed = b.Start
				}
			}
			if !landed.Equal(tt.wantMinute) {
				t.Errorf("counted in minute %v, want %v", landed, tt.wantMinute)
			}
		})
	}
}

func TestStatsIgnoresOtherEvents(t *testing.T) {
	s, _ := newStats(0)
	for _, typ := range []api.EventType{api.EventTxSettled, api.EventCardFrozen, api.EventTxRefunded, api.EventUnknown} {
		row := txRow(1, t0, "card_a", "Spinneys", api.DeclineCardFrozen)
		row.Type = typ
		s.Add(row)
	}
	if top := s.Top(t0, 5); top.Attempts != 0 || top.Declines != 0 {
		t.Errorf("non-authorisation events counted: %+v", top)
	}
}

func TestStatsConcurrentUse(t *testing.T) {
	s, _ := newStats(0)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				s.Add(txRow(uint64(i), t0, fmt.Sprint("card_", g), "Spinneys", api.DeclineCardFrozen))
				if i%50 == 0 {
					s.Top(t0, 3)
					s.Spike(t0)
					s.Rate(t0)
				}
			}
		})
	}
	wg.Wait()
	if top := s.Top(t0, 1); top.Declines != 800 {
		t.Errorf("declines %d, want 800", top.Declines)
	}
}
