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
	// Seq > After. Epoch is the epoch of the store After was taken from
	// (see Store.Epoch), "" if unknown: a relay whose store is another one
	// then streams its own from the start.
	After uint64
	Epoch string
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
	down    time.Time   // since when it is not live; zero while live
	epoch   string      // the store LastSeq counts in; "" until a relay says
	change  StoreChange // the last move to another store; zero if none
}

// StoreChange is a subscription's move from the relay's store it followed
// to another one (the relay's database lost and made again, or another
// restored): the events of the old one are gone from the relay, and the
// subscription resumed from the start of the new one.
type StoreChange struct {
	At       time.Time
	From, To string // the two stores' epochs
	LastSeq  uint64 // the last seq delivered from the old store
	Message  string // the relay's words, terminal-safe
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
	s.epoch = cfg.Epoch
	s.down = time.Now()
	s.states <- StateConnecting
	go s.run(ctx)
	return s
}

// Events delivers batches of records in ascending Seq, with no gap and no
// duplicate across reconnects, each record's Epoch set to the store it
// came from. When the relay's store changes (see StoreChanged) Seq starts
// again from 1 under the new Epoch. It is unbuffered: the consumer sets
// the pace, and a batch counts as delivered (LastSeq) once received. It is
// closed when ctx is done.
func (s *Subscription) Events() <-chan []Record { return s.events }

// State is the current state.
func (s *Subscription) State() State { return State(s.state.Load()) }

// States carries state changes; it holds one, and a newer change replaces
// one not yet received. It is closed, after a final StateOffline, when ctx
// is done.
func (s *Subscription) States() <-chan State { return s.states }

// LastSeq is the Seq of the last record delivered (or After), in the
// store Epoch names. It is updated just after the consumer receives a
// batch, so a consumer keeping a resume point should take it (and the
// epoch) from the records it has processed; once Events is closed,
// LastSeq is final.
func (s *Subscription) LastSeq() uint64 { return s.lastSeq.Load() }

// Epoch is the epoch of the relay's store the subscription follows: the
// one its relay named, or SubscribeConfig.Epoch before any did; "" while
// unknown (a relay from before epochs names none).
func (s *Subscription) Epoch() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.epoch
}

// StoreChanged reports the last time the relay's store turned out to be
// another one than the subscription followed, if it ever did.
func (s *Subscription) StoreChanged() (StoreChange, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.change, !s.change.At.IsZero()
}

// setEpoch records the store the relay named. Only the run goroutine
// calls it.
func (s *Subscription) setEpoch(epoch string) {
	s.mu.Lock()
	s.epoch = epoch
	s.mu.Unlock()
}

// storeChanged starts the subscription over at the start of the store
// named by a reset frame. Only the run goroutine calls it, between
// deliveries.
func (s *Subscription) storeChanged(to, message string) {
	s.mu.Lock()
	c := StoreChange{At: time.Now(), From: s.epoch, To: to, LastSeq: s.lastSeq.Load(), Message: printable(message)}
	s.epoch, s.change = to, c
	s.mu.Unlock()
	s.lastSeq.Store(0)
	s.log.Warn("relay store changed: resuming from the start of the new one",
		"from", c.From, "to", c.To, "last_seq", c.LastSeq, "message", c.Message)
}

// Err is the last connection error, such as "relay: 401 unauthorized:
// wrong bearer token"; nil once the subscription is live again. TroubleOf
// says what it means for an operator.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Down is since when the subscription has not been live: when its
// connection was lost, or when it started if it never was live. It stays
// while it reconnects and replays what it missed, and is zero once the
// relay says it is live again — what a dashboard shows between is not
// current.
func (s *Subscription) Down() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down
}

// lostAt records since when the subscription is not live (zero: it is).
func (s *Subscription) lostAt(t time.Time) {
	s.mu.Lock()
	s.down = t
	s.mu.Unlock()
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
