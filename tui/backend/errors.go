package backend

import (
	"errors"
	"fmt"
)

// Sentinels a session decides on with errors.Is.
var (
	// ErrNotAllowed: the role, the provider's capability or the card's state
	// does not permit the action. The error's text says which.
	ErrNotAllowed = errors.New("action not allowed")
	// ErrReasonRequired: a reveal without a reason, or a termination
	// without one of api.TerminationReasons.
	ErrReasonRequired = errors.New("a reason is required")
	// ErrAuditFailed: the audit log could not record the attempt. It comes
	// alone, with no card, when the attempt could not be recorded before
	// the call (nothing was sent); alone after a done freeze, unfreeze,
	// activate or terminate whose outcome could not be recorded (the card
	// returned alongside is the card as changed: the action happened) and
	// after a reveal (whose details are then withheld); joined with the
	// refusal or the provider's error otherwise.
	ErrAuditFailed = errors.New("audit log not written")
	// ErrFeedClosed: Wait on a feed that was closed, or whose backend has
	// stopped.
	ErrFeedClosed = errors.New("feed closed")
	// ErrAuditUnavailable: ReadAudit on a backend whose Auditor cannot be
	// read back (none, or not an AuditReader).
	ErrAuditUnavailable = errors.New("the audit log is not available here")
)

// RefusedError is an action the backend refused without asking the
// provider. It matches ErrNotAllowed or ErrReasonRequired.
type RefusedError struct {
	Action Action
	CardID string
	// Why is the reason in an agent's words: "card is already frozen".
	Why  string
	kind error
}

func (e *RefusedError) Error() string {
	if e.CardID == "" {
		return fmt.Sprintf("%s: %s", e.Action, e.Why)
	}
	return fmt.Sprintf("%s card %s: %s", e.Action, e.CardID, e.Why)
}

func (e *RefusedError) Unwrap() error { return e.kind }
