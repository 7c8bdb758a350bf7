package backend

import (
	"time"

	"github.com/carddesk/carddesk/api"
)

// maxDirectory bounds the cards the directory keeps; past it, the cards
// it learnt first are forgotten first.
const maxDirectory = 50_000

// directory is every card this process has seen whole — in an answer or
// a webhook — kept past the cache's ttl, for the rows of Live and
// Declines, which show a card's last four and act on its state. Its last
// four and holder never change, and webhooks keep its state current, so a
// card once known is never fetched again on a timer for a row. What the
// card detail shows (limits, controls) is read through the cache, whose
// ttl still applies. The cache's mutex guards it.
type directory struct {
	cards map[string]api.Card
	// order holds the ids in the order learnt, a ring from head.
	order []string
	head  int
}

// learn keeps c, unless the directory's copy is newer by the provider's
// clock. A card without its last four or holder (a partial webhook) is
// not kept.
func (d *directory) learn(c api.Card) {
	if c.ID == "" || c.LastFour == "" || c.UserID == "" {
		return
	}
	if d.cards == nil {
		d.cards = make(map[string]api.Card)
	}
	old, ok := d.cards[c.ID]
	switch {
	case ok && staler(c.UpdatedAt, old.UpdatedAt):
		return
	case ok:
		d.cards[c.ID] = c
		return
	}
	if len(d.order) < maxDirectory {
		d.order = append(d.order, c.ID)
	} else {
		delete(d.cards, d.order[d.head])
		d.order[d.head] = c.ID
		d.head = (d.head + 1) % len(d.order)
	}
	d.cards[c.ID] = c
}

// setStatus changes a known card's state as an event without the whole
// card says, unless the directory's copy is newer.
func (d *directory) setStatus(id string, status api.CardStatus, at time.Time) {
	c, ok := d.cards[id]
	if !ok || status == "" || staler(at, c.UpdatedAt) {
		return
	}
	c.Status, c.UpdatedAt = status, laterOf(at, c.UpdatedAt)
	d.cards[id] = c
}

// directoryCard returns the card with id if the directory knows it.
func (c *cache) directoryCard(id string) (api.Card, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	card, ok := c.dir.cards[id]
	return card, ok
}

// learnCards puts cards the background lane fetched into the directory
// only: nobody asked to read them, so they do not extend the cache.
func (c *cache) learnCards(cards []api.Card) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, card := range cards {
		c.dir.learn(card)
	}
}
