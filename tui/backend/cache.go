package backend

import (
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
)

// cache holds what the provider answered, shared by every session. Cards
// and users are kept once each, by id; a cached list of them holds only ids
// and is assembled from those, so an event that changes a card changes it in
// every list it shows in. Entries are served while younger than ttl and
// swept once older. Everything handed out is a copy of the slices the cache
// holds; the objects' maps and inner slices are shared and read-only.
//
// Invariant: a card (user) is never older than a cached list that names it,
// because storing a list refreshes each of its items; so the sweep can drop
// stale items and stale lists independently.
type cache struct {
	mu        sync.Mutex
	ttl       time.Duration
	now       func() time.Time
	lastSweep time.Time

	cards     map[string]stamped[api.Card]
	users     map[string]stamped[api.User]
	cardPages map[string]cardPage
	userPages map[string]idPage
	accounts  map[string]stamped[[]api.Account] // by user id
	txPages   map[string]txPage
	// dir keeps every card seen whole, past the ttl, for live rows.
	dir directory
}

type stamped[T any] struct {
	v  T
	at time.Time // when the provider last answered with it
}

// pageMeta is a page without its items.
type pageMeta struct {
	hasNext, hasPrev bool
	next, prev       string
}

func metaOf[T any](p api.Page[T]) pageMeta {
	return pageMeta{hasNext: p.HasNext, hasPrev: p.HasPrev, next: p.Next, prev: p.Prev}
}

func pageOf[T any](m pageMeta, items []T) api.Page[T] {
	return api.Page[T]{Items: items, HasNext: m.hasNext, HasPrev: m.hasPrev, Next: m.next, Prev: m.prev}
}

type idPage struct {
	ids  []string
	meta pageMeta
	at   time.Time
}

type cardPage struct {
	f api.CardFilter
	idPage
}

type txPage struct {
	f    api.TxFilter
	page api.Page[api.Transaction]
	at   time.Time
}

func newCache(ttl time.Duration, now func() time.Time) *cache {
	return &cache{
		ttl:       ttl,
		now:       now,
		lastSweep: now(),
		cards:     map[string]stamped[api.Card]{},
		users:     map[string]stamped[api.User]{},
		cardPages: map[string]cardPage{},
		userPages: map[string]idPage{},
		accounts:  map[string]stamped[[]api.Account]{},
		txPages:   map[string]txPage{},
	}
}

func (c *cache) fresh(at, now time.Time) bool { return now.Sub(at) < c.ttl }

// staler reports whether next is older than cur by the provider's own
// clock; a missing time never counts as older.
func staler(next, cur time.Time) bool {
	return !next.IsZero() && !cur.IsZero() && cur.After(next)
}

func (c *cache) card(id string) (api.Card, bool) { return lookup(c, c.cards, id) }

// peekCard returns a cached card of any age, for naming it in an audit
// entry without asking the provider.
func (c *cache) peekCard(id string) (api.Card, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cards[id]
	return e.v, ok
}

// putCard stores a card the provider answered with and returns the one
// kept (a newer one from an event may win).
func (c *cache) putCard(card api.Card) api.Card { return put(c, c.keepCard, card) }

func (c *cache) keepCard(card api.Card, at time.Time) api.Card {
	card = keep(c.cards, card.ID, card, func(o api.Card) time.Time { return o.UpdatedAt }, at)
	c.dir.learn(card)
	return card
}

func (c *cache) user(id string) (api.User, bool) { return lookup(c, c.users, id) }

func (c *cache) putUser(u api.User) api.User { return put(c, c.keepUser, u) }

func (c *cache) keepUser(u api.User, at time.Time) api.User {
	return keep(c.users, u.ID, u, func(o api.User) time.Time { return o.UpdatedAt }, at)
}

// lookup returns the object cached under id while it is fresh.
func lookup[T any](c *cache, m map[string]stamped[T], id string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := m[id]
	if !ok || !c.fresh(e.at, c.now()) {
		var zero T
		return zero, false
	}
	return e.v, true
}

// put stores v with keepFn as answered now and sweeps if due.
func put[T any](c *cache, keepFn func(T, time.Time) T, v T) T {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	v = keepFn(v, now)
	c.maybeSweep(now)
	return v
}

// keep stores v under id as answered at at, unless the cached copy is
// newer by the provider's clock (a slow read must not undo a newer event).
// It returns the one kept. c.mu is held.
func keep[T any](m map[string]stamped[T], id string, v T, updatedAt func(T) time.Time, at time.Time) T {
	if old, ok := m[id]; ok {
		if staler(updatedAt(v), updatedAt(old.v)) {
			v = old.v
		}
		if old.at.After(at) {
			at = old.at
		}
	}
	m[id] = stamped[T]{v: v, at: at}
	return v
}

// maybeSweep drops every stale entry once per ttl, which bounds the cache
// by what was read in the last ttl. c.mu is held.
func (c *cache) maybeSweep(now time.Time) {
	if c.fresh(c.lastSweep, now) {
		return
	}
	c.lastSweep = now
	sweep(c.cards, func(e stamped[api.Card]) bool { return c.fresh(e.at, now) })
	sweep(c.users, func(e stamped[api.User]) bool { return c.fresh(e.at, now) })
	sweep(c.accounts, func(e stamped[[]api.Account]) bool { return c.fresh(e.at, now) })
	sweep(c.cardPages, func(p cardPage) bool { return c.fresh(p.at, now) })
	sweep(c.userPages, func(p idPage) bool { return c.fresh(p.at, now) })
	sweep(c.txPages, func(p txPage) bool { return c.fresh(p.at, now) })
}

func sweep[V any](m map[string]V, keep func(V) bool) {
	for k, v := range m {
		if !keep(v) {
			delete(m, k)
		}
	}
}
