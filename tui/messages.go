package tui

import "time"

// maxMessages bounds a session's message log; past it the oldest go.
const maxMessages = 1000

// message is one entry of the session's message log: a failure or an
// outcome, in full, terminal-safe, with the provider's request id.
type message struct {
	At        time.Time
	Text      string
	RequestID string
	Error     bool
	// Count is how many times in a row the same message came; At is the
	// last.
	Count int
}

// messageLog is what the session was told, newest last: every failure and
// outcome, whatever the footer had room for or how soon it went, so that
// an agent can read a request id out to the provider's support long after
// the footer moved on. It lives as long as the session.
type messageLog struct {
	items []message
}

// add records a message at at; the same message as the last one counts
// again rather than filling the log (a list failing on every refresh).
func (l *messageLog) add(at time.Time, text, requestID string, isErr bool) {
	if text == "" {
		return
	}
	if n := len(l.items); n > 0 {
		last := &l.items[n-1]
		if last.Text == text && last.RequestID == requestID && last.Error == isErr {
			last.Count++
			last.At = at
			return
		}
	}
	if len(l.items) >= maxMessages {
		l.items = append(l.items[:0], l.items[len(l.items)-maxMessages+1:]...)
	}
	l.items = append(l.items, message{At: at, Text: text, RequestID: requestID, Error: isErr, Count: 1})
}

// Len is how many messages the log holds.
func (l *messageLog) Len() int { return len(l.items) }

// newest returns the i-th newest message (0: the last).
func (l *messageLog) newest(i int) message { return l.items[len(l.items)-1-i] }
