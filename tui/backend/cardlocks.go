package backend

import "sync"

// cardLocks lets one change at a time be under way on a card, across every
// session of the backend: an agent who closes a dialog while its freeze is
// still being retried, or two agents on the same card, cannot send a
// second change whose outcome would race the first.
type cardLocks struct {
	mu   sync.Mutex
	busy map[string]Action
}

// take marks cardID busy with a and returns its release, or, when a change
// is already under way on the card, false and that change.
func (l *cardLocks) take(cardID string, a Action) (release func(), ok bool, under Action) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, busy := l.busy[cardID]; busy {
		return nil, false, cur
	}
	if l.busy == nil {
		l.busy = make(map[string]Action)
	}
	l.busy[cardID] = a
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.busy, cardID)
	}, true, ""
}
