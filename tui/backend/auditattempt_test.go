package backend

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// fileLines reads the audit file as the JSON objects of its lines, as a
// supervisor's tool would, without the reader's pairing.
func fileLines(t *testing.T, path string) []map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for l := range strings.SplitSeq(strings.TrimSuffix(string(raw), "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		s := map[string]string{}
		for k, v := range m {
			if str, ok := v.(string); ok {
				s[k] = str
			}
		}
		out = append(out, s)
	}
	return out
}

// activeCards lists n active cards of the sandbox.
func activeCards(t *testing.T, e *env, n int) []api.Card {
	t.Helper()
	page, err := e.client.ListCards(context.Background(), api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: n}})
	if err != nil || len(page.Items) < n {
		t.Fatalf("%d active cards: %v (%d)", n, err, len(page.Items))
	}
	return page.Items
}

// While the provider holds an action's request, its attempt is already in
// the audit file, synced, with who asked for what on which card; once the
// provider answers, the outcome follows under the same attempt id. A crash
// during the call leaves the attempt on record.
func TestAttemptRecordedBeforeProviderCall(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	log, path := openTestLog(t)
	var syncs atomic.Int32
	log.sync = func(f *os.File) error { syncs.Add(1); return f.Sync() }
	b := New(Config{Client: e.client, Audit: log})
	ctx := context.Background()
	cards := activeCards(t, e, 3)

	tests := []struct {
		name   string
		card   api.Card
		reason string
		do     func(cardID string) error
	}{
		{"freeze", cards[0], "", func(id string) error { _, err := b.Freeze(ctx, agent, id); return err }},
		{"terminate", cards[1], "stolen", func(id string) error {
			_, err := b.Terminate(ctx, supervisor, id, api.TerminateStolen)
			return err
		}},
		{"reveal", cards[2], "caller verified", func(id string) error {
			s, err := b.Reveal(ctx, supervisor, id, "caller verified")
			if s != nil {
				s.Wipe()
			}
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The session has shown the card: no read goes out first.
			if _, err := b.GetCard(ctx, tt.card.ID); err != nil {
				t.Fatal(err)
			}
			before := len(fileLines(t, path))
			entered, release := make(chan struct{}), make(chan struct{})
			var once sync.Once
			e.setHold(func(r *http.Request) {
				if r.Method == http.MethodPost && strings.Contains(r.URL.Path, tt.card.ID) {
					once.Do(func() { close(entered) })
					<-release
				}
			})
			t.Cleanup(func() { e.setHold(nil) })
			done := make(chan error, 1)
			go func() { done <- tt.do(tt.card.ID) }()
			<-entered

			// The call is in flight: the attempt is in the file, synced.
			syncsHeld := syncs.Load()
			lines := fileLines(t, path)[before:]
			if len(lines) != 1 {
				close(release)
				<-done
				t.Fatalf("while the provider holds the call, the file has %d new lines, want the attempt: %v", len(lines), lines)
			}
			at := lines[0]
			want := map[string]string{
				"agent": "", "fingerprint": "", "session": "",
				"action": tt.name, "card_id": tt.card.ID, "last_four": tt.card.LastFour, "outcome": "pending",
			}
			actor := agent
			if tt.name != "freeze" {
				actor = supervisor
			}
			want["agent"], want["fingerprint"], want["session"] = actor.Agent, actor.Fingerprint, actor.Session
			if tt.reason != "" {
				want["reason"] = tt.reason
			}
			for k, v := range want {
				if at[k] != v {
					t.Errorf("attempt line: %s = %q, want %q (%v)", k, at[k], v, at)
				}
			}
			if at["attempt"] == "" || at["request_id"] != "" {
				t.Errorf("attempt line: attempt id %q, request id %q; want an id and no request yet", at["attempt"], at["request_id"])
			}
			if syncsHeld == 0 {
				t.Error("the attempt line was not synced before the call")
			}

			close(release)
			if err := <-done; err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			lines = fileLines(t, path)[before:]
			if len(lines) != 2 {
				t.Fatalf("after the answer, %d new lines, want the attempt and its outcome: %v", len(lines), lines)
			}
			out := lines[1]
			if out["attempt"] != at["attempt"] || out["outcome"] != "ok" || !strings.HasPrefix(out["request_id"], "req_") ||
				out["agent"] != actor.Agent || out["card_id"] != tt.card.ID || out["action"] != tt.name {
				t.Errorf("outcome line %v does not close attempt %q with ok and the request id", out, at["attempt"])
			}
		})
	}
	// The reader pairs them: one entry per attempt, each with its outcome.
	got, err := ReadAuditLog(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tests) {
		t.Fatalf("the reader shows %d entries for %d attempts: %+v", len(got), len(tests), got)
	}
	for _, g := range got {
		if g.Outcome != "ok" {
			t.Errorf("the reader shows %s with outcome %q", g.Action, g.Outcome)
		}
	}
}

