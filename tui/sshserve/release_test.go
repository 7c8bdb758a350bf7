package sshserve

import (
	"testing"
	"time"
)

// A session that ends without q — the client quits with q, hangs up its
// connection, or closes its session channel — gives back its share of the
// backend: its live feed is closed, so a long-running server does not keep
// a Live ring and a queue of updates for every agent that ever connected.
func TestEndedSessionsReleaseTheirFeeds(t *testing.T) {
	e := newTestEnv(t, nil)
	ends := []struct {
		name string
		end  func(t *testing.T, tm *term, close func())
	}{
		{"q", func(t *testing.T, tm *term, _ func()) { tm.press(t, "q") }},
		{"connection dropped", func(_ *testing.T, _ *term, close func()) { close() }},
		{"session closed", func(_ *testing.T, tm *term, _ func()) { _ = tm.sess.Close() }},
	}
	var terms []*term
	var closers []func()
	for range ends {
		cl := e.connect(t, "alice")
		tm := openTerm(t, cl)
		tm.out.waitFor(t, 0, "Email")
		terms = append(terms, tm)
		closers = append(closers, func() { _ = cl.Close() })
	}
	if n := e.backend.Feeds(); n != len(ends) {
		t.Fatalf("%d sessions open, backend has %d feeds", len(ends), n)
	}
	for i, end := range ends {
		end.end(t, terms[i], closers[i])
		want := len(ends) - i - 1
		deadline := time.Now().Add(waitLimit)
		for e.backend.Feeds() != want && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := e.backend.Feeds(); n != want {
			t.Fatalf("after a session ended by %s: %d feeds, want %d", end.name, n, want)
		}
	}
}
