package tui

import (
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// EventsMsg carries a batch of live updates down to every screen after the
// root has put them in the Ring and the Stats, so that screens patch the
// rows they show in place (a card.frozen event turns the card frozen
// wherever it shows).
type EventsMsg struct {
	Updates []backend.Update
}

// CardMsg tells every screen a card's new state, after an action on it
// succeeded; the webhook that follows reconciles again.
type CardMsg struct {
	Card api.Card
}

// TickMsg is the root's one-second tick, passed down to the screens: it
// bounds how often the Live view redraws and moves clocks and ages along.
type TickMsg struct {
	At time.Time
}

// ShownMsg tells the screen now on show that it is, when a view is switched
// back to or a drill-down closed: it catches up on what it skipped while
// hidden.
type ShownMsg struct{}

// tickMsg re-arms the root's tick.
type tickMsg time.Time

// applyCardEvent patches c from a card event about it and reports whether
// anything changed. An event without the whole card changes the status
// only; an event older than what is shown is ignored.
func applyCardEvent(c *api.Card, ev api.Event) bool {
	if ev.Card == nil || ev.Card.ID != c.ID {
		return false
	}
	next := *ev.Card
	if next.LastFour != "" && next.UserID != "" {
		if next.UpdatedAt.Before(c.UpdatedAt) {
			return false
		}
		*c = next
		return true
	}
	status := next.Status
	if status == "" {
		status = statusAfter(ev.Type)
	}
	at := next.UpdatedAt
	if ev.CreatedAt.After(at) {
		at = ev.CreatedAt
	}
	if status == "" || at.Before(c.UpdatedAt) || status == c.Status {
		return false
	}
	c.Status, c.UpdatedAt = status, at
	return true
}

// statusAfter is the state a card event leaves a card in, if it says.
func statusAfter(t api.EventType) api.CardStatus {
	switch t {
	case api.EventCardFrozen:
		return api.CardFrozen
	case api.EventCardUnfrozen, api.EventCardActivated:
		return api.CardActive
	case api.EventCardTerminated:
		return api.CardTerminated
	}
	return ""
}

// patchCards applies a batch of updates and an action's result to a card
// list; it reports whether anything changed.
func patchCards(l *lister[api.Card], msg any) bool {
	switch m := msg.(type) {
	case EventsMsg:
		changed := false
		for _, u := range m.Updates {
			if u.Event.Card == nil {
				continue
			}
			if l.patch(func(c *api.Card) bool { return applyCardEvent(c, u.Event) }) {
				changed = true
			}
		}
		return changed
	case CardMsg:
		return l.patch(func(c *api.Card) bool {
			if c.ID != m.Card.ID {
				return false
			}
			*c = m.Card
			return true
		})
	}
	return false
}
