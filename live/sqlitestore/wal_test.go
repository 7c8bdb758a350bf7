package sqlitestore

import (
	"fmt"
	"os"
	"testing"
)

// Under a steady stream of commits the WAL is checkpointed whole and
// started over in place, so its file stops growing: it never runs to one
// frame per page per commit since the store opened.
func TestWALStartsOver(t *testing.T) {
	s, path := openTest(t, Options{})
	walSize := func() int64 {
		t.Helper()
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatalf("stat WAL: %v", err)
		}
		return fi.Size()
	}
	n := 0
	commits := func(k int) {
		t.Helper()
		for range k {
			appendOne(t, s, declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", n), baseTime()))
			n++
		}
	}
	commits(2 * checkpointCommits)
	first := walSize()
	commits(8 * checkpointCommits)
	if got := walSize(); got >= 2*first {
		t.Errorf("WAL grew from %d to %d bytes over %d more commits and %d checkpoints; want it started over",
			first, got, 8*checkpointCommits, s.Stats().Checkpoints)
	}
	if s.Stats().Checkpoints < 8 {
		t.Errorf("%d checkpoints in %d commits; want one every %d", s.Stats().Checkpoints, n, checkpointCommits)
	}
}
