package api

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Budget is one API key's share of the provider's rate limit, for every
// request the process makes with that key. It counts what each lane sent
// in the provider's window (learnt from the X-RateLimit-* headers, or from
// BudgetConfig when the provider does not say), and lets a request go
// only when the window allows it:
//
//   - interactive requests go first: while one waits, no background request
//     is let through, and they are served in the order they asked;
//   - the background lane spends at most BackgroundShare of the window, and
//     stops while no more than Reserve of it is left, so that agents always
//     find requests left and background work never causes their 429;
//   - when the provider refuses a request with 429 anyway (another process
//     with the same key, say), every lane waits until the time it gave.
//
// A waiting request waits on its context. Budget is safe for concurrent
// use.
type Budget struct {
	cfg BudgetConfig

	mu  sync.Mutex
	win budgetWindow
	// pausedUntil: a 429 asked every request to wait until then.
	pausedUntil time.Time
	inflight    int
	// queues are the waiting requests of each lane, oldest first.
	queues [numLanes][]*budgetWaiter
	// changed is closed, and replaced, whenever a waiter may now go.
	changed chan struct{}

	sent        [numLanes]int64 // since the start
	rateLimited [numLanes]int64 // answers with 429, since the start
	said        RateLimit       // the provider's last word
	lastOK      time.Time       // the last 2xx answer
	lastLatency time.Duration   // its round trip
}

// budgetWindow is the provider's rate-limit window as the budget counts it.
type budgetWindow struct {
	end   time.Time // by the budget's clock
	limit int
	known bool // the provider said the limit
	// left is what the provider last said remains in this window, minus
	// what was sent or in flight since; -1 when it has not said.
	left int
	sent [numLanes]int
	// carried are requests that were in flight when the window turned:
	// the provider may count them in this one.
	carried int
}

type budgetWaiter struct{ lane Lane }

// NewBudget returns a budget for one key.
func NewBudget(cfg BudgetConfig) (*Budget, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("rate-limit budget: %w", err)
	}
	return &Budget{cfg: cfg, changed: make(chan struct{}),
		win: budgetWindow{limit: cfg.Limit, left: -1}}, nil
}

// wait blocks until a request of lane may be sent, and counts it as sent.
// Every wait that returns nil must be followed by one done.
func (b *Budget) wait(ctx context.Context, lane Lane) error {
	b.mu.Lock()
	w := &budgetWaiter{lane: lane}
	b.queues[lane] = append(b.queues[lane], w)
	for {
		now := b.cfg.Clock.Now()
		why, until := b.hold(w, now)
		if why == HoldNone {
			b.grant(w)
			b.mu.Unlock()
			return nil
		}
		changed := b.changed
		b.mu.Unlock()
		var timer <-chan time.Time
		if !until.IsZero() {
			timer = b.cfg.Clock.After(max(until.Sub(now), 0))
		}
		select {
		case <-ctx.Done():
			b.mu.Lock()
			b.leave(w)
			b.mu.Unlock()
			return &HeldError{Lane: lane, Why: why, Until: until, Err: ctx.Err()}
		case <-changed:
		case <-timer:
		}
		b.mu.Lock()
	}
}

// hold says why w may not go now, and until when at the latest that
// holds (zero: until something changes). b.mu is held.
func (b *Budget) hold(w *budgetWaiter, now time.Time) (HoldReason, time.Time) {
	b.turn(now)
	why, until := b.laneHold(w.lane, now)
	if why == HoldNone && b.queues[w.lane][0] != w {
		// Its lane's earlier requests go first.
		return HoldInLine, time.Time{}
	}
	return why, until
}

// laneHold is why the first request of lane may not go now. b.mu is held
// and the window turned.
func (b *Budget) laneHold(lane Lane, now time.Time) (HoldReason, time.Time) {
	if now.Before(b.pausedUntil) {
		return HoldPaused, b.pausedUntil
	}
	left := b.left()
	if lane == LaneInteractive {
		// An assumed limit is a guess: agents are held only by what the
		// provider said.
		if left <= 0 && (b.win.known || b.win.left >= 0) {
			return HoldSpent, b.win.end
		}
		return HoldNone, time.Time{}
	}
	switch {
	case len(b.queues[LaneInteractive]) > 0:
		return HoldAgentsFirst, time.Time{}
	case b.win.sent[LaneBackground] >= b.cfg.backgroundCap(b.win.limit):
		return HoldCap, b.win.end
	case left <= b.cfg.reserve(b.win.limit):
		return HoldHeadroom, b.win.end
	}
	return HoldNone, time.Time{}
}

// left is how many requests the window has left by the budget's count.
// b.mu is held.
func (b *Budget) left() int {
	w := &b.win
	n := w.limit - w.sent[LaneInteractive] - w.sent[LaneBackground] - w.carried
	if w.left >= 0 {
		n = min(n, w.left)
	}
	return n
}

// turn starts a new window once the current one has ended. b.mu is held.
func (b *Budget) turn(now time.Time) {
	if !b.win.end.IsZero() && now.Before(b.win.end) {
		return
	}
	// Until the provider says when this window ends, count it from now,
	// a second late: ending it early would spend the next window's
	// requests in this one.
	b.win = budgetWindow{
		end: now.Add(b.cfg.Window + time.Second), limit: b.win.limit, known: b.win.known,
		left: -1, carried: b.inflight,
	}
}

// grant lets w go. b.mu is held.
func (b *Budget) grant(w *budgetWaiter) {
	b.leave(w)
	b.win.sent[w.lane]++
	if b.win.left >= 0 {
		b.win.left--
	}
	b.sent[w.lane]++
	b.inflight++
}

// leave takes w out of its queue and wakes the others: the first of its
// lane, or the background lane, may go now. b.mu is held.
func (b *Budget) leave(w *budgetWaiter) {
	b.queues[w.lane] = slices.DeleteFunc(b.queues[w.lane], func(x *budgetWaiter) bool { return x == w })
	b.wake()
}

// wake tells every waiter to look again. b.mu is held.
func (b *Budget) wake() {
	close(b.changed)
	b.changed = make(chan struct{})
}
