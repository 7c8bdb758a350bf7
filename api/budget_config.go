package api

import (
	"fmt"
	"math"
	"time"
)

// Budget defaults.
const (
	// DefaultLimit per DefaultWindow is the rate limit a budget assumes
	// until the provider says its own: Vydapay's test-mode limit, the
	// lowest either reference documents (VaultsPay's documents none).
	DefaultLimit  = 100
	DefaultWindow = time.Minute
	// DefaultBackgroundShare of a window's requests is the most the
	// background lane may spend in it.
	DefaultBackgroundShare = 0.2
	// DefaultReserve is the share of a window's requests kept for agents:
	// the background lane stops while no more than that is left.
	DefaultReserve = 0.25
)

// BudgetConfig shapes a key's rate-limit budget. Zero fields take the
// defaults above.
type BudgetConfig struct {
	// Limit requests per Window is the provider's limit when its answers
	// do not say it (no X-RateLimit-* headers). Interactive requests are
	// not held back by an assumed limit, only by the provider's refusals;
	// the background lane's share is counted in it.
	Limit  int
	Window time.Duration
	// BackgroundShare caps the background lane's requests in one window,
	// as a share of the limit (0 < share ≤ 1).
	BackgroundShare float64
	// Reserve is the share of the window's requests that only agents may
	// spend (0 ≤ reserve < 1).
	Reserve float64
	// Clock is the budget's time; nil is the wall clock. Tests move a clock
	// of their own across windows rather than wait for them.
	Clock Clock
}

// Clock tells a budget the time and wakes it when a window ends.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// withDefaults fills in the zero fields and checks the rest.
func (c BudgetConfig) withDefaults() (BudgetConfig, error) {
	if c.Limit == 0 {
		c.Limit = DefaultLimit
	}
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.BackgroundShare == 0 {
		c.BackgroundShare = DefaultBackgroundShare
	}
	if c.Reserve == 0 {
		c.Reserve = DefaultReserve
	}
	if c.Clock == nil {
		c.Clock = wallClock{}
	}
	switch {
	case c.Limit < 0:
		return c, fmt.Errorf("rate limit %d: must be positive", c.Limit)
	case c.Window < 0:
		return c, fmt.Errorf("rate-limit window %v: must be positive", c.Window)
	case math.IsNaN(c.BackgroundShare) || c.BackgroundShare < 0 || c.BackgroundShare > 1:
		return c, fmt.Errorf("background share %v: want more than 0 and at most 1", c.BackgroundShare)
	case math.IsNaN(c.Reserve) || c.Reserve < 0 || c.Reserve >= 1:
		return c, fmt.Errorf("reserve %v: want 0 or more and less than 1", c.Reserve)
	}
	return c, nil
}

// backgroundCap is how many background requests a window of limit allows:
// the share, rounded down, and at least one, so that the background lane
// (its health check among it) is never shut out by a small limit.
func (c BudgetConfig) backgroundCap(limit int) int {
	return max(1, int(math.Floor(float64(limit)*c.BackgroundShare)))
}

// reserve is how many of a window's requests only agents may spend.
func (c BudgetConfig) reserve(limit int) int {
	return int(math.Ceil(float64(limit) * c.Reserve))
}
