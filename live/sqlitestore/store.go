package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/live"
)

// DefaultMaxBatch is the number of records one commit carries at most when
// Options.MaxBatch is zero.
const DefaultMaxBatch = 1024

// Options configure a Store.
type Options struct {
	// OnCommit receives each committed batch of new records, in sequence
	// order, before the Appends that carried them return. May be nil.
	OnCommit live.CommitFunc
	// MaxBatch bounds the records of one commit; 0 means DefaultMaxBatch.
	// An Append larger than MaxBatch still commits whole, alone.
	MaxBatch int
	// Logger receives the store's own troubles; nil discards them.
	Logger *slog.Logger

	// beforeCommit, when set (tests only), runs in the writer just before
	// COMMIT; an error it returns fails the batch as a failed commit would.
	beforeCommit func(records int) error
	// pruneChunk, when set (tests only), replaces defaultPruneChunk.
	pruneChunk int
}

// Stats count what the writer did since Open.
type Stats struct {
	// Commits is the number of append transactions committed.
	Commits uint64
	// Appends is the number of Append calls those commits answered.
	Appends uint64
	// Records is the number of new records stored; Duplicates the number
	// of records that were already stored.
	Records    uint64
	Duplicates uint64
	// Failed is the number of append transactions that failed.
	Failed uint64
	// Checkpoints is the number of WAL checkpoints run.
	Checkpoints uint64
	// CommitTime and CheckpointTime are the writer's time spent in append
	// transactions (fsync included) and in checkpoints: their sum over the
	// elapsed time is how busy the writer was.
	CommitTime, CheckpointTime time.Duration
}

// Store is the SQLite live.Store. It is safe for concurrent use.
type Store struct {
	path     string
	log      *slog.Logger
	onCommit live.CommitFunc
	maxBatch int
	hook     func(int) error
	chunk    int // rows per prune transaction

	writeDB *sql.DB
	conn    *sql.Conn  // the writer's connection, used by run's goroutine only
	files   []openFile // the database file and its WAL, as opened
	w       writeStmts
	readDB  *sql.DB
	r       readStmts

	// mu guards closed against sends on reqs: Append holds it shared while
	// it sends, Close holds it exclusively to close reqs.
	mu     sync.RWMutex
	closed atomic.Bool
	reqs   chan *request
	done   chan struct{}

	// The writer's counts since its last checkpoint.
	sinceCommits, sinceRecords int

	epoch string        // the database's epoch, read at open
	last  uint64        // highest seq assigned; the writer's own
	seq   atomic.Uint64 // last, published after each commit
	count atomic.Int64  // rows in events

	commits, appends, records, duplicates, failed, checkpoints atomic.Uint64
	commitNanos, checkpointNanos                               atomic.Int64

	// fault is why the store acknowledges nothing more (nil while it
	// works); integrity what the last look at the data found; readErrors
	// and lastReadError the reads that failed.
	fault         atomic.Pointer[error]
	integrity     atomic.Pointer[string]
	readErrors    atomic.Uint64
	lastReadError atomic.Pointer[string]
}

var _ live.Store = (*Store)(nil)

// Open opens (creating it with mode 0600 if needed) the store at path,
// brings its schema up to date and starts the writer. ctx bounds the
// opening only; the store lives until Close.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	s := &Store{
		path:     path,
		log:      opts.Logger,
		onCommit: opts.OnCommit,
		maxBatch: opts.MaxBatch,
		hook:     opts.beforeCommit,
		chunk:    opts.pruneChunk,
		done:     make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBatch <= 0 {
		s.maxBatch = DefaultMaxBatch
	}
	if s.chunk <= 0 {
		s.chunk = defaultPruneChunk
	}
	if err := s.open(ctx); err != nil {
		s.release()
		return nil, fmt.Errorf("open relay store %s: %w", path, err)
	}
	s.reqs = make(chan *request, s.maxBatch)
	go s.run()
	return s, nil
}

// Epoch is the database's epoch: made with it, kept in it, never changed.
func (s *Store) Epoch() string { return s.epoch }

// Stats reports the writer's counters.
func (s *Store) Stats() Stats {
	return Stats{
		Commits:        s.commits.Load(),
		Appends:        s.appends.Load(),
		Records:        s.records.Load(),
		Duplicates:     s.duplicates.Load(),
		Failed:         s.failed.Load(),
		Checkpoints:    s.checkpoints.Load(),
		CommitTime:     time.Duration(s.commitNanos.Load()),
		CheckpointTime: time.Duration(s.checkpointNanos.Load()),
	}
}

// Close stops accepting appends, commits those already queued, and closes
// the database. Later calls of the other methods return live.ErrStoreClosed;
// a second Close does nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		return nil
	}
	s.closed.Store(true)
	close(s.reqs)
	s.mu.Unlock()
	<-s.done
	if err := s.release(); err != nil {
		return fmt.Errorf("close relay store %s: %w", s.path, err)
	}
	return nil
}

// release closes whatever open managed to open.
func (s *Store) release() error {
	var errs []error
	errs = append(errs, s.w.close()...)
	errs = append(errs, s.r.close()...)
	if s.conn != nil {
		errs = append(errs, s.conn.Close())
	}
	if s.writeDB != nil {
		errs = append(errs, s.writeDB.Close())
	}
	if s.readDB != nil {
		errs = append(errs, s.readDB.Close())
	}
	return errors.Join(errs...)
}
