package backend

import (
	"github.com/carddesk/carddesk/api"
)

// applyExplained applies evs to the cache in order (see apply), and
// explains each decline that came without a reason from what the cache
// holds at that point of the batch (api.ExplainDecline): the card as the
// webhooks before it left it (cached, or in the directory of cards
// looked up for live rows), and what it spent when a page of its
// transactions is cached. The result holds, for each event, the inferred
// reason, or nil (not a decline, a reason given, or none inferred). It
// never asks the provider: a card nobody has read is "reason not given".
func (c *cache) applyExplained(evs []api.Event) []*api.Decline {
	c.mu.Lock()
	defer c.mu.Unlock()
	var whys []*api.Decline
	for i, ev := range evs {
		c.apply(ev)
		why := c.explain(ev.Transaction)
		if why == nil {
			continue
		}
		if whys == nil {
			whys = make([]*api.Decline, len(evs))
		}
		whys[i] = why
	}
	return whys
}

// explain is the inferred reason of tx's decline, or nil. c.mu is held.
func (c *cache) explain(tx *api.Transaction) *api.Decline {
	if tx == nil || tx.Status != api.TxDeclined || tx.Decline != nil && tx.Decline.Given() {
		return nil
	}
	card, ok := c.cardFor(tx.CardID)
	if !ok {
		return nil
	}
	facts := api.DeclineFacts{Card: &card}
	if l := card.Limit; l != nil {
		if spent, ok := c.spent(card.ID, *l, *tx); ok {
			facts.Spent = &spent
		}
	}
	d, ok := api.ExplainDecline(*tx, facts)
	if !ok || !d.Inferred {
		return nil
	}
	return &d
}

// cardFor is the card with id as this process knows it: the cache's copy,
// or else the directory's, which the cards looked up for live rows fill
// and webhooks keep current. c.mu is held.
func (c *cache) cardFor(id string) (api.Card, bool) {
	if e, ok := c.cards[id]; ok {
		return e.v, true
	}
	card, ok := c.dir.cards[id]
	return card, ok
}

// spent is what the card had spent in the limit's window before tx, from
// a cached first page of the card's transactions (kept current by events),
// when one reaches back far enough. c.mu is held.
func (c *cache) spent(cardID string, l api.SpendingLimit, tx api.Transaction) (api.Money, bool) {
	for _, p := range c.txPages {
		f := p.f
		if f.CardID != cardID || !scopeOnly(f) || f.Page.After != "" || f.Page.Before != "" {
			continue
		}
		if p.page.HasNext {
			if s, ok := api.SpentBefore(p.page.Items, cardID, l, tx.CreatedAt); ok {
				return s, true
			}
			continue
		}
		return api.SpentBeforeComplete(p.page.Items, cardID, l, tx.CreatedAt)
	}
	return api.Money{}, false
}
