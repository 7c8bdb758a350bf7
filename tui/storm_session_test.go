package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// startStormSession runs one session over be as runDashboard does: the
// backend's Run, the dashboard with the Live and Declines views and a
// session context, at 120×40; it waits for the first page of users.
func startStormSession(t *testing.T, be *backend.Backend, ringCap int) *session {
	t.Helper()
	s := startDashboard(t, Options{
		Backend:      be,
		Actor:        backend.Actor{Agent: "alice", Session: "storm", Role: backend.RoleSupervisor},
		LiveCapacity: ringCap,
	}, nil)
	s.await("the first page of users", func(m *model) bool { return m.usersLoaded() })
	return s
}

// awaitRelayLive waits until the subscription is live.
func awaitRelayLive(t *testing.T, sub *live.Subscription) {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		select {
		case st := <-sub.States():
			if st == live.StateLive {
				return
			}
		case <-deadline.C:
			t.Fatalf("the subscription is not live after 30s: %s, %v", sub.State(), sub.Err())
		}
	}
}

// pressThroughStorm goes to Live, then presses the keys of stormCycle
// over and over while the storm is sent, finishing the cycle it is in when
// the storm ends. It presses at least one whole cycle.
func pressThroughStorm(t *testing.T, s *session, stormDone <-chan struct{}, wait time.Duration) keyRun {
	t.Helper()
	var run keyRun
	stormOver := func() bool {
		select {
		case <-stormDone:
			return true
		default:
			return false
		}
	}
	run.latencies = append(run.latencies, pressAndWait(t, s.tm, cycleKey("3"), wait))
	for cycles := 0; cycles == 0 || !stormOver(); cycles++ {
		for _, key := range stormCycle() {
			d := pressAndWait(t, s.tm, key, wait)
			run.latencies = append(run.latencies, d)
			if !stormOver() {
				run.during++
			}
		}
	}
	return run
}

// showSpike goes to the Declines view, waits for the spike alert on the
// terminal, and checks the view's alert line and totals.
func showSpike(t *testing.T, s *session, wait time.Duration, attempts, declines int) string {
	t.Helper()
	k := cycleKey("4")
	k.token, k.what = regexp.MustCompile("▲ declines"), "the spike alert on the Declines view"
	pressAndWait(t, s.tm, k, wait)
	var screen string
	s.inspect(func(m *model) { screen = ansi.Strip(m.render()) })
	alert := ""
	for _, line := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "▲ declines") {
			alert = strings.TrimSpace(line)
		}
	}
	totals := fmt.Sprintf("%s attempts · %s declines", thousands(uint64(attempts)), thousands(uint64(declines)))
	if alert == "" || !strings.Contains(alert, "in the last 5 min vs 5% before") || !strings.Contains(screen, totals) {
		t.Errorf("the Declines view shows no spike over a 5%% baseline, or not %q:\n%s", totals, screen)
	}
	return alert + " · " + totals
}

// awaitStorm is session.await with a longer deadline, for the end of a
// storm.
func awaitStorm(t *testing.T, s *session, what string, wait time.Duration, cond func(*model) bool) {
	t.Helper()
	done := make(chan struct{})
	s.tm.Send(awaitMsg[*model]{waiter[*model]{cond: cond, done: done}})
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatalf("timed out after %v waiting for %s", wait, what)
	}
}
