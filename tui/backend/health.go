package backend

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
	"github.com/carddesk/carddesk/live"
)

// APIStatus is what the last check of the provider's API found.
type APIStatus string

// API states.
const (
	APIUnknown APIStatus = "unknown" // not checked yet
	APIUp      APIStatus = "up"
	APIDown    APIStatus = "down"
)

// Health is what the header shows about the API and the relay. Sessions
// read it on their redraw tick.
type Health struct {
	API        APIStatus
	APILatency time.Duration // round trip of the last successful check
	APIErr     string        // why the last check failed, terminal-safe
	CheckedAt  time.Time     // when the API was last checked; zero: never

	Relay    live.State
	RelayErr string // the subscription's last connection error, terminal-safe
	// RelayStoreChanged is when events began to come from another relay
	// store than before (its database lost and made again, or another
	// restored): the old store's events are gone from the relay. Zero if
	// never.
	RelayStoreChanged time.Time

	RateLimit   api.RateLimit
	LastEventAt time.Time // when the last relay event arrived here
	EventsSeen  uint64    // relay events applied since start

	// MonitorRateLimit is the monitoring key's, when one is configured
	// (HasMonitor): the background lane spends its budget.
	MonitorRateLimit api.RateLimit
	HasMonitor       bool
}

// noRelay is the relay error when none is configured.
const noRelay = "no relay configured"

type healthState struct {
	mu          sync.Mutex
	api         APIStatus
	latency     time.Duration
	apiErr      string
	checkedAt   time.Time
	lastEventAt time.Time
	eventsSeen  uint64
	storeChange time.Time
}

// Health reports the state of the API and the relay now.
func (b *Backend) Health() Health {
	b.health.mu.Lock()
	h := Health{
		API:         b.health.api,
		APILatency:  b.health.latency,
		APIErr:      b.health.apiErr,
		CheckedAt:   b.health.checkedAt,
		LastEventAt: b.health.lastEventAt,
		EventsSeen:  b.health.eventsSeen,

		RelayStoreChanged: b.health.storeChange,
	}
	b.health.mu.Unlock()
	if h.API == "" {
		h.API = APIUnknown
	}
	h.RateLimit = b.client.RateLimit()
	if b.monitor != nil {
		h.MonitorRateLimit, h.HasMonitor = b.monitor.RateLimit(), true
	}
	if b.relay == nil {
		h.Relay, h.RelayErr = live.StateOffline, noRelay
		return h
	}
	h.Relay = b.relay.State()
	if err := b.relay.Err(); err != nil {
		h.RelayErr = safetext.Safe(err.Error())
	}
	return h
}

// CheckAPI pings the provider now, records what it found, and returns the
// health that follows. Run calls it every PingEvery; a session may call it
// on demand. A check whose ctx is cancelled records nothing.
func (b *Backend) CheckAPI(ctx context.Context) Health {
	latency, err := b.client.Ping(ctx)
	if err != nil && (errors.Is(ctx.Err(), context.Canceled) || heldBack(err)) {
		// The asker went away (Run stopping), or the check was never sent:
		// that says nothing of the API.
		return b.Health()
	}
	now := b.now()
	b.health.mu.Lock()
	b.health.checkedAt = now
	if err != nil {
		b.health.api, b.health.apiErr = APIDown, safetext.Safe(err.Error())
	} else {
		b.health.api, b.health.apiErr, b.health.latency = APIUp, "", latency
	}
	b.health.mu.Unlock()
	return b.Health()
}

func (b *Backend) sawStoreChange() {
	now := b.now()
	b.health.mu.Lock()
	b.health.storeChange = now
	b.health.mu.Unlock()
}

func (b *Backend) sawEvents(n int) {
	now := b.now()
	b.health.mu.Lock()
	b.health.lastEventAt = now
	b.health.eventsSeen += uint64(n)
	b.health.mu.Unlock()
}

// pingLoop checks the API at once and then every PingEvery until ctx ends,
// when idle (checkWhenIdle). A check may take at most one interval, so
// checks never pile up.
func (b *Backend) pingLoop(ctx context.Context) {
	t := time.NewTicker(b.ping)
	defer t.Stop()
	for {
		b.checkWhenIdle(ctx)
		if ctx.Err() != nil {
			return
		}
		if b.onPing != nil {
			b.onPing()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
