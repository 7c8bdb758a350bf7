package sshserve

import (
	"bytes"
	"context"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext/safetexttest"
)

// TestHostileEventsOverSSH: signed webhooks whose merchant and place carry
// clipboard writes, bidi overrides and every other hostile sequence, and
// card numbers, reach an agent's SSH session through the real relay and
// are drawn in Live and Declines; the session's raw byte stream never
// holds an OSC 52 or a bidi control, only the renderer's own sequences,
// and no card number.
func TestHostileEventsOverSSH(t *testing.T) {
	e := newRelayEnv(t)
	page, err := e.client.ListCards(context.Background(), api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: 1}})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no active card: %v", err)
	}
	card := page.Items[0]

	tm := openTerm(t, e.connect())
	tm.out.waitFor(t, 0, "Email") // the Users table
	m := tm.out.mark()
	tm.press(t, "3")
	tm.out.waitFor(t, m, "Waiting for live events")

	// The waits do not stop the test: what reached the session is checked
	// whatever happened, so that a leak is reported as one.
	var waits []error
	wait := func(mark int, token string) {
		if err := tm.out.await(mark, token); err != nil {
			waits = append(waits, err)
		}
	}
	m = tm.out.mark()
	for i := range 3 {
		e.postDecline(card, i)
	}
	wait(m, "CARREFOURX")
	wait(m, "•••• "+card.LastFour)
	m = tm.out.mark()
	tm.press(t, "4")
	wait(m, "Top merchants")
	wait(m, "CARREFOURX")
	tm.press(t, "q")
	if err := tm.waitEnd(t); err != nil {
		t.Errorf("quitting ended the session with %v", err)
	}
	defer func() {
		for _, err := range waits {
			t.Error(err)
		}
	}()

	raw := tm.out.raw()
	if i := bytes.Index(raw, []byte("\x1b]52")); i >= 0 {
		t.Errorf("an OSC 52 clipboard write reached the session at byte %d", i)
	}
	for _, r := range []rune{0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069} {
		if bytes.ContainsRune(raw, r) {
			t.Errorf("bidi control %U reached the session", r)
		}
	}
	for _, p := range safetexttest.Terminal(raw, 120, 40) {
		t.Errorf("the session got %s", p)
	}
	for _, p := range safetexttest.CardNumbers(ansi.Strip(string(raw)), e.pans) {
		t.Errorf("the session shows %s", p)
	}
}
