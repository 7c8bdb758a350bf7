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

// A pruned event leaves a tombstone while its provider could still send
// it: appended again, it is the duplicate of its old seq, not stored. The
// tombstone goes once the event's own time (the later of occurred and
// received) is older than the age window; with no age bound it stays.
func TestPruneLeavesTombstones(t *testing.T) {
	ctx := context.Background()
	t0 := baseTime()
	tombs := func(s *Store) (n int) {
		t.Helper()
		if err := s.readDB.QueryRow(`SELECT COUNT(*) FROM tombstones`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Three events received a minute apart; the third occurred an hour
	// after it was received (a provider's clock ahead).
	fill := func(t *testing.T, s *Store) []live.Record {
		recs := make([]live.Record, 3)
		for i := range recs {
			recs[i] = declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", i), t0.Add(time.Duration(i)*time.Minute))
			recs[i].OccurredAt = recs[i].ReceivedAt
		}
		recs[2].OccurredAt = recs[2].ReceivedAt.Add(time.Hour)
		if _, err := s.Append(ctx, recs); err != nil {
			t.Fatal(err)
		}
		return recs
	}

	t.Run("by count", func(t *testing.T) {
		s, _ := openTest(t, Options{})
		recs := fill(t, s)
		if n, err := s.Prune(ctx, live.Retention{MaxAge: 24 * time.Hour, MaxCount: 1}, t0); err != nil || n != 2 {
			t.Fatalf("Prune = %d, %v", n, err)
		}
		if a := appendOne(t, s, recs[0]); a != (live.Appended{Seq: 1, Duplicate: true}) {
			t.Errorf("pruned evt_0 appended again: %+v, want a duplicate of seq 1", a)
		}
		if got := readAll(t, s); len(got) != 1 || got[0].Seq != 3 {
			t.Errorf("kept %v, want seq 3 alone", seqs(got))
		}
		// A day and a minute on, evt_0's and evt_1's tombstones go.
		if _, err := s.Prune(ctx, live.Retention{MaxAge: 24 * time.Hour}, t0.Add(24*time.Hour+2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if n := tombs(s); n != 0 {
			t.Errorf("%d tombstones a day on, want 0", n)
		}
		if a := appendOne(t, s, recs[0]); a.Duplicate || a.Seq != 4 {
			t.Errorf("evt_0 after its tombstone went: %+v (the intake refuses it by age before)", a)
		}
	})
	t.Run("by age", func(t *testing.T) {
		s, _ := openTest(t, Options{})
		recs := fill(t, s)
		// All three are received before the cutoff; only evt_2 occurred
		// after it and keeps a tombstone.
		if n, err := s.Prune(ctx, live.Retention{MaxAge: time.Hour}, t0.Add(time.Hour+3*time.Minute)); err != nil || n != 3 {
			t.Fatalf("Prune = %d, %v", n, err)
		}
		if n := tombs(s); n != 1 {
			t.Errorf("%d tombstones, want 1 (evt_2's)", n)
		}
		if a := appendOne(t, s, recs[2]); a != (live.Appended{Seq: 3, Duplicate: true}) {
			t.Errorf("evt_2 again: %+v, want a duplicate of seq 3", a)
		}
	})
	t.Run("no age bound", func(t *testing.T) {
		s, _ := openTest(t, Options{})
		fill(t, s)
		if _, err := s.Prune(ctx, live.Retention{MaxCount: 1}, t0.Add(1000*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := tombs(s); n != 2 {
			t.Errorf("%d tombstones, want 2 kept for good", n)
		}
	})
}
