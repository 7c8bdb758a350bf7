package backend

import (
	"slices"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Events keep the cache current between reads:
//
//   - an event carrying a card sets the cached card (every cached list that
//     shows it shows the new state); a card event whose card looks partial
//     (no last four or user) only patches the status; card.created drops
//     the cached card lists it may belong in, so that they are read again.
//     A card that is no longer what a list was filtered by ("active" cards,
//     say) stays in that list, showing its new state, until the list is
//     read again.
//   - an event carrying a user sets the cached user; user.created drops the
//     cached user lists; a user event without a user drops that user.
//   - an event carrying an account replaces it in its user's cached list.
//   - a transaction event updates the transaction in place in every cached
//     page that shows it, and adds a new one to the front of the cached
//     first pages it belongs to when their filter is only a scope (card,
//     user, account or none); any other cached page it may change is
//     dropped and read again. The user's cached accounts are dropped too:
//     their balances move with transactions.
//
// Only objects already cached are changed; nothing is added from an event
// alone, but for the directory of cards for live rows, which learns a card
// an event carries whole. An event older, by the provider's clock, than
// the cached object it concerns is ignored. applyExplained applies a
// batch.
//
// apply applies one event; c.mu is held.
func (c *cache) apply(ev api.Event) {
	switch {
	case ev.Card != nil:
		c.applyCard(ev)
	case ev.User != nil:
		c.keepUserFromEvent(*ev.User)
	case ev.Type == api.EventUserUpdated || ev.Type == api.EventUserKYCUpdated:
		// No user in the event: forget it so the next read asks again.
		if id := ev.UserID(); id != "" {
			delete(c.users, id)
		}
	}
	if ev.Type == api.EventUserCreated {
		clear(c.userPages)
	}
	if ev.Account != nil {
		c.applyAccount(*ev.Account)
	}
	if ev.Transaction != nil {
		c.applyTx(*ev.Transaction)
	}
}

func (c *cache) applyCard(ev api.Event) {
	next := *ev.Card
	if ev.Type == api.EventCardCreated {
		for key, p := range c.cardPages {
			if p.f.UserID == "" || p.f.UserID == next.UserID {
				delete(c.cardPages, key)
			}
		}
	}
	partial := next.LastFour == "" || next.UserID == ""
	if partial {
		c.dir.setStatus(next.ID, laterStatus(next.Status, ev.Type), laterOf(next.UpdatedAt, ev.CreatedAt))
	} else {
		c.dir.learn(next)
	}
	old, ok := c.cards[next.ID]
	if !ok {
		return
	}
	if partial {
		status := laterStatus(next.Status, ev.Type)
		if status == "" {
			delete(c.cards, next.ID)
			return
		}
		patched := old.v
		patched.Status = status
		patched.UpdatedAt = laterOf(next.UpdatedAt, ev.CreatedAt)
		next = patched
	}
	if staler(next.UpdatedAt, old.v.UpdatedAt) {
		return
	}
	c.cards[next.ID] = stamped[api.Card]{v: next, at: old.at}
}

// laterStatus is the state a card event gives, or leaves the card in.
func laterStatus(given api.CardStatus, t api.EventType) api.CardStatus {
	if given != "" {
		return given
	}
	return statusAfter(t)
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

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (c *cache) keepUserFromEvent(u api.User) {
	old, ok := c.users[u.ID]
	if !ok || staler(u.UpdatedAt, old.v.UpdatedAt) {
		return
	}
	c.users[u.ID] = stamped[api.User]{v: u, at: old.at}
}

func (c *cache) applyAccount(a api.Account) {
	e, ok := c.accounts[a.UserID]
	if !ok {
		return
	}
	i := slices.IndexFunc(e.v, func(x api.Account) bool { return x.ID == a.ID })
	if i < 0 {
		delete(c.accounts, a.UserID)
		return
	}
	accts := slices.Clone(e.v)
	accts[i] = a
	c.accounts[a.UserID] = stamped[[]api.Account]{v: accts, at: e.at}
}

// maxGrownPage is how long a cached first page may grow from events
// before it is dropped and read again.
const maxGrownPage = 2 * api.MaxPageSize

func (c *cache) applyTx(tx api.Transaction) {
	if tx.UserID != "" {
		delete(c.accounts, tx.UserID)
	}
	for key, p := range c.txPages {
		if !inScope(p.f, tx) {
			continue
		}
		items := p.page.Items
		i := slices.IndexFunc(items, func(x api.Transaction) bool { return x.ID == tx.ID })
		first := p.f.Page.After == "" && p.f.Page.Before == ""
		switch {
		case i >= 0 && scopeOnly(p.f):
			items = slices.Clone(items)
			items[i] = tx
		case i >= 0 || (first && !scopeOnly(p.f)):
			delete(c.txPages, key)
			continue
		case first:
			// Newest first: the new one goes before the first older one.
			at := slices.IndexFunc(items, func(x api.Transaction) bool { return x.CreatedAt.Before(tx.CreatedAt) })
			if at < 0 {
				if p.page.HasNext {
					continue // it belongs on a later page
				}
				at = len(items)
			}
			items = slices.Insert(slices.Clone(items), at, tx)
			if len(items) > maxGrownPage {
				delete(c.txPages, key)
				continue
			}
		default:
			continue
		}
		p.page.Items = items
		c.txPages[key] = p
	}
}

// inScope reports whether tx belongs to the card, user or account a
// listing is scoped to (every transaction belongs to a global listing).
func inScope(f api.TxFilter, tx api.Transaction) bool {
	switch {
	case f.CardID != "":
		return tx.CardID == f.CardID
	case f.UserID != "":
		return tx.UserID == f.UserID
	case f.AccountID != "":
		return tx.AccountID == f.AccountID
	}
	return true
}

// scopeOnly reports whether a listing filters by nothing but its scope, so
// that any transaction in scope belongs in it.
func scopeOnly(f api.TxFilter) bool {
	return f.Status == "" && f.Type == "" && f.MinAmount == nil && f.MaxAmount == nil &&
		f.CreatedAfter.IsZero() && f.CreatedBefore.IsZero()
}
