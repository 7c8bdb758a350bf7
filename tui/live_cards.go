package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// Bounds of a cardBook.
const (
	// maxBookCards bounds the cards a book remembers; past it the book
	// starts over and asks again for what is on screen (from the
	// backend's directory, mostly without asking the provider).
	maxBookCards = 4096
	// bookRetry is how long the book leaves a card that the provider does
	// not have, or whose lookup failed, before asking the backend again.
	bookRetry = 15 * time.Second
)

// cardBook is what the Live and Declines screens know about the cards of
// the rows they show. A transaction event names its card by id only, while
// the screen shows the last four and acts on the card's state, so the
// cards on screen are asked of the backend, which looks up those it does
// not know in its background lane (the agents' reads go first), and kept
// current by card events and action results. A row whose card is not
// known says where its lookup is.
type cardBook struct {
	cards map[string]api.Card
	// unknown is where the lookup of each card asked for and not known
	// is, and asked when it was last asked.
	unknown map[string]backend.CardLookup
	asked   map[string]time.Time
	// asking: a lookup is out; the next waits for its answer.
	asking bool
}

// cardsMsg answers a book's lookup.
type cardsMsg struct {
	to    *cardBook
	found backend.FoundCards
}

// card is the card with id, if known.
func (b *cardBook) card(id string) (api.Card, bool) {
	c, ok := b.cards[id]
	return c, ok
}

// masked is the masked number of the card with id, or, while it is not
// known, where its lookup is: "lookup…", "queued" (the background lane
// is held back), "not found" or "failed".
func (b *cardBook) masked(id string) string {
	if c, ok := b.cards[id]; ok && c.LastFour != "" {
		return masked(c.LastFour)
	}
	if id == "" {
		return ""
	}
	switch st := b.unknown[id]; st {
	case backend.CardQueued, backend.CardMissing, backend.CardFailed:
		return string(st)
	}
	return "lookup…"
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
	delete(b.unknown, c.ID)
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
		b.asking = false
		for _, c := range m.found.Cards {
			b.put(c)
		}
		if len(m.found.Unknown) > 0 && (b.unknown == nil || len(b.unknown) >= maxBookCards) {
			b.unknown = make(map[string]backend.CardLookup)
		}
		for id, st := range m.found.Unknown {
			b.unknown[id] = st
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

// lookup returns a command asking the backend for the cards of ids that
// the book does not know; nil when there are none, or while its last
// lookup is out. Cards the provider does not have, or whose lookup
// failed, are asked for again after bookRetry.
func (b *cardBook) lookup(ctx *Context, ids []string) tea.Cmd {
	if ctx.Backend == nil || b.asking {
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
		if st := b.unknown[id]; (st == backend.CardMissing || st == backend.CardFailed) && now.Sub(b.asked[id]) < bookRetry {
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
	b.asking = true
	be, io := ctx.Backend, ctx.IO()
	return func() tea.Msg {
		return cardsMsg{to: b, found: be.FindCards(io, missing)}
	}
}
