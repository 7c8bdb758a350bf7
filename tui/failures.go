package tui

import (
	"context"
	"errors"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// failedRead is an answer to a read: the root puts a failed one in the
// session's message log, in full, whichever screen it is for — the screen
// shows it where it has room, the log keeps it after.
type failedRead interface {
	// failedRead names what was being read ("Users", "Card card_…") and
	// why it failed; a nil error is a read that did not fail.
	failedRead() (what string, err error)
}

// logFailedRead records msg in the message log when it is a read that
// failed; one the session itself gave up (a cancel) says nothing.
func (m *model) logFailedRead(msg any) {
	f, ok := msg.(failedRead)
	if !ok {
		return
	}
	what, err := f.failedRead()
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	text, id := errorParts(m.ctx, err)
	m.ctx.messages.add(m.ctx.now(), safe(what)+" not loaded: "+text, id, true)
}

func (m pageMsg[T]) failedRead() (string, error) {
	var zero T
	what := "A list"
	switch any(zero).(type) {
	case api.User:
		what = "Users"
	case api.Card:
		what = "Cards"
	case api.Transaction:
		what = "Transactions"
	}
	return what, m.err
}

func (m cardMsg) failedRead() (string, error) { return "Card " + m.to.id, m.err }

func (m userMsg) failedRead() (string, error) { return "User " + m.to.user.ID, m.err }

func (m accountsMsg) failedRead() (string, error) {
	return "Accounts of user " + m.to.user.ID, m.err
}

func (m auditMsg) failedRead() (string, error) {
	var skipped *backend.AuditSkipError
	if errors.As(m.err, &skipped) {
		return "", nil // read, but for lines the screen names
	}
	return "The audit log", m.err
}
