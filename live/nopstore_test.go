package live

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestNopStore(t *testing.T) {
	ctx := context.Background()
	var (
		mu      sync.Mutex
		batches [][]Record
	)
	s := NewNopStore(func(recs []Record) {
		mu.Lock()
		defer mu.Unlock()
		batches = append(batches, recs)
	})
	received := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

	// Concurrent appends: seqs 1..N once each, and OnCommit sees them in
	// ascending order across batches.
	const goroutines, each = 8, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				recs := []Record{
					{Provider: "vydapay", EventID: fmt.Sprintf("evt_%d_%d_a", g, i), ReceivedAt: received},
					{Provider: "vydapay", EventID: fmt.Sprintf("evt_%d_%d_b", g, i)},
				}
				got, err := s.Append(ctx, recs)
				if err != nil || len(got) != 2 || got[1].Seq != got[0].Seq+1 || got[0].Duplicate {
					t.Errorf("Append = %+v, %v; want two consecutive new seqs", got, err)
				}
				if recs[0].Seq != 0 {
					t.Errorf("Append wrote into the caller's records")
				}
			}
		})
	}
	wg.Wait()
	var next uint64 = 1
	for _, b := range batches {
		for _, r := range b {
			if r.Seq != next {
				t.Fatalf("OnCommit saw seq %d, want %d", r.Seq, next)
			}
			if r.ReceivedAt.IsZero() {
				t.Fatalf("record %d has no ReceivedAt", r.Seq)
			}
			next++
		}
	}
	const n = goroutines * each * 2
	if next != n+1 {
		t.Fatalf("OnCommit saw %d records, want %d", next-1, n)
	}

	cases := []struct {
		name string
		call func() (any, error)
		want any
	}{
		{"LastSeq", func() (any, error) { return s.LastSeq(ctx) }, uint64(n)},
		{"After keeps nothing", func() (any, error) { r, err := s.After(ctx, 0, 100); return len(r), err }, 0},
		{"Prune", func() (any, error) { return s.Prune(ctx, Retention{MaxCount: 1}, received) }, int64(0)},
		{"Health", func() (any, error) { return s.Health(ctx) }, StoreHealth{Writable: true, LastSeq: n, LastEventAt: lastReceived(batches), Epoch: s.Epoch()}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.call()
			if err != nil || got != c.want {
				t.Errorf("= %v, %v; want %v", got, err, c.want)
			}
		})
	}

	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := s.Append(ctx, []Record{{Provider: "vydapay", EventID: "late"}}); !errors.Is(err, ErrStoreClosed) {
		t.Errorf("Append after Close: %v, want ErrStoreClosed", err)
	}
	if _, err := s.LastSeq(ctx); !errors.Is(err, ErrStoreClosed) {
		t.Errorf("LastSeq after Close: %v, want ErrStoreClosed", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewNopStore(nil).Append(cancelled, []Record{{Provider: "vydapay", EventID: "x"}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Append with a cancelled ctx: %v, want context.Canceled", err)
	}
}

func lastReceived(batches [][]Record) time.Time {
	var last time.Time
	for _, b := range batches {
		for _, r := range b {
			if r.ReceivedAt.After(last) {
				last = r.ReceivedAt
			}
		}
	}
	return last
}
