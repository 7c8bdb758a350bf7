package live

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/api/safetext"
)

// SubscribeConfig configures a subscription to a relay's stream.
type SubscribeConfig struct {
	// URL is the stream endpoint, ws://host:port/v1/stream (http and https
	// are taken as ws and wss); the client adds ?after=.
	URL   string
	Token string
	// After is the resume point: the subscription delivers events with
	// Seq > After.
	After uint64
	// MinBackoff and MaxBackoff bound the wait between connection attempts;
	// 0 → 250ms and 10s.
	MinBackoff, MaxBackoff time.Duration
	// IdleTimeout drops a connection on which nothing (not even a ping)
	// arrived for this long; 0 → 60s, three of the relay's default ping
	// intervals.
	IdleTimeout time.Duration
	Logger      *slog.Logger
}

// State is where a subscription stands, for the dashboard's header.
type State int

// Subscription states.
const (
	// StateConnecting: dialling, or connected and replaying what was missed.
	StateConnecting State = iota
	// StateLive: caught up; events arrive as the relay commits them.
	StateLive
	// StateBehind: the relay found this subscriber too slow and is catching
	// it up from its store; nothing is lost.
	StateBehind
	// StateOffline: the last attempt failed or the connection dropped; a
	// new attempt follows after a backoff (see Err).
	StateOffline
)

func (s State) String() string {
	switch s {
	case StateConnecting:
		return "connecting"
	case StateLive:
		return "live"
	case StateBehind:
		return "behind"
	case StateOffline:
		return "offline"
	}
	return "unknown"
}

// Subscription is a reconnecting stream of a relay's events.
type Subscription struct {
	cfg    SubscribeConfig
	log    *slog.Logger
	events chan []Record
	states chan State

	state   atomic.Int32
	lastSeq atomic.Uint64
	mu      sync.Mutex
	err     error
}

// Subscribe connects to the relay and keeps the subscription going, with
// reconnects and resumes, until ctx is done.
func Subscribe(ctx context.Context, cfg SubscribeConfig) *Subscription {
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 250 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 10 * time.Second
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 60 * time.Second
	}
	// What the relay says in its frames and refusals is logged: masked
	// whatever handler the caller chose.
	log := safetext.MaskingLogger(cfg.Logger)
	s := &Subscription{
		cfg:    cfg,
		log:    log,
		events: make(chan []Record),
		states: make(chan State, 1),
	}
	s.lastSeq.Store(cfg.After)
	s.states <- StateConnecting
	go s.run(ctx)
	return s
}

// Events delivers batches of records in ascending Seq, with no gap and no
// duplicate across reconnects. It is unbuffered: the consumer sets the
// pace, and a batch counts as delivered (LastSeq) once received. It is
// closed when ctx is done.
func (s *Subscription) Events() <-chan []Record { return s.events }

// State is the current state.
func (s *Subscription) State() State { return State(s.state.Load()) }

// States carries state changes; it holds one, and a newer change replaces
// one not yet received. It is closed, after a final StateOffline, when ctx
// is done.
func (s *Subscription) States() <-chan State { return s.states }

// LastSeq is the Seq of the last record delivered (or After). It is
// updated just after the consumer receives a batch, so a consumer keeping
// a resume point should take it from the records it has processed; once
// Events is closed, LastSeq is final.
func (s *Subscription) LastSeq() uint64 { return s.lastSeq.Load() }

// Err is the last connection error, such as "relay: 401 unauthorized:
// wrong bearer token"; nil once the subscription is live again.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *Subscription) setErr(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// setState records st and publishes it on States, replacing a change the
// consumer has not received yet. Only the run goroutine calls it.
func (s *Subscription) setState(st State) {
	if State(s.state.Swap(int32(st))) == st {
		return
	}
	select {
	case <-s.states:
	default:
	}
	select {
	case s.states <- st:
	default:
	}
}
