package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/carddesk/carddesk/tui/backend"
)

// countingLog is the real audit log, counting how often it is read.
type countingLog struct {
	*backend.AuditLog
	reads atomic.Int32
}

func (c *countingLog) Read(ctx context.Context, limit int) ([]backend.AuditEntry, error) {
	c.reads.Add(1)
	return c.AuditLog.Read(ctx, limit)
}

// writeAuditLog writes a log of eight attempts (one of them an attempt
// and its outcome, one an attempt with none), the last line torn if asked
// (nothing may be written after it then), and returns it open, counting
// its reads, for a backend to write and read.
func writeAuditLog(t *testing.T, torn bool) *countingLog {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.log")
	l, err := backend.OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	at := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	for i, e := range []backend.AuditEntry{
		{Agent: "amir", Action: backend.ActionFreeze, CardID: "card_1", LastFour: "4821", Outcome: "ok", RequestID: "req_a1"},
		{Agent: "vera", Action: backend.ActionFreeze, CardID: "card_1", LastFour: "4821", Outcome: "refused: your role (viewer) cannot freeze cards"},
		{Agent: "amir", Action: backend.ActionUnfreeze, CardID: "card_2", LastFour: "0005",
			Outcome: "error: \x1b[2Jforbidden\x1b]8;;http://x\x07 key is read only", RequestID: "req_b2"},
		{Agent: "sofia", Action: backend.ActionReveal, CardID: "card_3", LastFour: "1117", Reason: "caller verified", Outcome: "ok", RequestID: "req_c3"},
		{Agent: "sofia", Action: backend.ActionTerminate, CardID: "card_gone", Reason: "stolen", Outcome: "error: card not found"},
		{Agent: "vera", Action: backend.ActionReadAudit, Outcome: "refused: your role (viewer) cannot read the audit log"},
		{Agent: "sofia", Action: backend.ActionTerminate, CardID: "card_4", LastFour: "2024", Reason: "lost", Attempt: "ta", Outcome: backend.OutcomePending},
		{Agent: "sofia", Action: backend.ActionTerminate, CardID: "card_4", LastFour: "2024", Reason: "lost", Attempt: "ta", Outcome: "ok", RequestID: "req_d4"},
		{Agent: "amir", Action: backend.ActionFreeze, CardID: "card_5", LastFour: "3030", Attempt: "tb", Outcome: backend.OutcomePending},
	} {
		e.Time = at.Add(time.Duration(i) * time.Minute)
		if err := l.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	if !torn {
		return &countingLog{AuditLog: l}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"time":"2026-03-14T09:40:00Z","agent":"am`); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return &countingLog{AuditLog: l}
}

// A supervisor's :audit shows the latest attempts, sanitised, newest
// first: an attempt and its outcome as one, an attempt with no outcome as
// such. It says that a torn line was skipped.
func TestAuditScreen(t *testing.T) {
	e := newEnvAudit(t, nil, writeAuditLog(t, true))
	s := e.start(t, backend.RoleSupervisor, 80, 24)
	s.key(":")
	s.key("audit")
	s.key("enter")
	s.await("the audit log", func(m *model) bool {
		a, ok := topIs[*AuditScreen](m)
		return ok && !a.loading && len(a.entries) == 8
	})
	out := s.screen()
	for _, want := range []string{"Audit log", "•••• 4821", "refused: your", "req_c3", "line 10 is torn", "no outcome recorded", "req_d4"} {
		if !strings.Contains(out, want) {
			t.Errorf("the screen does not show %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "3030") > strings.Index(out, "2024") || strings.Index(out, "2024") > strings.Index(out, "4821") {
		t.Errorf("entries are not newest first:\n%s", out)
	}
	if strings.Count(out, "2024") != 1 {
		t.Errorf("an attempt and its outcome show as two:\n%s", out)
	}
	if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, "http://x") {
		t.Errorf("escape sequences from the log reached the screen:\n%q", out)
	}
	t.Run("80x24", func(t *testing.T) { golden.RequireEqual(t, []byte(normalise(out))) })

	// Back returns to where the agent was.
	s.key("esc")
	s.await("the users again", func(m *model) bool { _, ok := topIs[*UsersScreen](m); return ok })
}

// Only supervisors read the log: the backend refuses the others, records
// the refusal, and reads nothing for them, however the screen is reached.
func TestAuditRefused(t *testing.T) {
	tests := []struct {
		name  string
		role  backend.Role
		noLog bool
		want  string
	}{
		{"viewer", backend.RoleViewer, false, "Your role (viewer) cannot read the audit log"},
		{"agent", backend.RoleAgent, false, "Your role (agent) cannot read the audit log"},
		{"no log here", backend.RoleSupervisor, true, ":audit is not available here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := writeAuditLog(t, false)
			var audit backend.Auditor = log
			if tt.noLog {
				audit = nil
			}
			e := newEnvAudit(t, nil, audit)
			s := e.start(t, tt.role, 80, 24)
			s.key(":")
			s.key("audit")
			s.key("enter")
			s.await("the refusal", func(m *model) bool { return m.flashText() == tt.want })
			s.inspect(func(m *model) {
				if _, ok := m.top().(*UsersScreen); !ok {
					t.Errorf("the screen changed to %s", m.top().Title())
				}
			})
			if n := log.reads.Load(); n != 0 {
				t.Errorf("the log was read %d times", n)
			}
			if tt.noLog {
				return
			}
			lines := auditLines(t, log.Path())
			if last := lines[len(lines)-1]; last["agent"] != "alice" || last["action"] != "audit" || last["outcome"] != "refused: "+strings.ToLower(tt.want[:1])+tt.want[1:] {
				t.Errorf("the refusal is not recorded; last line %v", last)
			}
		})
	}

	// The screen, reached otherwise, reads through the backend too.
	log := writeAuditLog(t, false)
	e := newEnvAudit(t, nil, log)
	ctx := &Context{Styles: NewStyles(true, true), Keys: DefaultKeyMap(), Backend: e.be,
		Actor: backend.Actor{Agent: "amir", Role: backend.RoleAgent}}
	a := NewAudit()
	msg := a.Init(ctx)()
	a.Update(ctx, msg)
	if out := a.View(ctx, 80, 5); !strings.Contains(out, "Your role (agent) cannot read the audit log") || log.reads.Load() != 0 {
		t.Errorf("screen for an agent:\n%s", out)
	}
	lines := auditLines(t, log.Path())
	if last := lines[len(lines)-1]; last["agent"] != "amir" || last["outcome"] != "refused: your role (agent) cannot read the audit log" {
		t.Errorf("the refusal is not recorded; last line %v", last)
	}
}
