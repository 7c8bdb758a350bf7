package backend

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/carddesk/carddesk/api"
)

// findLoop looks up wanted cards until ctx ends, one request at a time
// in the background lane.
func (b *Backend) findLoop(ctx context.Context) {
	ctx = api.WithLane(ctx, api.LaneBackground)
	f := &b.finder
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.wake:
		}
		for {
			ids := f.next(b.cache, b.now())
			if len(ids) == 0 || ctx.Err() != nil {
				break
			}
			if f.walk(b.now()) {
				b.sweepPage(ctx)
			} else {
				b.lookupOne(ctx, ids[0])
			}
			f.mu.Lock()
			close(f.answered)
			f.answered = make(chan struct{})
			f.mu.Unlock()
		}
	}
}

// next is the wanted ids still unknown, the most recently asked first,
// after forgetting those that nobody asked for lately.
func (f *finder) next(c *cache, now time.Time) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]string, 0, len(f.wanted))
	for id, at := range f.wanted {
		if _, known := c.directoryCard(id); known || now.Sub(at) >= wantFor {
			delete(f.wanted, id)
			continue
		}
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return f.wanted[b].Compare(f.wanted[a]) })
	return ids
}

// walk decides between the next page of the card list and a lookup by id
// for the wanted cards: the page while pages turn up more than one wanted
// card on average (and, now and then, to see whether they do again),
// even when one card is wanted now: under live traffic, the rest of the
// page is wanted soon after, one card at a time.
func (f *finder) walk(now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := &f.sweep
	if s.done || now.Sub(s.failed) < sweepRetry {
		return false
	}
	return s.yield > 1 || s.byID >= sweepProbe
}

// sweepPage reads the next page of the card list into the directory.
func (b *Backend) sweepPage(ctx context.Context) {
	f := &b.finder
	f.mu.Lock()
	after := f.sweep.after
	f.mu.Unlock()
	p, err := b.monitorClient().ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: api.MaxPageSize, After: after}})
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sweep.byID = 0
	if err != nil {
		if ctx.Err() == nil {
			f.sweep.failed = b.now()
		}
		return
	}
	b.cache.learnCards(p.Items)
	found := 0
	for _, c := range p.Items {
		if _, ok := f.wanted[c.ID]; ok {
			found++
		}
	}
	f.sweep.yield = (f.sweep.yield + float64(found)) / 2
	f.sweep.after = p.Next
	f.sweep.done = !p.HasNext || p.Next == ""
}

// lookupOne asks the provider for one card.
func (b *Backend) lookupOne(ctx context.Context, id string) {
	c, err := b.monitorClient().GetCard(ctx, id)
	f := &b.finder
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sweep.byID++
	switch {
	case err == nil:
		b.cache.learnCards([]api.Card{c})
		if c.ID != id { // an answer about another card settles nothing
			mark(f.failed, id, b.now())
		}
	case ctx.Err() != nil:
		return
	case errors.Is(err, api.ErrNotFound):
		mark(f.missing, id, b.now())
	default:
		mark(f.failed, id, b.now())
	}
	delete(f.wanted, id)
}

// mark records id in m, starting m over when it is full.
func mark(m map[string]time.Time, id string, now time.Time) {
	if len(m) >= maxFinderMarks {
		clear(m)
	}
	m[id] = now
}
