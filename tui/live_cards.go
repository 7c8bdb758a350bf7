package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
)

// Bounds of a cardBook.
const (
	// maxBookCards bounds the cards a book remembers; past it the book
	// starts over and refetches what is on screen (through the backend's
	// cache, so mostly without asking the provider).
	maxBookCards = 4096
	// bookRetry is how long a failed or unanswered lookup waits before it
	// is asked again, so that a card the provider cannot find does not cost
	// a request per redraw.
	bookRetry = 15 * time.Second
)

// cardBook is what the Live and Declines screens know about the cards of
// the rows they show. A transaction event names its card by id only, while
// the screen shows the last four and acts on the card's state, so the
// cards on screen are looked up through the backend (cached, singleflight)
// in commands, and kept current by card events and action results.
type cardBook struct {
	cards map[string]api.Card
	// asked maps a card id being (or that failed being) looked up to when
	// it was asked.
	asked map[string]time.Time
}

// cardsMsg answers a book's lookups; a card that failed stays asked for
// until bookRetry has passed.
type cardsMsg struct {
	to    *cardBook
	cards []api.Card
}

// card is the card with id, if known.
func (b *cardBook) card(id string) (api.Card, bool) {
	c, ok := b.cards[id]
	return c, ok
}

// masked is the masked number of the card with id, or "•••• …" while it is
// being looked up.
func (b *cardBook) masked(id string) string {
	if c, ok := b.cards[id]; ok && c.LastFour != "" {
		return masked(c.LastFour)
	}
	if id == "" {
		return ""
	}
	return "•••• …"
}

// put remembers c, unless what the book has is newer.
func (b *cardBook) put(c api.Card) {
	if c.ID == "" || c.LastFour == "" {
		return
	}
	if old, ok := b.cards[c.ID]; ok && c.UpdatedAt.Before(old.UpdatedAt) {
		return
	}
	if b.cards == nil || len(b.cards) >= maxBookCards {
		b.cards = make(map[string]api.Card)
	}
	b.cards[c.ID] = c
	delete(b.asked, c.ID)
}

// update applies live updates and action results to the cards the book
// knows, and takes in its own lookups' answers. It reports whether msg was
// a lookup answer for this book.
func (b *cardBook) update(msg tea.Msg) bool {
	switch m := msg.(type) {
	case cardsMsg:
		if m.to != b {
			return false
		}
		for _, c := range m.cards {
			b.put(c)
		}
		return true
	case EventsMsg:
		for _, u := range m.Updates {
			if u.Event.Card == nil {
				continue
			}
			if c, ok := b.cards[u.Event.Card.ID]; ok {
				if applyCardEvent(&c, u.Event) {
					b.cards[c.ID] = c
				}
			} else {
				b.put(*u.Event.Card)
			}
		}
	case CardMsg:
		b.put(m.Card)
	}
	return false
}

// lookup returns a command fetching the cards of ids that the book does
// not know and has not asked for lately; nil when there are none.
func (b *cardBook) lookup(ctx *Context, ids []string) tea.Cmd {
	if ctx.Backend == nil {
		return nil
	}
	now := time.Now()
	var missing []string
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, ok := b.cards[id]; ok {
			continue
		}
		if at, ok := b.asked[id]; ok && now.Sub(at) < bookRetry {
			continue
		}
		if b.asked == nil || len(b.asked) >= maxBookCards {
			b.asked = make(map[string]time.Time)
		}
		b.asked[id] = now
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return nil
	}
	be, io := ctx.Backend, ctx.IO()
	return func() tea.Msg {
		out := cardsMsg{to: b}
		for _, id := range missing {
			if io.Err() != nil {
				break
			}
			if c, err := be.GetCard(io, id); err == nil {
				out.cards = append(out.cards, c)
			}
		}
		return out
	}
}
