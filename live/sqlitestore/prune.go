package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/carddesk/carddesk/live"
)

// defaultPruneChunk is how many rows one prune transaction deletes at most, so
// that appends queued behind it wait for one small transaction, not for
// the whole prune.
const defaultPruneChunk = 2000

// Prune deletes the events received before now-MaxAge, then the oldest
// beyond MaxCount, in chunks that go through the writer between appends.
// It returns how many were deleted, also when ctx ends part way.
func (s *Store) Prune(ctx context.Context, r live.Retention, now time.Time) (int64, error) {
	if s.closed.Load() {
		return 0, fmt.Errorf("prune events: %w", live.ErrStoreClosed)
	}
	var total int64
	if r.MaxAge > 0 {
		cutoff := now.Add(-r.MaxAge)
		if !fitsNanos(cutoff) {
			return 0, fmt.Errorf("prune events: cutoff %s out of range", cutoff.Format(time.RFC3339))
		}
		n, err := s.pruneWhile(ctx, `DELETE FROM events WHERE seq IN
			(SELECT seq FROM events WHERE received_at < ? ORDER BY received_at LIMIT ?)`, cutoff.UnixNano())
		total += n
		if err != nil {
			return total, fmt.Errorf("prune events received before %s: %w", cutoff.Format(time.RFC3339), err)
		}
	}
	if r.MaxCount > 0 {
		// Everything at or below the newest seq beyond the MaxCount newest
		// goes; appends during the prune only add higher seqs.
		var cut int64
		err := s.readDB.QueryRowContext(ctx,
			`SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?`, r.MaxCount).Scan(&cut)
		if errors.Is(err, sql.ErrNoRows) {
			return total, nil
		}
		if err != nil {
			return total, fmt.Errorf("prune events beyond %d: %w", r.MaxCount, s.readFailed(err))
		}
		n, err := s.pruneWhile(ctx, `DELETE FROM events WHERE seq IN
			(SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)`, cut)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune events beyond %d: %w", r.MaxCount, err)
		}
	}
	return total, nil
}

// pruneWhile runs the chunked delete (its last parameter the chunk size)
// until a chunk deletes less than a full one.
func (s *Store) pruneWhile(ctx context.Context, query string, arg int64) (int64, error) {
	var total int64
	for {
		n, err := s.exec(ctx, func(ctx context.Context) (int64, error) {
			// The high-water mark goes into meta in the transaction that
			// may delete the newest row, so a reopened store never reuses
			// a seq (appends do not write it; load takes the larger of it
			// and MAX(seq)). This runs on the writer: s.last is its own.
			if _, err := s.w.setLast.ExecContext(ctx, int64(s.last)); err != nil {
				return 0, fmt.Errorf("record last sequence: %w", err)
			}
			res, err := s.conn.ExecContext(ctx, query, arg, s.chunk)
			if err != nil {
				return 0, err
			}
			return res.RowsAffected()
		})
		s.count.Add(-n)
		total += n
		if err != nil || n < int64(s.chunk) {
			return total, err
		}
	}
}
