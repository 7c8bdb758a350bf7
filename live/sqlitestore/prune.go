package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
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
//
// Each pruned event leaves a tombstone for as long as its provider could
// still send it as new: until its own time (the later of when it occurred
// and when it was received) is older than now-MaxAge, when the intake
// refuses it as too old; for good when MaxAge is zero. An Append of a
// tombstoned event is a duplicate of its old seq. The tombstones past that
// time go first.
func (s *Store) Prune(ctx context.Context, r live.Retention, now time.Time) (int64, error) {
	if s.closed.Load() {
		return 0, fmt.Errorf("prune events: %w", live.ErrStoreClosed)
	}
	horizon := int64(math.MinInt64) // tombstones kept from this time on
	var total int64
	if r.MaxAge > 0 {
		cutoff := now.Add(-r.MaxAge)
		if !fitsNanos(cutoff) {
			return 0, fmt.Errorf("prune events: cutoff %s out of range", cutoff.Format(time.RFC3339))
		}
		horizon = cutoff.UnixNano()
		if err := s.expireTombstones(ctx, horizon); err != nil {
			return 0, fmt.Errorf("prune tombstones older than %s: %w", cutoff.Format(time.RFC3339), err)
		}
		n, err := s.pruneWhile(ctx, `DELETE FROM events WHERE seq IN
			(SELECT seq FROM events WHERE received_at < ? ORDER BY received_at LIMIT ?)`, cutoff.UnixNano(), horizon)
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
			(SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)`, cut, horizon)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune events beyond %d: %w", r.MaxCount, err)
		}
	}
	return total, nil
}

// pruneWhile runs the chunked delete (its last parameter the chunk size,
// its rows returned as prunedColumns) until a chunk deletes less than a
// full one, leaving a tombstone for each deleted event whose time is at or
// after horizon.
func (s *Store) pruneWhile(ctx context.Context, query string, arg, horizon int64) (int64, error) {
	query += " RETURNING " + prunedColumns
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
			gone, err := s.deleteReturning(ctx, query, arg)
			if err != nil {
				return 0, err
			}
			for _, p := range gone {
				if p.until < horizon {
					continue
				}
				if _, err := s.w.tombstone.ExecContext(ctx, p.provider, p.eventID, p.seq, p.until); err != nil {
					return 0, fmt.Errorf("tombstone %s event %s: %w", p.provider, p.eventID, err)
				}
			}
			return int64(len(gone)), nil
		})
		s.count.Add(-n)
		total += n
		if err != nil || n < int64(s.chunk) {
			return total, err
		}
	}
}

// prunedColumns are what a pruning DELETE returns of each row.
const prunedColumns = `provider, event_id, seq, received_at, occurred_at`

// pruned is one deleted event, as its tombstone needs it.
type pruned struct {
	provider, eventID string
	seq, until        int64
}

// deleteReturning runs a DELETE … RETURNING prunedColumns and reads what
// it deleted.
func (s *Store) deleteReturning(ctx context.Context, query string, arg int64) ([]pruned, error) {
	rows, err := s.conn.QueryContext(ctx, query, arg, s.chunk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pruned
	for rows.Next() {
		var (
			p        pruned
			received int64
			occurred sql.NullString
		)
		if err := rows.Scan(&p.provider, &p.eventID, &p.seq, &received, &occurred); err != nil {
			return nil, err
		}
		p.until = received
		if t, err := time.Parse(time.RFC3339Nano, occurred.String); occurred.Valid && err == nil && fitsNanos(t) {
			p.until = max(p.until, t.UnixNano())
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// expireTombstones deletes the tombstones whose time is before horizon;
// when there is none (looked up in the read pool) the writer is not asked.
func (s *Store) expireTombstones(ctx context.Context, horizon int64) error {
	var one int
	err := s.readDB.QueryRowContext(ctx, `SELECT 1 FROM tombstones WHERE until < ? LIMIT 1`, horizon).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return s.readFailed(err)
	}
	_, err = s.chunked(ctx, `DELETE FROM tombstones WHERE (provider, event_id) IN
		(SELECT provider, event_id FROM tombstones WHERE until < ? LIMIT ?)`, horizon)
	return err
}

// chunked runs a delete (its last parameter the chunk size) through the
// writer until a chunk deletes less than a full one.
func (s *Store) chunked(ctx context.Context, query string, arg int64) (int64, error) {
	var total int64
	for {
		n, err := s.exec(ctx, func(ctx context.Context) (int64, error) {
			res, err := s.conn.ExecContext(ctx, query, arg, s.chunk)
			if err != nil {
				return 0, err
			}
			return res.RowsAffected()
		})
		total += n
		if err != nil || n < int64(s.chunk) {
			return total, err
		}
	}
}
