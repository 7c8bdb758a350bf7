package tui

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// stormKey is a key press and what it writes to the terminal: a token that
// is not on the screen before the key and is on it after. The renderer
// writes only the cells that changed, so a token is a short run of text
// that the frame must write whole.
type stormKey struct {
	key   tea.KeyPressMsg
	name  string
	token *regexp.Regexp
	what  string // the change, for the failure message
}

// stormCycle starts and ends on Live, following the newest row, every
// event shown, not paused, no help: it moves in Live (over the declines
// only, so that the rows the ring drops meanwhile do not matter), opens
// and closes the help over Live and over Declines, switches views with
// the view keys, and pauses and resumes.
func stormCycle() []stormKey {
	lit := func(s string) *regexp.Regexp { return regexp.MustCompile(regexp.QuoteMeta(s)) }
	k := func(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }
	esc := tea.KeyPressMsg{Code: tea.KeyEscape}
	return []stormKey{
		{k('d'), "d", lit("all events"), "declines only (the footer offers all events)"},
		{k('j'), "j", lit("holding"), "Live holding the selected row"},
		// Back on the newest row, the status line loses "holding the
		// selected row", so its "declines only" is written further left.
		{k('g'), "g", lit("declines only"), "Live back on the newest row"},
		{k('d'), "d", lit("declines only"), "all events again (the footer offers declines only)"},
		{k('?'), "?", lit("Navigate"), "the help over Live"},
		{esc, "esc", lit("Place"), "Live again, help closed"},
		{k('4'), "4", lit("reasons"), "the Declines view"},
		{k('?'), "?", lit("Navigate"), "the help over Declines"},
		{esc, "esc", lit("reasons"), "Declines again, help closed"},
		{k('1'), "1", lit("Phone"), "the Users view"},
		{k('3'), "3", lit("Place"), "the Live view"},
		{k('p'), "p", lit("paused"), "Live paused"},
		{k('p'), "p", lit("● live"), "Live resumed"},
	}
}

// cycleKey is the first key of stormCycle named name.
func cycleKey(name string) stormKey {
	for _, k := range stormCycle() {
		if k.name == name {
			return k
		}
	}
	panic("no key " + name + " in the storm's cycle")
}

// keyRun is what pressing keys measured.
type keyRun struct {
	latencies []time.Duration // key sent → its frame read, in order
	during    int             // keys whose frame came while the storm was still being sent
}

// pressAndWait sends k and waits, with teatest.WaitFor, for the frame that
// shows its change; it fails the test, saying which key and what it waited
// for, when none comes within wait. It returns the time from sending the
// key to reading the frame.
func pressAndWait(t *testing.T, tm *teatest.TestModel, k stormKey, wait time.Duration) time.Duration {
	t.Helper()
	// What was drawn before the key cannot show its change.
	if _, err := io.Copy(io.Discard, tm.Output()); err != nil {
		t.Fatalf("read the terminal: %v", err)
	}
	sent := time.Now()
	tm.Send(k.key)
	teatest.WaitFor(shortFatal{TB: t, what: fmt.Sprintf("key %q: no frame showed %s (%q) within %v", k.name, k.what, k.token, wait)},
		tm.Output(), func(b []byte) bool { return k.token.Match(b) },
		teatest.WithDuration(wait), teatest.WithCheckInterval(2*time.Millisecond))
	return time.Since(sent)
}

// shortFatal is t with a failure message that says what was waited for and
// quotes only the end of the terminal output, which in a storm is long.
type shortFatal struct {
	testing.TB
	what string
}

func (s shortFatal) Fatal(args ...any) {
	s.TB.Helper()
	out := []byte(ansi.Strip(fmt.Sprint(args...)))
	if len(out) > 1500 {
		out = append([]byte("…"), out[len(out)-1500:]...)
	}
	s.TB.Fatalf("%s\n%s", s.what, bytes.ToValidUTF8(out, []byte("?")))
}

// quantiles is p50 and max of ds.
func quantiles(ds []time.Duration) (p50, most time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2], s[len(s)-1]
}
