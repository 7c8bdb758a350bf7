package api

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock is a budget clock that moves only when the test says.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []fakeTimer
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 5, 4, 14, 2, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, fakeTimer{at: c.now.Add(d), ch: ch})
	return ch
}

// Advance moves the clock on and fires the timers that came due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = kept
}

// budgetRig is a budget on a fake clock, and the provider's window as a
// fixed-window limiter would answer it.
type budgetRig struct {
	t     *testing.T
	clock *fakeClock
	b     *Budget
	limit int

	mu    sync.Mutex // the provider's window, as concurrent requests reach it
	reset time.Time
	used  int // what the provider counted in its window
}

func newBudgetRig(t *testing.T, limit int) *budgetRig {
	t.Helper()
	clock := newFakeClock()
	b, err := NewBudget(BudgetConfig{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return &budgetRig{t: t, clock: clock, b: b, limit: limit, reset: clock.Now().Add(time.Minute)}
}

// answer is what the provider says after counting one more request.
func (r *budgetRig) answer() (int, http.Header) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.clock.Now().Before(r.reset) {
		r.reset, r.used = r.clock.Now().Add(time.Minute), 0
	}
	h := http.Header{}
	h.Set("X-RateLimit-Limit", strconv.Itoa(r.limit))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(r.reset.Unix(), 10))
	r.used++
	if r.used > r.limit {
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", strconv.Itoa(int(r.reset.Sub(r.clock.Now())/time.Second)))
		return http.StatusTooManyRequests, h
	}
	h.Set("X-RateLimit-Remaining", strconv.Itoa(r.limit-r.used))
	return http.StatusOK, h
}

// send makes one request of lane through the budget, waiting as long as
// ctx allows, and returns the provider's status.
func (r *budgetRig) send(ctx context.Context, lane Lane) (int, error) {
	if err := r.b.wait(ctx, lane); err != nil {
		return 0, err
	}
	status, h := r.answer()
	r.b.done(lane, status, h, time.Millisecond)
	return status, nil
}

// sendNow sends without waiting: a *HeldError if the budget holds it.
func (r *budgetRig) sendNow(lane Lane) (int, error) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.b.wait(ctx, lane); err != nil {
		return 0, err
	}
	status, h := r.answer()
	r.b.done(lane, status, h, time.Millisecond)
	return status, nil
}

// awaitState waits until the budget's state satisfies ok.
func (r *budgetRig) awaitState(what string, ok func(BudgetState) bool) BudgetState {
	r.t.Helper()
	for range 100_000 {
		if st := r.b.State(); ok(st) {
			return st
		}
		runtime.Gosched()
	}
	r.t.Fatalf("never: %s; state %+v", what, r.b.State())
	return BudgetState{}
}

