package live

import (
	"sync"
	"testing"
)

func hubRecords(from, n int) []Record {
	recs := make([]Record, n)
	for i := range recs {
		recs[i].Seq = uint64(from + i)
	}
	return recs
}

func TestHubQueue(t *testing.T) {
	tests := []struct {
		name         string
		limit        int
		batches      []int // sizes published before a take
		wantRecords  int
		wantOverflow bool
	}{
		{"fits", 10, []int{3, 3, 4}, 10, false},
		{"one over", 10, []int{3, 3, 5}, 0, true},
		{"big batch into an empty queue", 10, []int{50}, 50, false},
		{"big batch after one", 10, []int{1, 50}, 0, true},
		{"stays overflowed", 4, []int{4, 1, 1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHub()
			s := h.subscribe(tt.limit)
			seq := 1
			for _, n := range tt.batches {
				h.Publish(hubRecords(seq, n))
				seq += n
			}
			select {
			case <-s.ready:
			default:
				t.Fatal("nothing signalled after Publish")
			}
			batches, overflow := s.take(nil)
			if overflow != tt.wantOverflow {
				t.Fatalf("overflow = %v, want %v", overflow, tt.wantOverflow)
			}
			got := 0
			want := uint64(1)
			for _, b := range batches {
				for _, r := range b {
					if r.Seq != want {
						t.Fatalf("seq %d, want %d", r.Seq, want)
					}
					want++
					got++
				}
			}
			if got != tt.wantRecords {
				t.Fatalf("took %d records, want %d", got, tt.wantRecords)
			}
			if overflow {
				// Reset feeds it again from the next Publish only.
				s.reset()
				h.Publish(hubRecords(seq, 2))
				batches, overflow = s.take(batches)
				if overflow || len(batches) != 1 || batches[0][0].Seq != uint64(seq) {
					t.Fatalf("after reset took %v (overflow %v), want the one new batch", batches, overflow)
				}
			}
		})
	}
}

// A subscriber that never takes does not block Publish: it is marked
// overflowed and the others get everything.
func TestHubPublishNeverBlocks(t *testing.T) {
	h := NewHub()
	stalled := h.subscribe(16)
	fine := h.subscribe(1 << 20)
	if h.Subscribers() != 2 {
		t.Fatalf("Subscribers() = %d, want 2", h.Subscribers())
	}
	for i := range 1000 {
		h.Publish(hubRecords(i*10+1, 10))
	}
	if !stalled.overflowed() {
		t.Error("stalled subscriber not marked overflowed")
	}
	batches, overflow := fine.take(nil)
	n := 0
	for _, b := range batches {
		n += len(b)
	}
	if overflow || n != 10000 {
		t.Errorf("other subscriber took %d records (overflow %v), want 10000", n, overflow)
	}
	h.unsubscribe(stalled)
	h.unsubscribe(fine)
	if h.Subscribers() != 0 {
		t.Errorf("Subscribers() = %d after unsubscribing, want 0", h.Subscribers())
	}
}

// Subscribing and unsubscribing while publishing is safe (run with -race).
func TestHubConcurrent(t *testing.T) {
	h := NewHub()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				s := h.subscribe(64)
				s.take(nil)
				h.unsubscribe(s)
			}
		})
	}
	wg.Go(func() {
		for i := range 2000 {
			h.Publish(hubRecords(i+1, 1))
		}
	})
	wg.Wait()
	if h.Subscribers() != 0 {
		t.Errorf("Subscribers() = %d, want 0", h.Subscribers())
	}
}

func TestHubPublishNoAllocs(t *testing.T) {
	h := NewHub()
	subs := []*hubSub{h.subscribe(1 << 30), h.subscribe(1 << 30), h.subscribe(1 << 30)}
	batch := hubRecords(1, 100)
	var spare [][]Record
	// Warm the queues up to their steady size.
	for range 64 {
		h.Publish(batch)
	}
	for _, s := range subs {
		spare, _ = s.take(spare)
		spare, _ = s.take(spare)
	}
	allocs := testing.AllocsPerRun(100, func() {
		h.Publish(batch)
	})
	if allocs != 0 {
		t.Errorf("Publish allocates %.1f times per call, want 0", allocs)
	}
}
