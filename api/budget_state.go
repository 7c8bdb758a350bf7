package api

import "time"

// BudgetState is what a key's budget counts and holds, for the header and
// the benchmarks.
type BudgetState struct {
	// Limit is the window's requests the budget works to; Assumed says the
	// provider has not said it, and it comes from the configuration.
	Limit   int
	Assumed bool
	// Left is what the budget counts as left in this window, and Resets
	// when the window ends (by this process's clock).
	Left   int
	Resets time.Time
	// Interactive and Background are what each lane sent in this window;
	// BackgroundCap is the most the background lane may.
	Interactive, Background int
	BackgroundCap           int
	// BackgroundHold is what a background request would wait for now
	// (HoldNone: it would go); BackgroundHeld is the same when background
	// requests are waiting, and HoldNone when none is.
	BackgroundHold, BackgroundHeld HoldReason
	// Waiting is how many interactive requests wait, WaitingWhy why, and
	// WaitingUntil until when at the latest (zero: unknown).
	Waiting      int
	WaitingWhy   HoldReason
	WaitingUntil time.Time
	// PausedUntil is when the provider's last 429 lets requests go again.
	PausedUntil time.Time
	// Sent and RateLimited count requests, and 429 answers, by lane since
	// the start.
	Sent        [numLanes]int64
	RateLimited [numLanes]int64
	// LastOK is when a request last succeeded, SinceOK how long ago by the
	// budget's clock (negative: never), and LastLatency its round trip: a
	// success proves the provider is up without a request of its own.
	LastOK      time.Time
	SinceOK     time.Duration
	LastLatency time.Duration
}

// State reports the budget now.
func (b *Budget) State() BudgetState {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.cfg.Clock.Now()
	b.turn(now)
	st := BudgetState{
		Limit: b.win.limit, Assumed: !b.win.known,
		Left: max(b.left(), 0), Resets: b.win.end,
		Interactive: b.win.sent[LaneInteractive], Background: b.win.sent[LaneBackground],
		BackgroundCap: b.cfg.backgroundCap(b.win.limit),
		Waiting:       len(b.queues[LaneInteractive]),
		Sent:          b.sent, RateLimited: b.rateLimited,
		LastOK: b.lastOK, LastLatency: b.lastLatency,
	}
	if now.Before(b.pausedUntil) {
		st.PausedUntil = b.pausedUntil
	}
	if st.Waiting > 0 {
		st.WaitingWhy, st.WaitingUntil = b.laneHold(LaneInteractive, now)
	}
	st.BackgroundHold, _ = b.laneHold(LaneBackground, now)
	if len(b.queues[LaneBackground]) > 0 {
		st.BackgroundHeld = st.BackgroundHold
	}
	st.SinceOK = -1
	if !b.lastOK.IsZero() {
		st.SinceOK = now.Sub(b.lastOK)
	}
	return st
}

// Said is the provider's last word on its rate limit.
func (b *Budget) Said() RateLimit {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.said
}
