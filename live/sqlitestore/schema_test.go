package sqlitestore

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSchema(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, path string)
		wantErr string // "" → opens, at SchemaVersion
	}{
		{"new file", func(*testing.T, string) {}, ""},
		{"empty file (v0) is migrated", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"current version reopens", func(t *testing.T, path string) {
			s, err := Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			appendOne(t, s, declineRecord(t, "vydapay", "evt_1", baseTime()))
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"future version refused", func(t *testing.T, path string) {
			mustExec(t, rawDB(t, path), "PRAGMA user_version = 99")
		}, "schema version 99 is newer than this carddesk knows (3)"},
		{"not a database", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("not sqlite\n", 200)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "not a database"},
		{"a directory", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "is a directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state", "relay.db")
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			c.prepare(t, path)
			s, err := Open(context.Background(), path, Options{})
			if c.wantErr != "" {
				if err == nil {
					s.Close()
					t.Fatalf("Open succeeded, want an error with %q", c.wantErr)
				}
				if !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("Open: %v, want an error naming %s with %q", err, path, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			var v int
			if err := s.readDB.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion {
				t.Errorf("user_version = %d, %v; want %d", v, err, SchemaVersion)
			}
			var mode string
			if err := s.readDB.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
				t.Errorf("journal_mode = %q, %v; want wal", mode, err)
			}
			var sync int
			if err := s.conn.QueryRowContext(context.Background(), "PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
				t.Errorf("writer synchronous = %d, %v; want 2 (FULL)", sync, err)
			}
			if _, err := s.readDB.Exec("DELETE FROM meta"); err == nil {
				t.Errorf("the read pool could write")
			}
		})
	}
}

// A store's epoch is made with its database, kept across reopens, and
// differs from every other store's; a database from before epochs gets one
// when it is migrated, its events and sequence kept.
func TestEpoch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "relay.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := s.Epoch()
	appendOne(t, s, declineRecord(t, "vydapay", "evt_1", baseTime()))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := reopen(t, path, Options{})
	other, _ := openTest(t, Options{})
	if len(first) != 32 || again.Epoch() != first || other.Epoch() == first {
		t.Errorf("epochs: first %q, reopened %q, another store %q", first, again.Epoch(), other.Epoch())
	}

	// A version 1 database, as the carddesk before epochs wrote it.
	v1 := filepath.Join(t.TempDir(), "v1.db")
	db := rawDB(t, v1)
	mustExec(t, db, migrations()[0])
	mustExec(t, db, `INSERT INTO events (seq, provider, event_id, type, received_at, event) VALUES (7, 'vydapay', 'evt_7', 'card.frozen', 1, x'7b7d')`)
	mustExec(t, db, "PRAGMA user_version = 1")
	db.Close()
	migrated := reopen(t, v1, Options{})
	if last, _ := migrated.LastSeq(context.Background()); len(migrated.Epoch()) != 32 || last != 7 {
		t.Errorf("migrated v1: epoch %q, last seq %d; want an epoch and 7", migrated.Epoch(), last)
	}
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "dir", "relay.db")
	s := reopen(t, path, Options{})
	appendOne(t, s, declineRecord(t, "vydapay", "evt_1", baseTime()))
	for _, p := range []string{path, path + "-wal", filepath.Dir(path)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", p, got, want)
		}
	}
}

func TestDSNEscapesPath(t *testing.T) {
	for _, name := range []string{"odd ?name#x", "per%2Fcent", "sp ace&_query_only=1"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name, "relay.db")
			s := reopen(t, path, Options{})
			appendOne(t, s, declineRecord(t, "vydapay", "evt_1", baseTime()))
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			// The events are in the file at path, not in one SQLite made
			// of a misread name.
			db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var n int
			if err := db.QueryRow("SELECT COUNT(*) FROM events").Scan(&n); err != nil || n != 1 {
				t.Errorf("events in %s: %d, %v; want 1", path, n, err)
			}
		})
	}
}
