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

// API states: each is a different thing to do about it, so they are never
// lumped together as "down".
const (
	APIUnknown APIStatus = "unknown" // not checked yet
	APIUp      APIStatus = "up"
	// APIKeyRefused: the provider answered 401 or 403 to the check — the
	// key is wrong, revoked or lacks the permission.
	APIKeyRefused APIStatus = "key refused"
	// APIRateLimited: the provider answered 429; APIResetAt says when its
	// window resets, when it said.
	APIRateLimited APIStatus = "rate limited"
	// APIUnreachable: no answer came — DNS, the connection, TLS or a
	// timeout; APICause says which, in words.
	APIUnreachable APIStatus = "unreachable"
	// APIError: the provider answered with a server error (APICause holds
	// the status) or with something that was not an answer to a check.
	APIError APIStatus = "error"
)

// Health is what the header shows about the API and the relay. Sessions
// read it on their redraw tick.
type Health struct {
	API        APIStatus
	APILatency time.Duration // round trip of the last successful check
	// APIErr is why the last check failed, in one plain sentence with the
	// provider's words and request id where it gave them, terminal-safe.
	APIErr string
	// APICause is the short form for the header: the network cause of
	// APIUnreachable ("connection refused"), the status of APIError.
	APICause string
	// APIResetAt is when a rate limit resets (APIRateLimited), if the
	// provider said; zero otherwise.
	APIResetAt time.Time
	CheckedAt  time.Time // when the API was last checked; zero: never

	Relay    live.State
	RelayErr string // the subscription's last connection error, terminal-safe
	// RelayTrouble is that error in an operator's terms: a refused token,
	// a wrong stream path, a relay out of reach, a connection lost.
	RelayTrouble live.Trouble
	// RelayDown is since when the subscription has not been live (lost,
	// or never connected); zero while live or when the feed cannot say.
	RelayDown time.Time
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

// relayDowntime is a RelayFeed that can say since when it has not been
// live (*live.Subscription can).
type relayDowntime interface {
	Down() time.Time
}

type healthState struct {
	mu          sync.Mutex
	api         APIStatus
	latency     time.Duration
	apiErr      string
	apiCause    string
	apiResetAt  time.Time
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
		APICause:    b.health.apiCause,
		APIResetAt:  b.health.apiResetAt,
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
		h.RelayTrouble = live.TroubleOf(err)
	}
	if d, ok := b.relay.(relayDowntime); ok && h.Relay != live.StateLive && h.Relay != live.StateBehind {
		h.RelayDown = d.Down()
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
	st := apiStateOf(err, now, b.client.RateLimit())
	b.health.mu.Lock()
	b.health.checkedAt = now
	was := b.health.api
	changed := was != st.status || b.health.apiErr != st.text
	b.health.api, b.health.apiErr, b.health.apiCause, b.health.apiResetAt = st.status, st.text, st.cause, st.resetAt
	if err == nil {
		b.health.latency = latency
	}
	b.health.mu.Unlock()
	switch {
	case changed && err != nil:
		// The agent reads one sentence; the log keeps the whole chain.
		b.log.Warn("API check failed", "state", string(st.status), "error", safetext.Safe(err.Error()))
	case changed && was != "" && was != APIUnknown:
		b.log.Info("API answers again", "was", string(was))
	}
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
