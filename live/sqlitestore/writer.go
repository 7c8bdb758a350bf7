package sqlitestore

import (
	"context"
	"fmt"
	"runtime"

	"github.com/carddesk/carddesk/live"
)

// request is one unit of work for the writer: an append (recs), or another
// write (op) that runs alone in its own transaction.
type request struct {
	recs []live.Record
	op   func(ctx context.Context) (int64, error)
	// ctx is an op's caller's: an op whose caller has given up is skipped.
	ctx   context.Context
	reply chan result // buffered 1: the writer never waits on a caller
}

type result struct {
	appended []live.Appended
	n        int64
	err      error
}

// do hands req to the writer and waits for its answer or for ctx.
func (s *Store) do(ctx context.Context, req *request) (result, error) {
	if err := ctx.Err(); err != nil {
		return result{}, err
	}
	s.mu.RLock()
	if s.closed.Load() {
		s.mu.RUnlock()
		return result{}, live.ErrStoreClosed
	}
	select {
	case s.reqs <- req:
		s.mu.RUnlock()
	case <-ctx.Done():
		s.mu.RUnlock()
		return result{}, ctx.Err()
	}
	select {
	case res := <-req.reply:
		return res, res.err
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

// run is the writer: it owns s.conn until reqs is closed and drained.
func (s *Store) run() {
	defer close(s.done)
	var (
		b     batch
		carry *request
		prev  int // requests in the previous batch
	)
	for {
		req := carry
		carry = nil
		if req == nil {
			var ok bool
			if req, ok = <-s.reqs; !ok {
				return
			}
		}
		if req.op != nil {
			s.runOp(req)
			continue
		}
		// Group commit: take whatever else is already queued, up to
		// maxBatch records, into the same transaction.
		b.reset(req)
		carry = s.collect(&b)
		// The callers the previous commit answered are on their way
		// back. Yielding lets them queue up and share this commit rather
		// than wait a whole commit for the next one; it stops as soon as
		// a yield brings nobody new, so a lone caller waits for nothing.
		for i := 0; carry == nil && prev > 1 && i < maxYields && b.records < s.maxBatch; i++ {
			had := len(b.reqs)
			runtime.Gosched()
			carry = s.collect(&b)
			if len(b.reqs) == had {
				break
			}
		}
		prev = len(b.reqs)
		s.commit(b.reqs, b.records)
		b.reset(nil)
	}
}

// maxYields bounds the writer's yielding for stragglers before a commit.
const maxYields = 8

// batch is the appends one transaction carries.
type batch struct {
	reqs    []*request
	records int
}

func (b *batch) reset(first *request) {
	clear(b.reqs)
	b.reqs, b.records = b.reqs[:0], 0
	if first != nil {
		b.reqs, b.records = append(b.reqs, first), len(first.recs)
	}
}

// collect moves queued appends into b without waiting, up to maxBatch
// records. It returns a request that cannot join b (an op, or an append
// that would overflow it), to go next.
func (s *Store) collect(b *batch) (carry *request) {
	for b.records < s.maxBatch {
		select {
		case next, ok := <-s.reqs:
			if !ok {
				return nil
			}
			if next.op != nil || b.records+len(next.recs) > s.maxBatch {
				return next
			}
			b.reqs = append(b.reqs, next)
			b.records += len(next.recs)
		default:
			return nil
		}
	}
	return nil
}

// runOp runs a non-append write in its own transaction.
func (s *Store) runOp(req *request) {
	if err := req.ctx.Err(); err != nil {
		req.reply <- result{err: err}
		return
	}
	ctx := context.Background()
	if err := s.begin(ctx); err != nil {
		req.reply <- result{err: err}
		return
	}
	n, err := req.op(ctx)
	if err == nil {
		err = s.commitTx(ctx)
	}
	if err != nil {
		s.rollback()
		n = 0
	}
	req.reply <- result{n: n, err: err}
	if err == nil {
		s.afterCommit(0)
	}
}

func (s *Store) begin(ctx context.Context) error {
	if _, err := s.w.begin.ExecContext(ctx); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return nil
}

func (s *Store) commitTx(ctx context.Context) error {
	if _, err := s.w.commit.ExecContext(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// rollback ends a failed transaction. SQLite may already have rolled it
// back itself (after some I/O errors); then there is nothing to end.
func (s *Store) rollback() {
	if _, err := s.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		s.log.Debug("relay store: rollback", "err", err)
	}
}

// exec runs op through the writer, in its own transaction.
func (s *Store) exec(ctx context.Context, op func(ctx context.Context) (int64, error)) (int64, error) {
	res, err := s.do(ctx, &request{op: op, ctx: ctx, reply: make(chan result, 1)})
	return res.n, err
}
