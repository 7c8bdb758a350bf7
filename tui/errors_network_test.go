package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/tui/backend"
)

// A provider out of reach is said in plain words, once: "Can't reach
// 127.0.0.1:PORT: connection refused". The Users list said "list users:
// list users: GET /users: Get …: dial tcp …: connec…", cut off.
func TestUnreachableProviderIsSaidPlainlyOnce(t *testing.T) {
	e := newEnv(t)
	s := e.start(t, backend.RoleAgent, 120, 30)
	host := strings.TrimPrefix(e.ts.URL, "http://")
	e.ts.Close()
	e.clock.Advance(time.Hour) // past the cache: the refresh asks the provider
	s.tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	want := "Can't reach " + host + ": connection refused"
	s.await("the list to say "+want, func(m *model) bool {
		u, ok := topIs[*UsersScreen](m)
		return ok && u.list.err != nil && !u.list.loading
	})
	screen := s.screen()
	if !strings.Contains(screen, want) {
		t.Fatalf("the screen does not say %q:\n%s", want, screen)
	}
	for _, bad := range []string{"list users", "dial tcp", "Get \"", "connect:"} {
		if strings.Contains(screen, bad) {
			t.Errorf("the screen shows %q, Go's words:\n%s", bad, screen)
		}
	}
	if n := strings.Count(screen, "connection refused"); n != 1 {
		t.Errorf("the cause is said %d times:\n%s", n, screen)
	}

	// The message log keeps the failure, with what was being read.
	s.key(":")
	s.tm.Send(tea.PasteMsg{Content: "messages"})
	s.await("the command", func(m *model) bool { return m.cmd.open && m.cmd.input.Value() == "messages" })
	s.key("enter")
	s.await("the message log", func(m *model) bool { _, ok := topIs[*MessagesScreen](m); return ok })
	if log := strings.Join(strings.Fields(s.screen()), " "); !strings.Contains(log, "✗ Users not loaded: "+want) {
		t.Errorf("the message log lacks the failure:\n%s", s.screen())
	}
}
