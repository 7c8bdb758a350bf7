package live

import (
	"context"
	"errors"
	"time"
)

// Appended is the outcome of appending one record.
type Appended struct {
	Seq uint64
	// Duplicate says the provider and event id were already stored; Seq is
	// then the sequence number of the stored copy.
	Duplicate bool
}

// CommitFunc receives each committed batch of new records (duplicates
// excluded), in ascending sequence order, batches in commit order, before
// the Append calls that carried them return. It must not block: the hub's
// Publish is one.
type CommitFunc func([]Record)

// StoreHealth is what /healthz reports of the store.
type StoreHealth struct {
	Writable    bool      `json:"writable"`
	LastSeq     uint64    `json:"last_seq"`
	LastEventAt time.Time `json:"last_event_at"`
	Count       int64     `json:"count"`
	// Epoch is the store's (see Store.Epoch).
	Epoch string `json:"epoch,omitempty"`
	// Integrity is "ok" when the store's check at open found its data
	// intact and no read since found damage; otherwise what was found.
	// Empty from a store that does not check.
	Integrity string `json:"integrity,omitempty"`
	// ReadErrors counts the reads that failed since the store opened
	// (not those their caller gave up on).
	ReadErrors uint64 `json:"read_errors"`
	// Problem says, in words for an operator, why the store acknowledges
	// nothing more and what to do; empty while it works.
	Problem string `json:"problem,omitempty"`
}

// Retention bounds what a store keeps. Zero fields do not bound.
type Retention struct {
	MaxAge   time.Duration
	MaxCount int64
}

// Store keeps events durably and in sequence. Implementations are safe for
// concurrent use; SQLite is the default, and a distributed log can stand
// behind the same interface.
type Store interface {
	// Append stores recs (their Seq is ignored) and returns only when they
	// are durable: one Appended per record, in order. Concurrent calls
	// share commits (group commit). A record whose provider and event id
	// are already stored is not stored again.
	Append(ctx context.Context, recs []Record) ([]Appended, error)
	// After returns up to limit records with Seq > after, ascending.
	After(ctx context.Context, after uint64, limit int) ([]Record, error)
	// LastSeq is the highest sequence number ever assigned (0 when none).
	LastSeq(ctx context.Context) (uint64, error)
	// Epoch identifies the store's sequence: made with the store, never
	// reused. Sequence numbers compare only within one epoch; a store that
	// starts again from 0 (its file lost, another restored) has another.
	// "" from a store that has none: subscribers then cannot tell.
	Epoch() string
	// Health checks the store can still write, and reports its state.
	Health(ctx context.Context) (StoreHealth, error)
	// Prune deletes records beyond the retention, oldest first, and says
	// how many went. Sequence numbers are never reused after a prune.
	Prune(ctx context.Context, r Retention, now time.Time) (int64, error)
	// Close waits for in-flight appends and releases the store.
	Close() error
}

// ErrStoreClosed is returned by a store used after Close.
var ErrStoreClosed = errors.New("store closed")

// ErrStoreStopped marks the refusal of a store that acknowledges nothing
// more until the relay restarts (its file damaged, deleted or replaced).
// The store has said why, once; its Health says it as long as it lasts.
var ErrStoreStopped = errors.New("store stopped")
