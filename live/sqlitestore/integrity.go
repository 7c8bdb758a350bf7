package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/carddesk/carddesk/live"
)

// ErrCorrupt marks a database whose data is damaged: it failed the
// integrity check at open, or a read or a write found damage since.
var ErrCorrupt = errors.New("database is damaged")

// maxProblems is how many of quick_check's findings an error quotes.
const maxProblems = 5

// corruption says whether err is SQLite finding the file damaged or not a
// database at all.
func corruption(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}

// checkIntegrity runs PRAGMA quick_check, which reads every page of the
// file (O(N), without the index cross-checks of integrity_check), and
// says what it found. A database acknowledges webhooks: one whose pages
// are damaged must not, since what it writes may be lost with the rest.
func (s *Store) checkIntegrity(ctx context.Context) error {
	start := time.Now()
	problems, err := quickCheck(ctx, s.conn)
	switch {
	case err != nil && corruption(err):
		problems = []string{err.Error()}
	case err != nil:
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: PRAGMA quick_check found: %s; restore it from a backup, or move it aside with its -wal and -shm files to start an empty store",
			ErrCorrupt, strings.Join(problems, "; "))
	}
	var pages int64
	_ = s.conn.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages)
	s.integrity.Store(ptr("ok"))
	s.log.Info("relay store: integrity checked", "path", s.path, "pages", pages, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// quickCheck runs the pragma and returns its findings; none when it says
// "ok".
func quickCheck(ctx context.Context, c *sql.Conn) ([]string, error) {
	rows, err := c.QueryContext(ctx, fmt.Sprintf("PRAGMA quick_check(%d)", maxProblems))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			found = append(found, line)
		}
	}
	return found, rows.Err()
}

// readFailed counts a failed read (unless its caller gave up on it) and,
// when the read found damage, stops the store. It returns err.
func (s *Store) readFailed(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	s.readErrors.Add(1)
	s.lastReadError.Store(ptr(err.Error()))
	if corruption(err) {
		s.stop(fmt.Errorf("%w: %w", ErrCorrupt, err))
	}
	return err
}

// stop makes the store refuse every append from now on, for err; the
// first reason is kept, reported by Health, and logged once.
func (s *Store) stop(err error) {
	if !s.fault.CompareAndSwap(nil, &err) {
		return
	}
	if errors.Is(err, ErrCorrupt) {
		s.integrity.Store(ptr("damaged: " + strings.TrimPrefix(err.Error(), ErrCorrupt.Error()+": ")))
	}
	s.log.Error("relay store: acknowledging nothing more", "problem", s.problem(err))
}

// stopped is why the store refuses appends (an error that is
// live.ErrStoreStopped and its cause), or nil.
func (s *Store) stopped() error {
	if err := s.fault.Load(); err != nil {
		return stoppedError{*err}
	}
	return nil
}

// stoppedError is a stopped store's refusal.
type stoppedError struct{ cause error }

func (e stoppedError) Error() string   { return e.cause.Error() }
func (e stoppedError) Unwrap() []error { return []error{live.ErrStoreStopped, e.cause} }

// problem is what an operator reads about err in /healthz and the log.
func (s *Store) problem(err error) string {
	switch {
	case errors.Is(err, ErrCorrupt):
		return fmt.Sprintf("database file %s is damaged (%s); restore it from a backup, or move it aside with its -wal and -shm files to start an empty store, then restart the relay",
			s.path, strings.TrimPrefix(err.Error(), ErrCorrupt.Error()+": "))
	case errors.Is(err, ErrFileGone):
		return err.Error() + "; restart the relay (it acknowledges nothing until then: providers retry)"
	}
	return err.Error()
}

func ptr[T any](v T) *T { return &v }
