package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite" // registers the "sqlite" driver
)

// SchemaVersion is the schema this code writes; PRAGMA user_version holds
// the version of a database file.
const SchemaVersion = 3

// migrations returns the schema steps in order: step i brings a database
// from version i to version i+1. Steps are only ever appended.
func migrations() []string {
	return []string{
		// v1: the event log, its indexes and the meta row that keeps the
		// sequence high-water mark across pruning.
		`CREATE TABLE events (
			seq         INTEGER PRIMARY KEY,
			provider    TEXT    NOT NULL,
			event_id    TEXT    NOT NULL,
			type        TEXT    NOT NULL,
			card_id     TEXT,
			user_id     TEXT,
			occurred_at TEXT,
			received_at INTEGER NOT NULL,
			event       BLOB    NOT NULL,
			UNIQUE (provider, event_id)
		);
		CREATE INDEX events_received_at ON events (received_at);
		CREATE INDEX events_card_id ON events (card_id) WHERE card_id IS NOT NULL;
		CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
		CREATE INDEX events_type ON events (type);
		CREATE TABLE meta (
			key   TEXT PRIMARY KEY,
			value INTEGER NOT NULL
		) WITHOUT ROWID;
		INSERT INTO meta (key, value) VALUES ('last_seq', 0), ('health_check', 0);`,
		// v2: the store's epoch, a random id made with the database (or
		// when an older one is migrated) and never changed: sequence
		// numbers compare only within one epoch, so a subscriber can tell
		// a store that restarted from 0 from the one it followed.
		`CREATE TABLE identity (
			key   TEXT PRIMARY KEY,
			value TEXT NOT NULL
		) WITHOUT ROWID;
		INSERT INTO identity (key, value) VALUES ('epoch', lower(hex(randomblob(16))));`,
		// v3: tombstones of pruned events. An event pruned while the
		// provider could still send it (by count, or within the age
		// window by its own time) is answered as the duplicate it is, not
		// stored again: Vydapay signs no time, so the same delivery is
		// valid forever. until (Unix ns) is when it stops mattering: the
		// later of its received and occurred times, after which the intake
		// refuses the event as older than the window.
		`CREATE TABLE tombstones (
			provider TEXT    NOT NULL,
			event_id TEXT    NOT NULL,
			seq      INTEGER NOT NULL,
			until    INTEGER NOT NULL,
			PRIMARY KEY (provider, event_id)
		) WITHOUT ROWID;
		CREATE INDEX tombstones_until ON tombstones (until);`,
	}
}

// dsn is the driver's name for path with the given connection pragmas.
//
// The writer runs synchronous=FULL: in WAL mode that fsyncs the log on
// every commit, so an event the relay acknowledged survives a power loss,
// not only a crash of the process (NORMAL would only sync at checkpoints).
// Group commit is what pays for that fsync, once per batch.
func dsn(path string, write bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "0")
	if write {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
	} else {
		q.Set("_query_only", "1")
	}
	// file:///abs/path, SQLite's URI form, escaped so that no character
	// of the path is read as the start of the parameters.
	u := url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}
	return u.String()
}

// open creates the file, opens both connection pools and migrates.
func (s *Store) open(ctx context.Context) error {
	if s.path == "" {
		return fmt.Errorf("empty path")
	}
	// Commit with fdatasync(2), as SQLite's own Linux builds do: it makes
	// the WAL's data and size durable exactly as fsync does, without also
	// pushing the file's timestamps through the file system's journal on
	// every commit. Where the platform has no fdatasync this fails and
	// commits keep using fsync.
	_, _ = sqlite.Fdatasync(true)
	abs, err := filepath.Abs(s.path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}

	s.writeDB, err = sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return err
	}
	s.writeDB.SetMaxOpenConns(1) // the writer's
	if s.conn, err = s.writeDB.Conn(ctx); err != nil {
		if corruption(err) {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		return err
	}
	if err := s.checkIntegrity(ctx); err != nil {
		return err
	}
	var mode string
	if err := s.conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL (is the file on a local file system?)", mode)
	}
	// The writer does the checkpoints, after answering its waiters (see
	// afterCommit); the WAL file is cut back to 64 MiB when it restarts.
	for _, p := range []string{"PRAGMA wal_autocheckpoint = 0", "PRAGMA journal_size_limit = 67108864"} {
		if _, err := s.conn.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if err := migrate(ctx, s.conn); err != nil {
		return err
	}
	if err := s.load(ctx); err != nil {
		return err
	}
	if err := s.noteFiles(abs); err != nil {
		return err
	}
	if err := s.w.prepare(ctx, s.conn); err != nil {
		return err
	}

	s.readDB, err = sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return err
	}
	s.readDB.SetMaxOpenConns(readConns)
	s.readDB.SetMaxIdleConns(readConns)
	return s.r.prepare(ctx, s.readDB)
}

// readConns is the size of the read pool: stream replays and health
// checks, a handful at a time.
const readConns = 4

// migrate applies the missing schema steps in one transaction, and refuses
// a database written by a newer carddesk.
func migrate(ctx context.Context, c *sql.Conn) (err error) {
	steps := migrations()
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = c.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	var v int
	if err := c.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(steps) {
		return fmt.Errorf("schema version %d is newer than this carddesk knows (%d): upgrade carddesk or use another database file", v, len(steps))
	}
	if v < 0 {
		return fmt.Errorf("schema version %d is not one carddesk writes", v)
	}
	for i := v; i < len(steps); i++ {
		if _, err := c.ExecContext(ctx, steps[i]); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", i+1, err)
		}
	}
	if v != len(steps) {
		// PRAGMA takes no parameters; the value is our own integer.
		if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(steps))); err != nil {
			return fmt.Errorf("set schema version %d: %w", len(steps), err)
		}
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// load reads the epoch, the sequence high-water mark and the row count.
func (s *Store) load(ctx context.Context) error {
	var meta, maxSeq, count int64
	err := s.conn.QueryRowContext(ctx,
		`SELECT (SELECT value FROM meta WHERE key = 'last_seq'),
		        COALESCE((SELECT MAX(seq) FROM events), 0),
		        (SELECT COUNT(*) FROM events),
		        (SELECT value FROM identity WHERE key = 'epoch')`).Scan(&meta, &maxSeq, &count, &s.epoch)
	if err != nil {
		return fmt.Errorf("read last sequence: %w", err)
	}
	s.last = uint64(max(meta, maxSeq))
	s.seq.Store(s.last)
	s.count.Store(count)
	return nil
}
