package live

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// nopStore assigns sequence numbers and keeps nothing.
type nopStore struct {
	onCommit CommitFunc
	epoch    string // its sequence restarts with every nopStore

	mu     sync.Mutex
	last   uint64
	lastAt time.Time
	closed bool
}

// NewNopStore returns a Store that assigns sequence numbers in memory,
// hands every appended record to onCommit (which may be nil) and keeps
// nothing: After returns no records, nothing is a duplicate, and nothing
// survives Close. It is the "no store" baseline the load command measures
// the durable store against; a relay serving users needs a real store.
func NewNopStore(onCommit CommitFunc) Store {
	return &nopStore{onCommit: onCommit, epoch: NewToken()[:32]}
}

func (s *nopStore) Epoch() string { return s.epoch }

func (s *nopStore) Append(ctx context.Context, recs []Record) ([]Appended, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("append %d events: %w", len(recs), err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	now := time.Now().UTC()
	batch := make([]Record, len(recs))
	out := make([]Appended, len(recs))
	// The lock spans onCommit so that batches reach it in seq order, as
	// CommitFunc promises.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("append %d events: %w", len(recs), ErrStoreClosed)
	}
	for i, rec := range recs {
		if rec.ReceivedAt.IsZero() {
			rec.ReceivedAt = now
		}
		s.last++
		rec.Seq = s.last
		batch[i] = rec
		out[i] = Appended{Seq: rec.Seq}
		if rec.ReceivedAt.After(s.lastAt) {
			s.lastAt = rec.ReceivedAt
		}
	}
	if s.onCommit != nil {
		s.onCommit(batch)
	}
	return out, nil
}

func (s *nopStore) After(ctx context.Context, after uint64, limit int) ([]Record, error) {
	if err := s.check(ctx); err != nil {
		return nil, fmt.Errorf("read events after %d: %w", after, err)
	}
	return nil, nil
}

func (s *nopStore) LastSeq(ctx context.Context) (uint64, error) {
	if err := s.check(ctx); err != nil {
		return 0, fmt.Errorf("read last sequence: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last, nil
}

func (s *nopStore) Health(ctx context.Context) (StoreHealth, error) {
	if err := s.check(ctx); err != nil {
		return StoreHealth{}, fmt.Errorf("store health: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return StoreHealth{Writable: true, LastSeq: s.last, LastEventAt: s.lastAt, Epoch: s.epoch}, nil
}

func (s *nopStore) Prune(ctx context.Context, r Retention, now time.Time) (int64, error) {
	if err := s.check(ctx); err != nil {
		return 0, fmt.Errorf("prune events: %w", err)
	}
	return 0, nil
}

func (s *nopStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// check says why the store cannot serve a call, if it cannot.
func (s *nopStore) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrStoreClosed
	}
	return nil
}
