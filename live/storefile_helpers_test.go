package live_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/url"
	"os"
	"testing"
)

// storedRow is one row of the events table, read from the file itself as
// an operator with sqlite3 would read it.
type storedRow struct {
	Provider, EventID string
	CardID, UserID    sql.NullString
	Event             []byte
}

// fileRows reads every event row of the SQLite file at path over a
// connection of its own (WAL lets it read beside the relay's writer).
func fileRows(t testing.TB, path string) []storedRow {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_query_only=1&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), `SELECT provider, event_id, card_id, user_id, event FROM events ORDER BY seq`)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer rows.Close()
	var out []storedRow
	for rows.Next() {
		var r storedRow
		if err := rows.Scan(&r.Provider, &r.EventID, &r.CardID, &r.UserID, &r.Event); err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return out
}

// jsonQuote is s as a JSON string.
func jsonQuote(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fileMeta reads the meta table's value for key from the file.
func fileMeta(t testing.TB, path, key string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_query_only=1&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int64
	if err := db.QueryRowContext(t.Context(), `SELECT value FROM meta WHERE key = ?`, key).Scan(&v); err != nil {
		t.Fatalf("read meta %s of %s: %v", key, path, err)
	}
	return v
}

// corruptPages overwrites two pages a third of the way into the SQLite
// file at path with garbage, as a failing disk or a stray write would:
// pages of the events table, neither the header page nor the schema.
func corruptPages(t testing.TB, path string) {
	t.Helper()
	const pageSize = 4096
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
	garbage := bytes.Repeat([]byte{0xa5, 0x5a}, pageSize/2)
	for _, p := range []int{pages / 3, pages/3 + 1} {
		if _, err := f.WriteAt(garbage, int64(p)*pageSize); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}
