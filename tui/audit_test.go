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

// writeAuditLog writes a log of four attempts, the last line torn, and
// returns a reader of it that counts its calls.
func writeAuditLog(t *testing.T) (func(int) ([]backend.AuditEntry, error), *atomic.Int32) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.log")
	l, err := backend.OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	for i, e := range []backend.AuditEntry{
		{Agent: "amir", Action: backend.ActionFreeze, CardID: "card_1", LastFour: "4821", Outcome: "ok", RequestID: "req_a1"},
		{Agent: "vera", Action: backend.ActionFreeze, CardID: "card_1", LastFour: "4821", Outcome: "refused: your role (viewer) cannot freeze cards"},
		{Agent: "amir", Action: backend.ActionUnfreeze, CardID: "card_2", LastFour: "0005",
			Outcome: "error: \x1b[2Jforbidden\x1b]8;;http://x\x07 key is read only", RequestID: "req_b2"},
		{Agent: "sofia", Action: backend.ActionReveal, CardID: "card_3", LastFour: "1117", Reason: "caller verified", Outcome: "ok", RequestID: "req_c3"},
		{Agent: "sofia", Action: backend.ActionTerminate, CardID: "card_gone", Reason: "stolen", Outcome: "error: card not found"},
	} {
		e.Time = at.Add(time.Duration(i) * time.Minute)
		if err := l.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
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
	calls := &atomic.Int32{}
	return func(limit int) ([]backend.AuditEntry, error) {
		calls.Add(1)
		return backend.ReadAuditLog(path, limit)
	}, calls
}

// A supervisor's :audit shows the latest attempts, sanitised, newest
// first, and says that a torn line was skipped.
func TestAuditScreen(t *testing.T) {
	e := newEnv(t)
	read, _ := writeAuditLog(t)
	s := e.startAudit(t, backend.RoleSupervisor, 80, 24, read)
	s.key(":")
	s.key("audit")
	s.key("enter")
	s.await("the audit log", func(m *model) bool {
		a, ok := topIs[*AuditScreen](m)
		return ok && !a.loading && len(a.entries) == 5
	})
	out := s.screen()
	for _, want := range []string{"Audit log", "•••• 4821", "refused: your", "req_c3", "line 6 is torn"} {
		if !strings.Contains(out, want) {
			t.Errorf("the screen does not show %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "sofia") > strings.Index(out, "vera") {
		t.Errorf("entries are not newest first:\n%s", out)
	}
	if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, "http://x") {
		t.Errorf("escape sequences from the log reached the screen:\n%q", out)
	}
	t.Run("80x24", func(t *testing.T) { golden.RequireEqual(t, []byte(normalise(out))) })

	// Back returns to where the agent was.
	s.key("esc")
	s.await("the users again", func(m *model) bool { _, ok := topIs[*UsersScreen](m); return ok })
}

// Only supervisors read the log: the command refuses the others, and the
// screen itself reads nothing for them however it is reached.
func TestAuditRefused(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		role  backend.Role
		nilFn bool
		want  string
	}{
		{"viewer", backend.RoleViewer, false, "Your role (viewer) cannot read the audit log"},
		{"agent", backend.RoleAgent, false, "Your role (agent) cannot read the audit log"},
		{"no log here", backend.RoleSupervisor, true, ":audit is not available here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read, calls := writeAuditLog(t)
			if tt.nilFn {
				read = nil
			}
			s := e.startAudit(t, tt.role, 80, 24, read)
			s.key(":")
			s.key("audit")
			s.key("enter")
			s.await("the refusal", func(m *model) bool { return m.flashText() == tt.want })
			s.inspect(func(m *model) {
				if _, ok := m.top().(*UsersScreen); !ok {
					t.Errorf("the screen changed to %s", m.top().Title())
				}
			})
			if n := calls.Load(); n != 0 {
				t.Errorf("the log was read %d times", n)
			}
		})
	}

	// The screen checks the role too.
	read, calls := writeAuditLog(t)
	ctx := &Context{Styles: NewStyles(true, true), Keys: DefaultKeyMap(), auditLog: read,
		Actor: backend.Actor{Agent: "amir", Role: backend.RoleAgent}}
	a := NewAudit()
	if cmd := a.Init(ctx); cmd != nil {
		t.Error("the screen loads the log for an agent")
	}
	if out := a.View(ctx, 80, 5); !strings.Contains(out, "Your role (agent) cannot read the audit log") || calls.Load() != 0 {
		t.Errorf("screen for an agent:\n%s", out)
	}
}
