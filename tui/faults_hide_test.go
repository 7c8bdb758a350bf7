package tui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// While a freeze is held at the provider, esc hides its dialog (the call
// cannot be taken back, so it goes on); the dashboard takes keys; a second
// freeze of the same card is refused while the first is under way; and
// the first one's outcome still reaches the footer.
func TestFaultsPendingActionCanBeHidden(t *testing.T) {
	fe := newFaultEnv(t)
	tuning := faultTuning()
	tuning.AttemptTimeout, tuning.MaxAttempts = 3*time.Second, 1
	s := fe.start(t, vaultspay.Provider, tuning,
		faults.Rule{Kind: faults.Timeout, Method: http.MethodPost, Path: "/cards/*/freeze"})
	card := fe.card(t, vaultspay.Provider)
	s.openCardByID(card)
	s.key("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.key("y")
	s.await("the freeze under way", func(m *model) bool {
		d, ok := m.dialog.(*confirmDialog)
		return ok && d.running
	})
	if out := s.screen(); !strings.Contains(out, "Freezing…") || !strings.Contains(out, "esc hides this") {
		t.Fatalf("the dialog under way does not say what it does and how to hide it:\n%s", out)
	}

	s.key("esc")
	s.await("the dialog hidden before the outcome", func(m *model) bool { return m.dialog == nil })
	var early string
	s.inspect(func(m *model) { early = m.flashText() })
	if early != "" {
		t.Fatalf("the outcome came before esc was tried (%q); the test proves nothing", early)
	}

	s.key("f")
	s.await("a second confirm dialog", dialogIs[*confirmDialog])
	s.key("y")
	want := "Card " + masked(card.LastFour) + " not frozen: An earlier freeze of this card has not finished yet"
	s.await("the second freeze refused", func(m *model) bool { return m.flashText() == want })

	s.await("the first freeze's outcome", func(m *model) bool {
		return strings.HasPrefix(m.flashText(), "Card "+masked(card.LastFour)+" not confirmed frozen: VaultsPay did not answer within 3s")
	})
	posts := 0
	for _, r := range s.front.Records() {
		if r.Method == http.MethodPost {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("the provider saw %d freeze requests, want the first one only", posts)
	}
}
