package backend

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// openTestLog opens a log in a directory that does not exist yet.
func openTestLog(t *testing.T) (*AuditLog, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "audit.log")
	l, err := OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l, path
}

// Each attempt through the real backend, against the sandbox, is one
// entry with its outcome (a refusal one line, an action the provider was
// asked for two); nothing revealed reaches the file.
func TestAuditLogThroughBackend(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	log, path := openTestLog(t)
	b := New(Config{Client: e.client, Audit: log})
	readOnly := New(Config{Client: e.newClient(t, vaultspay.Provider, e.cfg.VaultsPayReadOnlyKey), Audit: log})
	ctx := context.Background()
	card := e.card(t, api.CardActive)
	const typedPAN = "4111 1111 1111 1111"
	var revealed string

	steps := []struct {
		name    string
		do      func() error
		outcome string // the outcome's start
		request bool   // whether the provider's request id is recorded
	}{
		{"agent freezes", func() error { _, err := b.Freeze(ctx, agent, card.ID); return err }, "ok", true},
		{"viewer's freeze", func() error { _, err := b.Freeze(ctx, viewer, card.ID); return err },
			"refused: your role (viewer) cannot freeze cards", false},
		{"provider refuses the unfreeze", func() error { _, err := readOnly.Unfreeze(ctx, agent, card.ID); return err },
			"error: ", true},
		{"supervisor reveals", func() error {
			s, err := b.Reveal(ctx, supervisor, card.ID, "caller read out "+typedPAN)
			if err != nil {
				return err
			}
			revealed = string(s.Number)
			s.Wipe()
			return nil
		}, "ok", true},
	}
	for i, s := range steps {
		err := s.do()
		if (s.outcome == "ok") != (err == nil) {
			t.Fatalf("%s: err = %v", s.name, err)
		}
		got, rerr := ReadAuditLog(path, 100)
		if rerr != nil {
			t.Fatalf("%s: %v", s.name, rerr)
		}
		if len(got) != i+1 {
			t.Fatalf("%s: %d entries after %d attempts", s.name, len(got), i+1)
		}
		last := got[0] // newest first
		if !strings.HasPrefix(last.Outcome, s.outcome) {
			t.Errorf("%s: outcome %q, want %q", s.name, last.Outcome, s.outcome)
		}
		if last.CardID != card.ID || last.LastFour != card.LastFour || last.Agent == "" || last.Time.IsZero() {
			t.Errorf("%s: entry %+v does not say who did what to which card", s.name, last)
		}
		if s.request != (last.RequestID != "") {
			t.Errorf("%s: request id %q", s.name, last.RequestID)
		}
	}
	if len(revealed) < 13 {
		t.Fatal("nothing was revealed")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	digits := func(s string) string { return strings.NewReplacer(" ", "", "-", "").Replace(s) }
	for _, number := range []string{revealed, typedPAN, digits(typedPAN)} {
		if strings.Contains(string(raw), number) {
			t.Errorf("the audit log holds a card number: %s", raw)
		}
	}
	if n := strings.Count(string(raw), "\n"); n != 2*len(steps)-1 {
		t.Errorf("%d lines for %d attempts, one of them refused", n, len(steps))
	}
	for _, p := range []struct {
		path string
		want os.FileMode
	}{{path, 0o600}, {filepath.Dir(path), 0o700}} {
		info, err := os.Stat(p.path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != p.want {
			t.Errorf("%s: mode %04o, want %04o", p.path, info.Mode().Perm(), p.want)
		}
	}
}

func entry(i int) AuditEntry {
	return AuditEntry{
		Time:  time.Date(2026, 3, 14, 9, 30, i, 0, time.UTC),
		Agent: "amir", Fingerprint: "SHA256:agent", Session: "s2",
		Action: ActionFreeze, CardID: "card_" + string(rune('a'+i)), LastFour: "4821",
		Outcome: "ok", RequestID: "req_1",
	}
}

// Record returns only after the line is synced, and the line is there
// for a reader of the file while the log is still open.
func TestAuditLogSyncsEachRecord(t *testing.T) {
	log, path := openTestLog(t)
	syncs := 0
	var syncErr error
	log.sync = func(f *os.File) error { syncs++; return syncErr }
	ctx := context.Background()
	for i := range 3 {
		if err := log.Record(ctx, entry(i)); err != nil {
			t.Fatal(err)
		}
		if syncs != i+1 {
			t.Fatalf("after %d records, %d syncs", i+1, syncs)
		}
	}
	got, err := ReadAuditLog(path, 10)
	if err != nil || len(got) != 3 || got[0].CardID != "card_c" || got[2].CardID != "card_a" {
		t.Fatalf("read back %+v, %v; want 3 entries newest first", got, err)
	}
	if !got[0].Time.Equal(entry(2).Time) {
		t.Errorf("time %v, want %v", got[0].Time, entry(2).Time)
	}

	syncErr = errors.New("disk gone")
	if err := log.Record(ctx, entry(3)); err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("a failed sync: err = %v", err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	if err := log.Record(ctx, entry(4)); !errors.Is(err, ErrAuditLogClosed) {
		t.Errorf("after Close: err = %v", err)
	}

	// Reopened, the log appends.
	again, err := OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Record(ctx, entry(5)); err != nil {
		t.Fatal(err)
	}
	got, err = ReadAuditLog(path, 2)
	if err != nil || len(got) != 2 || got[0].CardID != "card_f" || got[1].CardID != "card_d" {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
}

func TestAuditLogRefusesCardNumbers(t *testing.T) {
	log, path := openTestLog(t)
	tests := []struct {
		name  string
		edit  func(*AuditEntry)
		field string // "" → written
	}{
		{"plain entry", func(*AuditEntry) {}, ""},
		{"order number is not a card number", func(e *AuditEntry) { e.Reason = "order 1234567890123456" }, ""},
		{"reason", func(e *AuditEntry) { e.Reason = "caller said 4111111111111111" }, "reason"},
		{"grouped in outcome", func(e *AuditEntry) { e.Outcome = "error: card 4111-1111-1111-1111 declined" }, "outcome"},
		{"card id", func(e *AuditEntry) { e.CardID = "5555555555554444" }, "card id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(path)
			e := entry(1)
			tt.edit(&e)
			err := log.Record(context.Background(), e)
			after, _ := os.ReadFile(path)
			if tt.field == "" {
				if err != nil || len(after) <= len(before) {
					t.Fatalf("err = %v, grew %d bytes", err, len(after)-len(before))
				}
				return
			}
			if !errors.Is(err, ErrAuditCardNumber) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("err = %v, want ErrAuditCardNumber in its %s", err, tt.field)
			}
			if strings.Contains(err.Error(), "1111111111") || len(after) != len(before) {
				t.Errorf("the card number leaked: err %q, file grew %d bytes", err, len(after)-len(before))
			}
		})
	}
}

func TestOpenAuditLogRefusesOpenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if l, err := OpenAuditLog(path); err == nil || !strings.Contains(err.Error(), "mode 0644") {
		t.Errorf("OpenAuditLog of a 0644 file: %v, %v", l, err)
	}
}

func line(t *testing.T, i int) string {
	t.Helper()
	b, err := json.Marshal(entry(i))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A crash mid-write leaves a torn last line: reading skips it and says so;
// the next writer starts on a line of its own.
func TestReadAuditLogTolerance(t *testing.T) {
	full0, full1 := line(t, 0), line(t, 1)
	tests := []struct {
		name     string
		content  string
		limit    int
		want     []string // card ids, newest first
		skipped  string   // "" → no ErrAuditLinesSkipped
		appendOK bool     // open, record entry 2, and read again
	}{
		{"empty", "", 10, nil, "", false},
		{"whole lines", full0 + "\n" + full1 + "\n", 10, []string{"card_b", "card_a"}, "", false},
		{"limit", full0 + "\n" + full1 + "\n", 1, []string{"card_b"}, "", false},
		{"torn last line", full0 + "\n" + full1[:len(full1)/2], 10, []string{"card_a"}, "line 2 is torn", false},
		{"torn then appended", full0 + "\n" + full1[:20], 10, []string{"card_c", "card_a"}, "line 2: not an audit entry", true},
		{"damaged middle line", full0 + "\n{}\n" + full1 + "\n", 10, []string{"card_b", "card_a"}, "line 2: entry has no time", false},
		{"overlong line", strings.Repeat("x", maxAuditLine+10) + "\n" + full1 + "\n", 10, []string{"card_b"}, "line 1 is longer", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "audit.log")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if tt.appendOK {
				l, err := OpenAuditLog(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := l.Record(context.Background(), entry(2)); err != nil {
					t.Fatal(err)
				}
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
			}
			got, err := ReadAuditLog(path, tt.limit)
			switch {
			case tt.skipped == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.skipped != "" && (!errors.Is(err, ErrAuditLinesSkipped) || !strings.Contains(err.Error(), tt.skipped)):
				t.Fatalf("err = %v, want one saying %q", err, tt.skipped)
			}
			var ids []string
			for _, e := range got {
				ids = append(ids, e.CardID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
				t.Errorf("entries %v, want %v", ids, tt.want)
			}
		})
	}
	if _, err := ReadAuditLog(filepath.Join(t.TempDir(), "none.log"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing log: %v", err)
	}
	if _, err := ReadAuditLog("whatever", 0); err == nil {
		t.Error("limit 0 accepted")
	}
}

// FuzzParseAuditLine: any line is an entry or an error, never a panic; an
// entry has what every entry must have and survives being written again.
func FuzzParseAuditLine(f *testing.F) {
	for _, s := range []string{
		`{"time":"2026-03-14T09:30:00.123456789Z","agent":"amir","action":"freeze","card_id":"card_1","outcome":"ok"}`,
		`{"time":"2026-03-14T09:30:00+02:00","agent":"a","action":"reveal","card_id":"c","last_four":"4821","reason":"x","outcome":"refused: no","request_id":"req_1","extra":1}`,
		`{"time":"2026-03-14T09:30:00Z","agent":"amir","action":"freeze","card_id":"card_1","outcome":"ok"`,
		`{}`, `null`, `[]`, `{"time":"yesterday"}`, "", "   ", "\xff", `{"agent":"\u0000"}`,
		`{"time":"2026-03-14T09:30:00Z","agent":"amir","action":"terminate","card_id":"card_1","attempt":"qwertyuiopasdfgh","outcome":"pending"}`,
		`{"time":"2026-03-14T09:30:00Z","agent":"vera","action":"audit","outcome":"refused: your role (viewer) cannot read the audit log","attempt":7}`,
	} {
		f.Add([]byte(s))
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add([]byte(`{"time":"2026-03-14T09:30:00Z","agent":"\u001b]52;c;eA==\u0007a\u202e","action":"freeze","card_id":"` + "4929 5801 7316 0424" + `","outcome":"error: \u009b2J","request_id":"\u200b"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := ParseAuditLine(line)
		if err != nil {
			if e != (AuditEntry{}) {
				t.Fatalf("an error with an entry: %+v", e)
			}
			return
		}
		if e.Time.IsZero() || e.Agent == "" || e.Action == "" || e.Outcome == "" {
			t.Fatalf("incomplete entry %+v", e)
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("entry cannot be written again: %v", err)
		}
		again, err := ParseAuditLine(b)
		if err != nil {
			t.Fatalf("written again, it does not read: %v", err)
		}
		if !again.Time.Equal(e.Time) || again.Agent != e.Agent || again.Outcome != e.Outcome || again.CardID != e.CardID || again.Attempt != e.Attempt {
			t.Fatalf("round trip: %+v became %+v", e, again)
		}
	})
}

// BenchmarkAuditLogRecord is one line appended and synced: what an action
// waits for twice (its attempt, then its outcome) and a refusal once.
func BenchmarkAuditLogRecord(b *testing.B) {
	log, err := OpenAuditLog(filepath.Join(b.TempDir(), "audit.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	e := entry(1)
	e.Attempt, e.Outcome = "qwertyuiopasdfgh", OutcomePending
	ctx := context.Background()
	for b.Loop() {
		if err := log.Record(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}
