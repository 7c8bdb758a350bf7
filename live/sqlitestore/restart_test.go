package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// Close and reopen the same file: everything is kept, seqs continue, and
// a seq freed by pruning is never handed out again, even across a restart
// that finds the table empty.
func TestRestart(t *testing.T) {
	ctx := context.Background()
	t0 := baseTime()
	s, path := openTest(t, Options{})
	for i := range 10 {
		appendOne(t, s, declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", i), t0))
	}
	before := readAll(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = reopen(t, path, Options{})
	if last, err := s.LastSeq(ctx); err != nil || last != 10 {
		t.Fatalf("LastSeq after reopen = %d, %v; want 10", last, err)
	}
	if after := readAll(t, s); !reflect.DeepEqual(after, before) {
		t.Fatalf("records changed across reopen: %v, want %v", seqs(after), seqs(before))
	}
	if a := appendOne(t, s, declineRecord(t, "vydapay", "evt_0", t0)); a != (live.Appended{Seq: 1, Duplicate: true}) {
		t.Errorf("redelivery after reopen: %+v, want seq 1 duplicate", a)
	}
	if a := appendOne(t, s, declineRecord(t, "vydapay", "evt_10", t0)); a.Seq != 11 || a.Duplicate {
		t.Errorf("append after reopen: %+v, want seq 11", a)
	}

	n, err := s.Prune(ctx, live.Retention{MaxAge: time.Hour}, t0.Add(2*time.Hour))
	if err != nil || n != 11 {
		t.Fatalf("Prune = %d, %v; want 11 deleted", n, err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = reopen(t, path, Options{})
	if last, err := s.LastSeq(ctx); err != nil || last != 11 {
		t.Fatalf("LastSeq after prune and reopen = %d, %v; want 11", last, err)
	}
	if a := appendOne(t, s, declineRecord(t, "vydapay", "evt_11", t0)); a.Seq != 12 {
		t.Errorf("append after prune and reopen: seq %d, want 12 (never reused)", a.Seq)
	}
	if got := seqs(readAll(t, s)); !reflect.DeepEqual(got, []uint64{12}) {
		t.Errorf("stored seqs %v, want [12]", got)
	}
}

// The writer checkpoints the WAL into the database file as appends go on,
// and what it copied reads back.
func TestCheckpointer(t *testing.T) {
	s, path := openTest(t, Options{})
	const n = checkpointRecords + 10
	recs := make([]live.Record, n)
	for i := range recs {
		recs[i] = declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", i), baseTime())
	}
	if _, err := s.Append(context.Background(), recs); err != nil {
		t.Fatalf("Append: %v", err)
	}
	waitFor(t, func() bool { return s.Stats().Checkpoints > 0 })
	// Another connection that reads only the database file, not the WAL,
	// sees the checkpointed rows.
	db, err := sql.Open("sqlite", "file:"+path+"?immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got int
	if err := db.QueryRow("SELECT COUNT(*) FROM events").Scan(&got); err != nil || got != n {
		t.Errorf("rows in the database file: %d, %v; want %d", got, err, n)
	}
}
