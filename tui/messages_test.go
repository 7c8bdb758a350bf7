package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// footerFlash is the footer's message line as drawn.
func footerFlash(m *model) string {
	lines := strings.Split(strings.TrimRight(ansi.Strip(m.render()), "\n"), "\n")
	return strings.TrimRight(lines[len(lines)-footerHeight], " ")
}

// A failure stays in the footer until the agent dismisses it, its request
// id whole even where the message is cut; an outcome goes after a few
// seconds. Both are in :messages, in full. A failure vanished after 5 s,
// its request id cut off at 80 columns.
func TestFailureStaysUntilDismissed(t *testing.T) {
	e := newEnv(t)
	_, card := e.pickUser(t)
	s := &faultSession{session: e.start(t, backend.RoleSupervisor, 80, 24)}
	s.openCardByID(card)

	// An outcome: the freeze done, gone from the footer once flashFor has
	// passed.
	s.key("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.key("y")
	s.await("the freeze done", func(m *model) bool { return strings.HasSuffix(m.flashText(), "frozen") })
	e.clock.Advance(flashFor)
	s.tm.Send(tickMsg(e.clock.Now()))
	s.await("the outcome gone", func(m *model) bool { return m.flashText() == "" })

	// A failure: terminated elsewhere, then unfrozen here — the provider
	// refuses, in words longer than the footer.
	if _, err := e.direct.TerminateCard(context.Background(), card.ID, api.TerminationReason("lost")); err != nil {
		t.Fatal(err)
	}
	s.key("u")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.key("y")
	s.await("the refusal", func(m *model) bool { return m.dialog == nil && m.flash.msg.Error })
	var f FlashMsg
	s.inspect(func(m *model) { f = m.flash.msg })
	if !regexp.MustCompile(`^req_[A-Za-z0-9_]+$`).MatchString(f.RequestID) {
		t.Fatalf("the failure's request id %q", f.RequestID)
	}
	full := withRequest(f.Text, f.RequestID)
	if len(full) <= 80 {
		t.Fatalf("the failure %q fits the footer: the test wants one that does not", full)
	}
	for _, wait := range []time.Duration{flashFor, time.Minute} {
		e.clock.Advance(wait)
		s.tm.Send(tickMsg(e.clock.Now()))
		var line string
		s.inspect(func(m *model) { line = footerFlash(m) })
		if !strings.HasSuffix(line, "(request "+f.RequestID+")") || !strings.HasPrefix(line, "Card "+masked(card.LastFour)+" not unfrozen") {
			t.Fatalf("after %v more the footer says %q; want the failure, its request id whole", wait, line)
		}
	}
	s.key("x")
	s.await("the failure dismissed", func(m *model) bool { return m.flashText() == "" })

	s.key(":")
	s.tm.Send(tea.PasteMsg{Content: "messages"})
	s.await("the command", func(m *model) bool { return m.cmd.open && m.cmd.input.Value() == "messages" })
	s.key("enter")
	s.await("the message log", func(m *model) bool { _, ok := topIs[*MessagesScreen](m); return ok })
	screen := strings.Join(strings.Fields(s.screen()), " ")
	for _, want := range []string{"2 messages this session", f.RequestID, "Card " + masked(card.LastFour) + " frozen"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the message log lacks %q:\n%s", want, s.screen())
		}
	}
	// Wrapped, not cut: every word of the failure is there.
	for _, word := range strings.Fields(full) {
		if !strings.Contains(screen, word) {
			t.Errorf("the message log lacks %q of %q:\n%s", word, full, s.screen())
		}
	}
	if strings.Index(screen, "not unfrozen") > strings.Index(screen, masked(card.LastFour)+" frozen") {
		t.Errorf("the log is not newest first:\n%s", s.screen())
	}
}
