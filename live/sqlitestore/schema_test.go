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
		}, "schema version 99 is newer than this carddesk knows (1)"},
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
