package sshserve

import (
	"strings"
	"testing"
)

// The dashboard follows the client's terminal: a window grown from 80 to
// 120 columns gets the footer's keys that 80 columns have no room for.
//
// charm.land/ssh writes a session's window size on a window-change without
// a lock that its Pty() takes, so the first resize after a session started
// is a data race inside the library, whoever reads the size: this test
// runs without the race detector (.ci/run runs it so).
func TestDashboardFollowsWindowChanges(t *testing.T) {
	if raceDetector {
		t.Skip("a window change races inside charm.land/ssh; run without -race")
	}
	e := newTestEnv(t, nil)
	tm := openTermSized(t, e.connect(t, "alice"), 80, 24)
	tm.out.waitFor(t, 0, "Email")
	if got := tm.out.text(); strings.Contains(got, "tab next view") {
		t.Fatalf("at 80 columns the footer shows %q:\n%s", "tab next view", got)
	}
	m := tm.out.mark()
	if err := tm.sess.WindowChange(40, 120); err != nil {
		t.Fatalf("window change: %v", err)
	}
	tm.out.waitFor(t, m, "tab next view")
}