// When the attempt cannot be written, the provider is not called: the
// action is refused with the audit log's failure and the card is as it was.
func TestNoCallWithoutAttemptLine(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	log, _ := openTestLog(t)
	b := New(Config{Client: e.client, Audit: log})
	ctx := context.Background()
	card := activeCards(t, e, 1)[0]
	if _, err := b.GetCard(ctx, card.ID); err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	var posts atomic.Int32
	e.setHold(func(r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
	})
	for _, tc := range []struct {
		name string
		do   func() error
	}{
		{"freeze", func() error { _, err := b.Freeze(ctx, agent, card.ID); return err }},
		{"terminate", func() error { _, err := b.Terminate(ctx, supervisor, card.ID, api.TerminateLost); return err }},
		{"reveal", func() error {
			s, err := b.Reveal(ctx, supervisor, card.ID, "caller verified")
			if s != nil {
				s.Wipe()
				t.Error("reveal: details returned with no audit")
			}
			return err
		}},
	} {
		err := tc.do()
		if !errors.Is(err, ErrAuditFailed) {
			t.Errorf("%s: err = %v, want ErrAuditFailed", tc.name, err)
		}
		if n := posts.Load(); n != 0 {
			t.Errorf("%s: the provider was asked %d times with no attempt on record", tc.name, n)
		}
	}
	if c, err := e.client.GetCard(ctx, card.ID); err != nil || c.Status != api.CardActive {
		t.Errorf("the card after unrecorded attempts: %s, %v; want it active", c.Status, err)
	}
}

// The reader shows an attempt once: with its outcome when one follows, and
// as having none when the process stopped between the two lines.
func TestReadAuditLogPairsAttempts(t *testing.T) {
	const (
		pendingA = `{"time":"2026-03-14T09:30:00Z","agent":"amir","action":"freeze","card_id":"card_a","attempt":"atta","outcome":"pending"}`
		okA      = `{"time":"2026-03-14T09:30:02Z","agent":"amir","action":"freeze","card_id":"card_a","attempt":"atta","outcome":"ok","request_id":"req_1"}`
		pendingB = `{"time":"2026-03-14T09:31:00Z","agent":"sofia","action":"terminate","card_id":"card_b","attempt":"attb","outcome":"pending"}`
		refusedC = `{"time":"2026-03-14T09:32:00Z","agent":"vera","action":"freeze","card_id":"card_c","outcome":"refused: your role (viewer) cannot freeze cards"}`
		errD     = `{"time":"2026-03-14T09:33:00Z","agent":"amir","action":"unfreeze","card_id":"card_d","attempt":"attd","outcome":"error: forbidden"}`
		pendingD = `{"time":"2026-03-14T09:32:30Z","agent":"amir","action":"unfreeze","card_id":"card_d","attempt":"attd","outcome":"pending"}`
	)
	const missing = "no outcome recorded — the process may have stopped"
	tests := []struct {
		name  string
		lines []string
		limit int
		want  []string // card id and outcome, newest first
	}{
		{"attempt and outcome are one entry", []string{pendingA, okA}, 10, []string{"card_a ok"}},
		{"an attempt with no outcome says so", []string{pendingB}, 10, []string{"card_b " + missing}},
		{"mixed", []string{pendingA, pendingB, okA, refusedC, pendingD, errD}, 10,
			[]string{"card_d error: forbidden", "card_c refused: your role (viewer) cannot freeze cards", "card_a ok", "card_b " + missing}},
		{"the outcome alone, its attempt before the limit", []string{pendingA, okA}, 1, []string{"card_a ok"}},
		{"the attempt within the limit pairs with its later outcome", []string{pendingB, pendingA, okA}, 2, []string{"card_a ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := t.TempDir() + "/audit.log"
			if err := os.WriteFile(path, []byte(strings.Join(tt.lines, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ReadAuditLog(path, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range got {
				ids = append(ids, e.CardID+" "+e.Outcome)
			}
			if strings.Join(ids, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(ids, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