// The background lane spends at most its share of a window, stops when
// only the reserve is left, and never makes an agent's request wait or
// fail; a new window lets it go on.
func TestBudgetCapsTheBackgroundLane(t *testing.T) {
	tests := []struct {
		name         string
		interactive  int // agents' requests before the background burst
		wantBG       int // background requests let through
		wantHeld     HoldReason
		agentsAfter  int // agents' requests after it, none held
		wantHeldNext HoldReason
	}{
		{"a quiet desk: the share", 0, 20, HoldCap, 80, HoldSpent},
		{"a busy desk: the headroom", 60, 15, HoldHeadroom, 25, HoldSpent},
		{"a desk that spent the window", 100, 0, HoldHeadroom, 0, HoldSpent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newBudgetRig(t, 100)
			for i := range tt.interactive {
				if status, err := r.sendNow(LaneInteractive); err != nil || status != http.StatusOK {
					t.Fatalf("agent request %d: %d, %v", i+1, status, err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var wg sync.WaitGroup
			statuses := make(chan int, 100)
			for range 50 {
				wg.Go(func() {
					if status, err := r.send(ctx, LaneBackground); err == nil {
						statuses <- status
					}
				})
			}
			st := r.awaitState("the background burst held", func(st BudgetState) bool {
				return st.Background == tt.wantBG && st.BackgroundHeld == tt.wantHeld
			})
			if st.Background > st.BackgroundCap {
				t.Errorf("background sent %d in the window, cap %d", st.Background, st.BackgroundCap)
			}
			for i := range tt.agentsAfter {
				if status, err := r.sendNow(LaneInteractive); err != nil || status != http.StatusOK {
					t.Fatalf("agent request %d after the burst: %d, %v", i+1, status, err)
				}
			}
			_, err := r.sendNow(LaneInteractive)
			var held *HeldError
			if !errors.As(err, &held) || held.Why != tt.wantHeldNext {
				t.Errorf("an agent's request past the window: %v; want it held (%s)", err, tt.wantHeldNext)
			}
			if got := r.b.State().Background; got != tt.wantBG {
				t.Errorf("background sent %d, want still %d", got, tt.wantBG)
			}

			r.clock.Advance(time.Minute + time.Second)
			r.awaitState("the next window's background share", func(st BudgetState) bool {
				return st.Background == min(30, st.BackgroundCap)
			})
			cancel()
			wg.Wait()
			close(statuses)
			for s := range statuses {
				if s != http.StatusOK {
					t.Errorf("a background request was answered %d", s)
				}
			}
		})
	}
}

// While agents' requests wait, background requests wait behind them,
// whatever their age; agents' requests go in the order they asked.
func TestBudgetServesAgentsFirst(t *testing.T) {
	r := newBudgetRig(t, 10)
	for range 10 {
		if _, err := r.sendNow(LaneInteractive); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	wg.Go(func() { _, _ = r.send(ctx, LaneBackground) })
	r.awaitState("the background request waiting", func(st BudgetState) bool { return st.BackgroundHeld == HoldHeadroom })
	served := make(chan int, 12)
	for i := 1; i <= 12; i++ {
		wg.Go(func() {
			if _, err := r.send(ctx, LaneInteractive); err == nil {
				served <- i
			}
		})
		r.awaitState("agent "+strconv.Itoa(i)+" waiting", func(st BudgetState) bool { return st.Waiting == i })
	}
	if st := r.b.State(); st.WaitingWhy != HoldSpent || st.BackgroundHeld != HoldAgentsFirst {
		t.Errorf("state %+v; want agents waiting for the window, background behind them", st)
	}
	r.clock.Advance(time.Minute + time.Second)
	st := r.awaitState("ten agents served, two left waiting", func(st BudgetState) bool { return st.Interactive == 10 && st.Waiting == 2 })
	if st.Background != 0 || st.BackgroundHeld != HoldAgentsFirst {
		t.Errorf("state %+v; want the background request still behind the agents", st)
	}
	got := map[int]bool{}
	for range 10 {
		got[<-served] = true
	}
	for i := 1; i <= 10; i++ {
		if !got[i] {
			t.Errorf("agents served in the new window: %v; want the first ten to ask", got)
			break
		}
	}
}

// A 429 holds every lane until the time the provider gave, and a request
// held until its context ends says why and until when.
func TestBudgetWaitsOutA429(t *testing.T) {
	r := newBudgetRig(t, 100)
	r.used = 100 // another process spent the window
	if status, err := r.sendNow(LaneInteractive); err != nil || status != http.StatusTooManyRequests {
		t.Fatalf("first request: %d, %v; want the provider's 429", status, err)
	}
	for _, lane := range []Lane{LaneInteractive, LaneBackground} {
		_, err := r.sendNow(lane)
		var held *HeldError
		if !errors.As(err, &held) || held.Why != HoldPaused || !held.Until.Equal(r.reset) || !errors.Is(err, context.Canceled) {
			t.Errorf("%s request after the 429: %v; want it held until %v", lane, err, r.reset.Format("15:04:05"))
		}
	}
	st := r.b.State()
	if !st.PausedUntil.Equal(r.reset) || st.RateLimited[LaneInteractive] != 1 {
		t.Errorf("state %+v", st)
	}
	done := make(chan int, 1)
	go func() {
		status, _ := r.send(context.Background(), LaneInteractive)
		done <- status
	}()
	r.awaitState("the agent's request waiting", func(st BudgetState) bool { return st.Waiting == 1 && st.WaitingWhy == HoldPaused })
	r.clock.Advance(r.reset.Sub(r.clock.Now()))
	if status := <-done; status != http.StatusOK {
		t.Errorf("after the reset: %d", status)
	}
}

// Until the provider says its limit, agents are not held by the assumed
// one; the background lane is, to its share of it.
func TestBudgetAssumedLimit(t *testing.T) {
	clock := newFakeClock()
	b, err := NewBudget(BudgetConfig{Clock: clock, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 80 {
		if err := b.wait(ctx, LaneInteractive); err != nil {
			t.Fatalf("agent request %d held by an assumed limit: %v", i+1, err)
		}
		b.done(LaneInteractive, http.StatusOK, nil, 0)
	}
	st := b.State()
	if !st.Assumed || st.Limit != 50 || st.Left != 0 {
		t.Errorf("state %+v", st)
	}
	if err := b.wait(ctx, LaneBackground); err == nil {
		t.Error("background went with the assumed window spent")
	}
}

func TestBudgetConfigRefusesNonsense(t *testing.T) {
	for _, cfg := range []BudgetConfig{
		{Limit: -1}, {Window: -time.Second}, {BackgroundShare: 1.5}, {BackgroundShare: -0.1}, {Reserve: 1},
	} {
		if _, err := NewBudget(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
