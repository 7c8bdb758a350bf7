package sqlitestore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

func TestPrune(t *testing.T) {
	t0 := baseTime()
	cases := []struct {
		name    string
		n       int // records, received one minute apart from t0
		r       live.Retention
		now     time.Time
		deleted int64
		first   uint64 // lowest seq kept (0: none kept)
	}{
		{"nothing bounds", 10, live.Retention{}, t0.Add(time.Hour), 0, 1},
		{"by age", 10, live.Retention{MaxAge: 5 * time.Minute}, t0.Add(9 * time.Minute), 4, 5},
		{"by age, exactly at the cutoff kept", 10, live.Retention{MaxAge: 9 * time.Minute}, t0.Add(9 * time.Minute), 0, 1},
		{"by age, all", 10, live.Retention{MaxAge: time.Minute}, t0.Add(time.Hour), 10, 0},
		{"by count", 10, live.Retention{MaxCount: 3}, t0, 7, 8},
		{"by count, under it", 10, live.Retention{MaxCount: 30}, t0, 0, 1},
		{"age then count", 10, live.Retention{MaxAge: 5 * time.Minute, MaxCount: 2}, t0.Add(9 * time.Minute), 8, 9},
		{"count then age bind", 10, live.Retention{MaxAge: 2 * time.Minute, MaxCount: 5}, t0.Add(9 * time.Minute), 7, 8},
		{"many chunks", 3*testChunk + 7, live.Retention{MaxCount: 5}, t0, 3*testChunk + 2, 3*testChunk + 3},
		{"many chunks by age", 3 * testChunk, live.Retention{MaxAge: time.Minute}, t0.Add(time.Duration(3*testChunk) * time.Minute), 3*testChunk - 1, 3 * testChunk},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{pruneChunk: testChunk})
			recs := make([]live.Record, c.n)
			for i := range recs {
				recs[i] = declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", i), t0.Add(time.Duration(i)*time.Minute))
			}
			if _, err := s.Append(ctx, recs); err != nil {
				t.Fatalf("Append: %v", err)
			}
			got, err := s.Prune(ctx, c.r, c.now)
			if err != nil || got != c.deleted {
				t.Fatalf("Prune = %d, %v; want %d deleted", got, err, c.deleted)
			}
			kept := readAll(t, s)
			if want := int64(c.n) - c.deleted; int64(len(kept)) != want {
				t.Fatalf("%d records kept, want %d", len(kept), want)
			}
			if c.first == 0 {
				return
			}
			for i, r := range kept {
				if r.Seq != c.first+uint64(i) {
					t.Fatalf("kept seqs start %v, want %d.. contiguous", seqs(kept[:min(5, len(kept))]), c.first)
				}
			}
			h, err := s.Health(ctx)
			if err != nil || h.Count != int64(len(kept)) || h.LastSeq != uint64(c.n) {
				t.Errorf("Health = %+v, %v; want count %d, last seq %d", h, err, len(kept), c.n)
			}
		})
	}
}

// testChunk keeps chunked prunes small in tests.
const testChunk = 16

// Appends go through between prune chunks: an append queued while the
// first chunk runs commits before the second chunk.
func TestPruneLetsAppendsThrough(t *testing.T) {
	ctx := context.Background()
	const old = 10 * testChunk
	release := make(chan struct{})
	holding := make(chan struct{}, 1)
	hold := func(n int) error {
		select {
		case holding <- struct{}{}:
			<-release
		default:
		}
		return nil
	}
	var countAtCommit []int64
	var s *Store
	s, _ = openTest(t, Options{pruneChunk: testChunk, beforeCommit: hold, OnCommit: func(recs []live.Record) {
		countAtCommit = append(countAtCommit, s.count.Load()) // the writer's goroutine: no race
	}})
	recs := make([]live.Record, old)
	for i := range recs {
		recs[i] = declineRecord(t, "vydapay", fmt.Sprintf("old_%d", i), baseTime())
	}
	// The first commit is held until the queue is set up: hold it, ask for
	// the prune, then queue an append behind the prune's first chunk.
	go func() {
		if _, err := s.Append(ctx, recs); err != nil {
			t.Errorf("Append: %v", err)
		}
	}()
	<-holding
	pruned := make(chan error, 1)
	var deleted int64
	go func() {
		var err error
		deleted, err = s.Prune(ctx, live.Retention{MaxAge: time.Hour}, baseTime().Add(2*time.Hour))
		pruned <- err
	}()
	waitFor(t, func() bool { return len(s.reqs) == 1 })
	appended := make(chan error, 1)
	go func() {
		_, err := s.Append(ctx, []live.Record{declineRecord(t, "vydapay", "new", baseTime().Add(2*time.Hour))})
		appended <- err
	}()
	waitFor(t, func() bool { return len(s.reqs) == 2 })
	close(release)
	if err := <-appended; err != nil {
		t.Fatalf("Append during prune: %v", err)
	}
	if err := <-pruned; err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if deleted != old {
		t.Errorf("Prune deleted %d, want %d", deleted, old)
	}
	// First commit: old rows. Second: the new one, after exactly one chunk.
	if want := []int64{old, old - testChunk + 1}; len(countAtCommit) != 2 || countAtCommit[0] != want[0] || countAtCommit[1] != want[1] {
		t.Errorf("rows at each commit %v, want %v (the append between the first and second chunk)", countAtCommit, want)
	}
	if kept := readAll(t, s); len(kept) != 1 || kept[0].EventID != "new" {
		t.Errorf("kept %v, want only the new event", kept)
	}
}
