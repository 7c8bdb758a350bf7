package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// openCard finds the user by email from the Users view, opens them, and
// opens their first card.
func (s *session) openCard(u api.User, c api.Card) {
	s.t.Helper()
	s.key("/")
	s.key(u.Email)
	s.key("enter")
	s.await("the search for "+u.Email, func(m *model) bool {
		us, ok := topIs[*UsersScreen](m)
		return ok && !us.list.loading && len(us.list.items) == 1 && us.list.items[0].ID == u.ID
	})
	s.key("enter")
	s.await("the user's cards", func(m *model) bool {
		d, ok := topIs[*UserDetail](m)
		return ok && !d.cards.loading && len(d.cards.items) > 0
	})
	s.key("enter")
	s.await("the card's detail", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.loaded && d.card.ID == c.ID
	})
}

// topCardStatus is the status the card detail shows.
func topCardStatus(m *model) api.CardStatus {
	d, ok := topIs[*CardDetail](m)
	if !ok {
		return ""
	}
	return d.card.Status
}

func TestFreezeUnfreezeTerminateFlow(t *testing.T) {
	e := newEnv(t)
	u, c := e.pickUser(t)
	s := e.start(t, backend.RoleSupervisor, 120, 40)
	s.openCard(u, c)

	// Freeze, declined with n: nothing is sent, the card stays active.
	s.key("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	if out := s.screen(); !strings.Contains(out, "Freeze card "+masked(c.LastFour)+"?") || !strings.Contains(out, "Holder") {
		t.Fatalf("the confirm dialog does not show the card:\n%s", out)
	}
	s.key("n")
	s.await("the dialog to close", func(m *model) bool { return m.dialog == nil })
	if w := e.log.Writes(); len(w) != 0 {
		t.Fatalf("n sent %v", w)
	}
	if got := e.cardStatus(t, c.ID); got != api.CardActive {
		t.Fatalf("after n the sandbox says %s, want active", got)
	}

	// Enter on the default button is No too.
	s.key("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.key("enter")
	s.await("the dialog to close", func(m *model) bool { return m.dialog == nil })
	if w := e.log.Writes(); len(w) != 0 {
		t.Fatalf("enter on the default button sent %v", w)
	}

	// Freeze with y.
	s.key("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.key("y")
	s.await("the freeze outcome", func(m *model) bool {
		return m.dialog == nil && m.flashText() == "Card "+masked(c.LastFour)+" frozen" && topCardStatus(m) == api.CardFrozen
	})
	if got := e.cardStatus(t, c.ID); got != api.CardFrozen {
		t.Fatalf("after y the sandbox says %s, want frozen", got)
	}

	// Freezing again is refused with the reason; no dialog opens.
	s.key("f")
	s.await("the refusal", func(m *model) bool {
		return m.dialog == nil && strings.Contains(m.flashText(), "card is already frozen")
	})

	// Unfreeze, with the focus moved to Yes and enter.
	s.key("u")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.key("right")
	s.key("enter")
	s.await("the unfreeze outcome", func(m *model) bool {
		return m.dialog == nil && m.flashText() == "Card "+masked(c.LastFour)+" unfrozen" && topCardStatus(m) == api.CardActive
	})
	if got := e.cardStatus(t, c.ID); got != api.CardActive {
		t.Fatalf("after unfreeze the sandbox says %s, want active", got)
	}

	// Terminate: a wrong last four does nothing and says so.
	before := len(e.log.Writes())
	s.key("t")
	s.await("the terminate dialog", dialogIs[*terminateDialog])
	wrong := "0000"
	if c.LastFour == wrong {
		wrong = "1111"
	}
	s.key(wrong)
	s.await("the wrong entry to be refused", func(m *model) bool {
		d, ok := m.dialog.(*terminateDialog)
		return ok && !d.matched && d.note != "" && !d.ready()
	})
	// Tab to the buttons, pick Terminate, press it: still nothing.
	s.key("tab")
	s.key("tab")
	s.key("right")
	s.key("enter")
	s.await("the disabled button to say why", func(m *model) bool {
		d, ok := m.dialog.(*terminateDialog)
		return ok && !d.running && strings.Contains(d.note, "last four")
	})
	if n := len(e.log.Writes()); n != before {
		t.Fatalf("a wrong last four sent %v", e.log.Writes()[before:])
	}
	// Back to the digits: the right ones, then a reason, then Terminate.
	s.key("tab")
	for range 4 {
		s.tm.Send(keyBackspace())
	}
	s.key(c.LastFour)
	s.await("the digits to match", func(m *model) bool {
		d, ok := m.dialog.(*terminateDialog)
		return ok && d.matched && d.focus == focusReasons
	})
	s.key("down")
	s.key("enter") // picks "stolen", moves to the buttons with No focused
	s.await("the reason", func(m *model) bool {
		d, ok := m.dialog.(*terminateDialog)
		return ok && d.reason == api.TerminateStolen && d.ready() && d.focus == focusButtons && d.button == 0
	})
	s.key("right")
	s.key("enter")
	s.await("the terminate outcome", func(m *model) bool {
		return m.dialog == nil && m.flashText() == "Card "+masked(c.LastFour)+" terminated" && topCardStatus(m) == api.CardTerminated
	})
	if got := e.cardStatus(t, c.ID); got != api.CardTerminated {
		t.Fatalf("after terminate the sandbox says %s, want terminated", got)
	}
	writes := e.log.Writes()
	want := []string{
		"POST /vaultspay/v1/cards/" + c.ID + "/freeze",
		"POST /vaultspay/v1/cards/" + c.ID + "/unfreeze",
		"POST /vaultspay/v1/cards/" + c.ID + "/terminate",
	}
	if !slices.Equal(writes, want) {
		t.Fatalf("the sandbox got %v, want %v", writes, want)
	}
}

func TestViewerSeesWhyInsteadOfDialog(t *testing.T) {
	e := newEnv(t)
	u, c := e.pickUser(t)
	s := e.start(t, backend.RoleViewer, 80, 24)
	s.openCard(u, c)
	for _, k := range []struct{ key, why string }{
		{"f", "your role (viewer) cannot freeze cards"},
		{"t", "your role (viewer) cannot terminate cards"},
		{"r", "your role (viewer) cannot reveal card numbers"},
	} {
		s.key(k.key)
		s.await("the reason for "+k.key, func(m *model) bool {
			return m.dialog == nil && strings.Contains(m.flashText(), k.why)
		})
	}
	if w := e.log.Writes(); len(w) != 0 {
		t.Fatalf("a viewer's keys sent %v", w)
	}
	if out := s.screen(); !strings.Contains(out, "your role (viewer) cannot") {
		t.Fatalf("the footer does not say why:\n%s", out)
	}
}

func TestRevealCountdownAndEsc(t *testing.T) {
	e := newEnv(t)
	u, c := e.pickUser(t)
	s := e.start(t, backend.RoleSupervisor, 120, 40)
	s.openCard(u, c)

	// A reason is required before anything is fetched.
	s.key("r")
	s.await("the reveal dialog", dialogIs[*revealDialog])
	s.key("enter")
	s.await("the reason to be required", func(m *model) bool {
		d, ok := m.dialog.(*revealDialog)
		return ok && d.state == revealAsking && d.note == "A reason is required"
	})
	if w := e.log.Writes(); len(w) != 0 {
		t.Fatalf("an empty reason sent %v", w)
	}

	number, shown := s.reveal("caller verified by security questions")
	s.await("the countdown to start", func(m *model) bool {
		return strings.Contains(rendered(m), "Hides in 30s")
	})
	// Twenty seconds on, the values are still there.
	e.clock.Advance(20 * time.Second)
	s.sendRevealTick()
	s.await("the countdown to move", func(m *model) bool { return strings.Contains(rendered(m), "Hides in 10s") })
	// Past thirty seconds, they go and are wiped, and the whole screen is
	// drawn again, so that no cell keeps a digit.
	e.clock.Advance(11 * time.Second)
	s.sendRevealTick()
	s.await("the values to hide", func(m *model) bool {
		return m.dialog == nil && strings.Contains(m.flashText(), "details hidden")
	})
	assertWiped(t, number)
	s.awaitRepaints(1)
	if out := s.terminal(); strings.Contains(out, shown) || strings.Contains(out, "Hides in") {
		t.Fatalf("the values still show:\n%s", out)
	}

	// esc hides them at once.
	number, shown = s.reveal("cardholder asked again")
	s.key("esc")
	s.await("the dialog to close", func(m *model) bool { return m.dialog == nil })
	assertWiped(t, number)
	s.awaitRepaints(2)
	if out := s.terminal(); strings.Contains(out, shown) {
		t.Fatalf("the values still show:\n%s", out)
	}
}

// A dashboard started without an Output cannot show revealed values, so
// it does not fetch them: the agent is told why, and the provider never
// hears of it.
func TestRevealRefusedWithoutOutput(t *testing.T) {
	e := newEnv(t)
	u, c := e.pickUser(t)
	s := e.startWith(t, backend.RoleSupervisor, 120, 40, func(o *Options) { o.Output = nil })
	s.openCard(u, c)
	s.key("r")
	s.await("the refusal", func(m *model) bool {
		return m.dialog == nil && strings.Contains(m.flashText(), "no terminal output to show the values on")
	})
	if w := e.log.Writes(); len(w) != 0 {
		t.Fatalf("the refused reveal sent %v", w)
	}
}

// reveal asks for the values with a reason and returns the number's bytes
// as the dialog holds them, and the number as it was shown.
func (s *session) reveal(reason string) ([]byte, string) {
	s.t.Helper()
	s.key("r")
	s.await("the reveal dialog", dialogIs[*revealDialog])
	s.key(reason)
	s.key("enter")
	var number []byte
	s.await("the values", func(m *model) bool {
		d, ok := m.dialog.(*revealDialog)
		if !ok || d.state != revealShown || d.secrets == nil {
			return false
		}
		number = d.secrets.Number
		return true
	})
	if len(number) < 13 {
		s.t.Fatalf("revealed number has %d digits", len(number))
	}
	// The frame itself holds placeholders; the terminal shows the digits.
	if frame := s.screen(); strings.Contains(frame, groupDigits(number)) || strings.Contains(frame, string(number)) {
		s.t.Fatal("the frame carries the number")
	}
	out := s.terminal()
	if !strings.Contains(out, groupDigits(number)) || !strings.Contains(out, "CVC") {
		s.t.Fatalf("the dialog does not show the values:\n%s", out)
	}
	var flash string
	s.inspect(func(m *model) { flash = m.flashText() })
	if strings.Contains(flash, string(number[len(number)-8:])) {
		s.t.Fatalf("the flash carries the number: %q", flash)
	}
	return number, groupDigits(number)
}

// awaitRepaints waits until the program has repainted the whole screen n
// times since the session started.
func (s *session) awaitRepaints(n int) {
	s.t.Helper()
	s.await(fmt.Sprintf("%d whole-screen repaints", n), func(*model) bool { return s.h.repaints >= n })
}

// sendRevealTick sends the open reveal dialog its countdown tick.
func (s *session) sendRevealTick() {
	var d *revealDialog
	s.inspect(func(m *model) { d, _ = m.dialog.(*revealDialog) })
	if d == nil {
		s.t.Fatal("no reveal dialog is open")
	}
	s.tm.Send(revealTickMsg{to: d})
}

// groupDigits writes a card number in groups of four, as the dialog shows
// it.
func groupDigits(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte(' ')
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// rendered is the model's rendering without styles.
func rendered(m *model) string { return ansi.Strip(m.render()) }

func assertWiped(t *testing.T, number []byte) {
	t.Helper()
	for _, b := range number {
		if b != 0 {
			t.Fatal("the revealed number was not wiped")
		}
	}
}

func keyBackspace() tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeyBackspace} }
