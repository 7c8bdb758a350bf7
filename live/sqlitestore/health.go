package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/carddesk/carddesk/live"
)

// Health checks that the store can still write, with a real transaction
// through the writer (it waits its turn behind queued appends), and
// reports the store's state. When the check fails, the returned health
// says Writable false, its other fields are filled as far as they could
// be read, and the error says why. A store that has stopped acknowledging
// (its file damaged) is not written to: Problem says why, and what to do.
func (s *Store) Health(ctx context.Context) (live.StoreHealth, error) {
	if s.closed.Load() {
		return live.StoreHealth{}, fmt.Errorf("store health: %w", live.ErrStoreClosed)
	}
	h := live.StoreHealth{LastSeq: s.seq.Load(), Count: s.count.Load(), Epoch: s.epoch, ReadErrors: s.readErrors.Load()}
	if v := s.integrity.Load(); v != nil {
		h.Integrity = *v
	}
	if err := s.checkFiles(); err != nil {
		s.stop(err)
	}
	werr := s.stopped()
	if werr != nil {
		h.Problem = s.problem(werr)
	} else {
		_, werr = s.exec(ctx, func(ctx context.Context) (int64, error) {
			_, err := s.w.health.ExecContext(ctx)
			return 0, err
		})
		if werr != nil {
			werr = fmt.Errorf("write check: %w", werr)
		}
	}
	h.Writable = werr == nil

	var last sql.NullInt64
	rerr := s.r.lastEventAt.QueryRowContext(ctx).Scan(&last)
	if rerr != nil {
		rerr = fmt.Errorf("read last event time: %w", s.readFailed(rerr))
	} else if last.Valid {
		h.LastEventAt = time.Unix(0, last.Int64).UTC()
	}
	h.ReadErrors = s.readErrors.Load()
	if err := errors.Join(werr, rerr); err != nil {
		return h, fmt.Errorf("store health: %w", err)
	}
	return h, nil
}
