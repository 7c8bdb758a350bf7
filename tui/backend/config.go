package backend

import (
	"context"
	"log/slog"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
)

// Defaults for Config's zero values.
const (
	DefaultCacheTTL  = 30 * time.Second
	DefaultPingEvery = 15 * time.Second
	// FeedLimit is how many updates a session's feed keeps pending before
	// it drops the oldest.
	FeedLimit = 100_000
)

// Config configures a Backend. Client is required.
type Config struct {
	Client api.Client
	// Monitor, when set, is a client of the same provider with a separate
	// monitoring key, whose budget the background lane spends (card
	// lookups for live rows, health checks) instead of Client's.
	Monitor api.Client
	// Relay is the live feed of events; nil means no relay (the health says
	// offline, "no relay configured").
	Relay  RelayFeed
	Logger *slog.Logger // nil → discard
	Now    func() time.Time
	// CacheTTL is how long a read is served from the cache; older reads are
	// fetched again. Events keep cached objects current meanwhile. 0 → 30s.
	CacheTTL time.Duration
	// PingEvery is how often Run checks the API. 0 → 15s.
	PingEvery time.Duration
	// Audit records every action attempt; nil → no audit.
	Audit Auditor
}

// RelayFeed is the relay subscription the backend consumes;
// *live.Subscription fits. A feed that also has Down() time.Time (since
// when it has not been live) lets the health say since when the views are
// not current.
type RelayFeed interface {
	Events() <-chan []live.Record
	State() live.State
	Err() error
}

// Auditor records action attempts. Record must not return before the entry
// is durable: the outcome is shown only after it returns.
type Auditor interface {
	Record(ctx context.Context, e AuditEntry) error
}

// AuditEntry is one line of the audit log. An action the provider is asked
// to take has two: its attempt (OutcomePending), written and synced before
// the call, and its outcome after, both with the same Attempt id. A refusal
// decided before any call is one line. It never carries a card number or
// CVC.
type AuditEntry struct {
	Time        time.Time `json:"time"`
	Agent       string    `json:"agent"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Session     string    `json:"session,omitempty"`
	Action      Action    `json:"action"`
	CardID      string    `json:"card_id"`
	LastFour    string    `json:"last_four,omitempty"`
	// Reason is the agent's reason for a reveal, or the termination reason.
	Reason string `json:"reason,omitempty"`
	// Attempt pairs the attempt's line with its outcome's; empty on a
	// refusal, which is one line.
	Attempt string `json:"attempt,omitempty"`
	// Outcome is OutcomePending, OutcomeOK, "refused: <why>" or
	// "error: <message>"; a reader shows a pending attempt that no outcome
	// followed as OutcomeMissing.
	Outcome string `json:"outcome"`
	// RequestID is the provider's id of the action's request, whether it
	// succeeded or failed, when the provider sent one.
	RequestID string `json:"request_id,omitempty"`
}

// Outcomes of an audit entry, besides "refused: <why>" and
// "error: <message>".
const (
	OutcomeOK = "ok"
	// OutcomePending is the attempt's line, written before the provider is
	// called; its outcome's line follows.
	OutcomePending = "pending"
	// OutcomeMissing is how ReadAuditLog shows an attempt that no outcome
	// followed: the process stopped, or the log could not be written,
	// between the call and its answer. The action may have been done.
	OutcomeMissing = "no outcome recorded — the process may have stopped"
)

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.CacheTTL <= 0 {
		c.CacheTTL = DefaultCacheTTL
	}
	if c.PingEvery <= 0 {
		c.PingEvery = DefaultPingEvery
	}
	return c
}
