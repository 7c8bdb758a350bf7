package backend

import (
	"context"
	"sync"
)

// AuditReader reads back the latest entries of an audit log, newest first,
// as ReadAuditLog does; *AuditLog is one.
type AuditReader interface {
	Read(ctx context.Context, limit int) ([]AuditEntry, error)
}

// OutcomeUnderWay is how ReadAudit shows an attempt that this process has
// sent to the provider and that has not ended yet: its outcome is missing
// because it is still to come, not because the process stopped.
const OutcomeUnderWay = "under way: no outcome yet"

// AuditAvailable says whether actor may read the audit log here, and if
// not, why: the role first, then whether there is a log to read. It does no
// I/O; the view asks it before opening the Audit screen, and ReadAudit
// decides the same again.
func (b *Backend) AuditAvailable(actor Actor) (bool, string) {
	if ok, why := actor.Role.Can(ActionReadAudit); !ok {
		return false, why
	}
	if _, ok := b.audit.(AuditReader); !ok {
		return false, ErrAuditUnavailable.Error()
	}
	return true, ""
}

// ReadAudit returns the latest limit entries of the audit log for actor,
// newest first (see ReadAuditLog). The role is enforced here, where the log
// is read, not only in the view: a role that may not read it is refused,
// and the refusal recorded, before anything is read. Without a log to read
// it is ErrAuditUnavailable.
func (b *Backend) ReadAudit(ctx context.Context, actor Actor, limit int) ([]AuditEntry, error) {
	if ok, why := actor.Role.Can(ActionReadAudit); !ok {
		return nil, b.refuse(ctx, b.newAttempt(actor, ActionReadAudit, "", ""), why, ErrNotAllowed)
	}
	r, ok := b.audit.(AuditReader)
	if !ok {
		return nil, ErrAuditUnavailable
	}
	entries, err := r.Read(ctx, limit)
	b.underWay.mark(entries)
	return entries, err
}

// attempts are the ids of the attempts recorded and not yet ended.
type attempts struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

func (a *attempts) start(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ids == nil {
		a.ids = map[string]struct{}{}
	}
	a.ids[id] = struct{}{}
}

func (a *attempts) end(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.ids, id)
}

// mark turns the missing outcome of each attempt still under way into
// OutcomeUnderWay.
func (a *attempts) mark(entries []AuditEntry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, e := range entries {
		if _, ok := a.ids[e.Attempt]; ok && e.Outcome == OutcomeMissing {
			entries[i].Outcome = OutcomeUnderWay
		}
	}
}
