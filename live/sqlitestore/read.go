package sqlitestore

import (
	"context"
	"fmt"
	"math"

	"github.com/carddesk/carddesk/live"
)

// MaxAfter is the most records one After returns.
const MaxAfter = 10000

// After returns up to limit records with Seq > after, ascending. A limit
// of zero or less, or above MaxAfter, means MaxAfter.
func (s *Store) After(ctx context.Context, after uint64, limit int) ([]live.Record, error) {
	if s.closed.Load() {
		return nil, fmt.Errorf("read events after %d: %w", after, live.ErrStoreClosed)
	}
	if limit <= 0 || limit > MaxAfter {
		limit = MaxAfter
	}
	if after > math.MaxInt64 {
		return nil, nil // no seq is that high
	}
	recs, err := s.after(ctx, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read events after %d: %w", after, s.readFailed(err))
	}
	return recs, nil
}

func (s *Store) after(ctx context.Context, after uint64, limit int) ([]live.Record, error) {
	rows, err := s.r.after.QueryContext(ctx, int64(after), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var recs []live.Record
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, rows.Err()
}

// LastSeq is the highest sequence number ever assigned, kept by the writer
// (and in the meta table, so pruning never lowers it).
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	if s.closed.Load() {
		return 0, fmt.Errorf("read last sequence: %w", live.ErrStoreClosed)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("read last sequence: %w", err)
	}
	return s.seq.Load(), nil
}
