package backend

import (
	"slices"

	"github.com/carddesk/carddesk/api"
)

// Cached lists: card and user pages hold ids and are assembled from the
// objects cached by id; accounts and transaction pages are held whole.

func (c *cache) cardList(key string) (api.Page[api.Card], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.cardPages[key]
	if !ok || !c.fresh(p.at, c.now()) {
		return api.Page[api.Card]{}, false
	}
	items, ok := assemble(p.ids, c.cards)
	return pageOf(p.meta, items), ok
}

// putCardList stores a page of cards and returns it as kept.
func (c *cache) putCardList(key string, f api.CardFilter, page api.Page[api.Card]) api.Page[api.Card] {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	ids := make([]string, len(page.Items))
	items := make([]api.Card, len(page.Items))
	for i, card := range page.Items {
		ids[i] = card.ID
		items[i] = c.keepCard(card, now)
	}
	c.cardPages[key] = cardPage{f: f, idPage: idPage{ids: ids, meta: metaOf(page), at: now}}
	c.maybeSweep(now)
	return pageOf(metaOf(page), items)
}

func (c *cache) userList(key string) (api.Page[api.User], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.userPages[key]
	if !ok || !c.fresh(p.at, c.now()) {
		return api.Page[api.User]{}, false
	}
	items, ok := assemble(p.ids, c.users)
	return pageOf(p.meta, items), ok
}

func (c *cache) putUserList(key string, page api.Page[api.User]) api.Page[api.User] {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	ids := make([]string, len(page.Items))
	items := make([]api.User, len(page.Items))
	for i, u := range page.Items {
		ids[i] = u.ID
		items[i] = c.keepUser(u, now)
	}
	c.userPages[key] = idPage{ids: ids, meta: metaOf(page), at: now}
	c.maybeSweep(now)
	return pageOf(metaOf(page), items)
}

func (c *cache) accountsOf(userID string) ([]api.Account, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.accounts[userID]
	if !ok || !c.fresh(e.at, c.now()) {
		return nil, false
	}
	return slices.Clone(e.v), true
}

func (c *cache) putAccounts(userID string, accts []api.Account) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.accounts[userID] = stamped[[]api.Account]{v: slices.Clone(accts), at: now}
	c.maybeSweep(now)
}

func (c *cache) txList(key string) (api.Page[api.Transaction], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.txPages[key]
	if !ok || !c.fresh(p.at, c.now()) {
		return api.Page[api.Transaction]{}, false
	}
	page := p.page
	page.Items = slices.Clone(page.Items)
	return page, true
}

func (c *cache) putTxList(key string, f api.TxFilter, page api.Page[api.Transaction]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	page.Items = slices.Clone(page.Items)
	c.txPages[key] = txPage{f: f, page: page, at: now}
	c.maybeSweep(now)
}

// assemble builds a list's items from the objects cached by id; a missing
// one (dropped by an event that could not be applied) makes it a miss.
func assemble[T any](ids []string, objs map[string]stamped[T]) ([]T, bool) {
	items := make([]T, 0, len(ids))
	for _, id := range ids {
		e, ok := objs[id]
		if !ok {
			return nil, false
		}
		items = append(items, e.v)
	}
	return items, true
}
