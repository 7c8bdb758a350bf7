package sqlitestore

import (
	"context"
	"fmt"
	"time"

	"github.com/carddesk/carddesk/live"
)

// Append stores recs durably and returns when they are committed (group
// commit: concurrent Appends share one transaction and one fsync).
//
// If ctx ends first, Append returns ctx's error at once, but records
// already handed to the writer may still commit: the caller must treat the
// outcome as unknown. The intake answers 503 then and the provider's retry
// is harmless, as a record whose provider and event id are stored is never
// stored twice.
//
// A record with a zero ReceivedAt is stamped with the time of the Append.
// Times are kept, streamed to OnCommit and returned by After in UTC.
func (s *Store) Append(ctx context.Context, recs []live.Record) ([]live.Appended, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	if err := s.stopped(); err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(recs), err)
	}
	own := make([]live.Record, len(recs))
	now := time.Now().UTC()
	for i, rec := range recs {
		if err := checkRecord(rec); err != nil {
			return nil, fmt.Errorf("append %d events: record %d: %w", len(recs), i, err)
		}
		if rec.ReceivedAt.IsZero() {
			rec.ReceivedAt = now
		}
		// What OnCommit streams is what After replays, byte for byte.
		rec.ReceivedAt = rec.ReceivedAt.UTC()
		rec.OccurredAt = rec.OccurredAt.UTC()
		if len(rec.Event) == 0 {
			rec.Event = nil
		}
		rec.Seq = 0
		own[i] = rec
	}
	res, err := s.do(ctx, &request{recs: own, reply: make(chan result, 1)})
	if err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(recs), err)
	}
	return res.appended, nil
}

// commit writes one batch, hands its new records to OnCommit, then answers
// every waiter; on failure every waiter gets the error and OnCommit nothing.
// A checkpoint, when one is due, runs only after the answers.
func (s *Store) commit(batch []*request, n int) {
	start := time.Now()
	fresh, answers, err := s.writeBatch(batch, n)
	if err != nil {
		s.log.Error("relay store: append failed", "events", n, "err", err)
		if corruption(err) {
			s.stop(fmt.Errorf("%w: %w", ErrCorrupt, err))
		}
	} else if ferr := s.checkFiles(); ferr != nil {
		// Committed, but to a file that is no longer the store's: not
		// acknowledged, not streamed; the providers send it again.
		s.stop(ferr)
		err = s.stopped()
	}
	s.commitNanos.Add(int64(time.Since(start)))
	if err != nil {
		s.failed.Add(1)
		for _, req := range batch {
			req.reply <- result{err: err}
		}
		return
	}
	s.commits.Add(1)
	s.appends.Add(uint64(len(batch)))
	s.records.Add(uint64(len(fresh)))
	s.duplicates.Add(uint64(n - len(fresh)))
	if len(fresh) > 0 && s.onCommit != nil {
		s.onCommit(fresh)
	}
	for i, req := range batch {
		req.reply <- result{appended: answers[i]}
	}
	s.afterCommit(len(fresh))
}

// writeBatch runs the batch's one transaction. It returns the new records
// with their seqs, in seq order, and each request's answers.
func (s *Store) writeBatch(batch []*request, n int) (fresh []live.Record, answers [][]live.Appended, err error) {
	ctx := context.Background() // a batch is shared: no one caller may cancel it
	if err := s.begin(ctx); err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			s.rollback()
		}
	}()
	last := s.last
	fresh = make([]live.Record, 0, n)
	answers = make([][]live.Appended, len(batch))
	for i, req := range batch {
		answers[i] = make([]live.Appended, len(req.recs))
		for j, rec := range req.recs {
			res, err := s.w.insert.ExecContext(ctx, insertArgs(last+1, rec)...)
			if err != nil {
				return nil, nil, fmt.Errorf("insert %s event %s: %w", rec.Provider, rec.EventID, err)
			}
			inserted, err := res.RowsAffected()
			if err != nil {
				return nil, nil, fmt.Errorf("insert %s event %s: %w", rec.Provider, rec.EventID, err)
			}
			if inserted == 1 {
				last++
				rec.Seq = last
				fresh = append(fresh, rec)
				answers[i][j] = live.Appended{Seq: last}
				continue
			}
			var seq int64
			if err := s.w.lookup.QueryRowContext(ctx, rec.Provider, rec.EventID, rec.Provider, rec.EventID).Scan(&seq); err != nil {
				return nil, nil, fmt.Errorf("look up stored %s event %s: %w", rec.Provider, rec.EventID, err)
			}
			answers[i][j] = live.Appended{Seq: uint64(seq), Duplicate: true}
		}
	}
	// The meta table's last_seq is not written here: MAX(seq) of the rows
	// is the high-water mark as long as nothing is deleted, and the prune
	// that deletes rows records it first, in its own transaction. That
	// keeps a page off every commit.
	if s.hook != nil {
		if err := s.hook(n); err != nil {
			return nil, nil, fmt.Errorf("commit: %w", err)
		}
	}
	if err := s.commitTx(ctx); err != nil {
		return nil, nil, err
	}
	s.last = last
	s.seq.Store(last)
	s.count.Add(int64(len(fresh)))
	return fresh, answers, nil
}
