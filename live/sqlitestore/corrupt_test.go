package sqlitestore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/live"
)

// pageSize is SQLite's default page size, which the store keeps.
const pageSize = 4096

// closedStore writes a store of n records at a new path and closes it,
// its WAL checkpointed into the file. It returns the path.
func closedStore(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "relay.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]live.Record, n)
	for i := range recs {
		recs[i] = declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", i), baseTime())
	}
	if _, err := s.Append(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatalf("the WAL outlived Close: the pages to corrupt may not be in the file")
	}
	return path
}

// corruptPages overwrites two pages a third of the way into the file at
// path with garbage, as a failing disk or a stray write would: pages of
// the events table that opening the store does not read, and neither the
// header page nor the schema.
func corruptPages(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pages := int(info.Size() / pageSize)
	if pages < 20 {
		t.Fatalf("only %d pages to corrupt", pages)
	}
	garbage := []byte(strings.Repeat("\xa5\x5a", pageSize/2))
	for _, p := range []int{pages / 3, pages/3 + 1} {
		if _, err := f.WriteAt(garbage, int64(p)*pageSize); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}

// A damaged file is refused at open, with what the check found and what
// to do, rather than opened to acknowledge webhooks into while every
// replay fails.
func TestOpenRefusesADamagedFile(t *testing.T) {
	path := closedStore(t, 500)
	corruptPages(t, path)
	s, err := Open(context.Background(), path, Options{})
	if err == nil {
		_, rerr := s.After(context.Background(), 0, 0)
		s.Close()
		t.Fatalf("Open of a damaged file succeeded (and After says %v)", rerr)
	}
	for _, want := range []string{"quick_check", "restore it from a backup"} {
		if !strings.Contains(err.Error(), want) || !errors.Is(err, ErrCorrupt) {
			t.Errorf("Open: %v; want ErrCorrupt saying %q", err, want)
		}
	}
	// A file that is not a database at all says so too.
	junk := filepath.Join(t.TempDir(), "relay.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), junk, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open of a file that is not a database: %v, want ErrCorrupt", err)
	}
	// An intact file passes the check.
	if s, err := Open(context.Background(), closedStore(t, 500), Options{}); err != nil {
		t.Errorf("Open of an intact file: %v", err)
	} else {
		s.Close()
	}
}

// Pages that go bad while the store is open: the read that finds them is
// counted, the store reports the damage in its health and acknowledges
// nothing more, since what it writes may be lost with the rest.
func TestDamageFoundByAReadStopsTheStore(t *testing.T) {
	path := closedStore(t, 500)
	s := reopen(t, path, Options{})
	corruptPages(t, path)
	if _, err := s.After(context.Background(), 0, 0); err == nil {
		t.Fatal("After read damaged pages without an error")
	}
	h, err := s.Health(context.Background())
	if err == nil || h.Writable || h.ReadErrors != 1 || !strings.Contains(h.Integrity, "malformed") ||
		!strings.Contains(h.Problem, "damaged") || !strings.Contains(h.Problem, path) {
		t.Fatalf("health after the damage: %+v, %v", h, err)
	}
	if _, err := s.Append(context.Background(), []live.Record{declineRecord(t, "vydapay", "evt_new", baseTime())}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Append after the damage: %v, want ErrCorrupt", err)
	}
	// A read its caller gave up on is no read error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = s.After(ctx, 0, 0)
	if h, _ := s.Health(context.Background()); h.ReadErrors != 1 {
		t.Errorf("read errors %d after a cancelled read, want 1", h.ReadErrors)
	}
}
