package backend

import (
	"context"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Card lookups for the rows of Live and Declines, which nobody asked for
// with a key press: a transaction event names its card by id only. They
// are the background lane's main work, so they are done by one loop for
// every session, in as few requests as can be: a card seen whole in any
// answer or webhook is never asked for (the directory), and while many
// cards are wanted, the loop walks the provider's card list a page of 100
// at a time (neither provider lists cards by id) for as long as its pages
// turn up wanted cards, and asks for a card by id otherwise.

// Bounds of the card lookups.
const (
	// findWait is the longest FindCards waits for lookups to answer.
	findWait = 3 * time.Second
	// wantFor is how long a card stays wanted after a session last asked:
	// a row that left every screen is not looked up.
	wantFor = 30 * time.Second
	// missingFor is how long a card the provider does not have is not
	// asked for again; failedFor, one whose lookup failed otherwise.
	missingFor = 10 * time.Minute
	failedFor  = 15 * time.Second
	// sweepRetry is how long the list walk rests after a failed page.
	sweepRetry = 30 * time.Second
	// sweepProbe: after this many lookups by id, the walk tries a page
	// again, in case its yield has changed.
	sweepProbe = 8
	// maxFinderMarks bounds the ids wanted, and those remembered as
	// missing or failed.
	maxFinderMarks = 10_000
)

// CardLookup is where the backend is with a card a row shows.
type CardLookup string

// Card lookup states, for the rows whose card is not known.
const (
	// CardLooking: the background lane is looking it up.
	CardLooking CardLookup = "looking"
	// CardQueued: the background lane is held back (its share of the
	// rate limit is spent, or the agents' headroom is reached); the
	// lookup waits for it.
	CardQueued CardLookup = "queued"
	// CardMissing: the provider has no such card.
	CardMissing CardLookup = "not found"
	// CardFailed: the lookup failed; it is tried again shortly.
	CardFailed CardLookup = "failed"
)

// FoundCards answers FindCards.
type FoundCards struct {
	Cards []api.Card
	// Unknown is the state of each id not among Cards.
	Unknown map[string]CardLookup
}

// finder is the backend's card lookups.
type finder struct {
	mu      sync.Mutex
	wanted  map[string]time.Time // id → when a session last asked for it
	missing map[string]time.Time // id → when the provider said 404
	failed  map[string]time.Time // id → when its lookup failed
	sweep   sweepState
	// wake holds one signal when cards are wanted.
	wake chan struct{}
	// answered is closed, and replaced, after every lookup.
	answered chan struct{}
}

// sweepState is the walk through the provider's card list.
type sweepState struct {
	after  string // the cursor of the next page
	done   bool   // every page was read
	failed time.Time
	// yield is the wanted cards a page turns up, a moving average; it
	// starts high so that the walk is tried first.
	yield float64
	// byID counts lookups by id since the last page.
	byID int
}

func newFinder() finder {
	return finder{
		wanted: map[string]time.Time{}, missing: map[string]time.Time{}, failed: map[string]time.Time{},
		wake: make(chan struct{}, 1), answered: make(chan struct{}),
		sweep: sweepState{yield: api.MaxPageSize},
	}
}

// FindCards returns the cards of ids that the backend knows, and has the
// background lane look up the others. It waits until none of ids is being
// looked up (each is known, missing, failed, or queued behind a held
// lane), or a lookup has settled some of them, or findWait has passed or
// ctx ended, and says where the others are. It never asks the provider
// itself: Run's lookup loop does, for every session at once.
func (b *Backend) FindCards(ctx context.Context, ids []string) FoundCards {
	timeout := time.NewTimer(findWait)
	defer timeout.Stop()
	open := -1
	for {
		out, answered := b.findNow(ids)
		n := unsettled(out)
		if n == 0 || open >= 0 && n < open {
			return out
		}
		open = n
		select {
		case <-ctx.Done():
			return out
		case <-timeout.C:
			return out
		case <-answered:
		}
	}
}

// unsettled counts the cards of out that a lookup is about to settle:
// while the lane is held back, none will be soon.
func unsettled(out FoundCards) int {
	n := 0
	for _, st := range out.Unknown {
		if st == CardLooking {
			n++
		}
	}
	return n
}

// findNow is FindCards without the wait: the known cards, the others'
// states (wanting those not settled), and the channel the next lookup's
// answer closes.
func (b *Backend) findNow(ids []string) (FoundCards, <-chan struct{}) {
	out := FoundCards{}
	f := &b.finder
	now := b.now()
	queued := b.backgroundHeld()
	f.mu.Lock()
	defer f.mu.Unlock()
	wanted := false
	for _, id := range ids {
		if id == "" {
			continue
		}
		if c, ok := b.cache.directoryCard(id); ok {
			out.Cards = append(out.Cards, c)
			continue
		}
		if out.Unknown == nil {
			out.Unknown = map[string]CardLookup{}
		}
		switch {
		case marked(f.missing, id, now, missingFor):
			out.Unknown[id] = CardMissing
		case marked(f.failed, id, now, failedFor):
			out.Unknown[id] = CardFailed
		default:
			if _, ok := f.wanted[id]; !ok && len(f.wanted) >= maxFinderMarks {
				f.forgetUnwanted(now)
			}
			f.wanted[id] = now
			wanted = true
			out.Unknown[id] = CardLooking
			if queued {
				out.Unknown[id] = CardQueued
			}
		}
	}
	if wanted {
		select {
		case f.wake <- struct{}{}:
		default:
		}
	}
	return out, f.answered
}

// forgetUnwanted drops the cards nobody asked for within wantFor, and when
// that leaves too many (the lane held back a long time under heavy
// traffic), all of them: those still on screen are asked for again at the
// next redraw. f.mu is held.
func (f *finder) forgetUnwanted(now time.Time) {
	for id, at := range f.wanted {
		if now.Sub(at) >= wantFor {
			delete(f.wanted, id)
		}
	}
	if len(f.wanted) >= maxFinderMarks {
		clear(f.wanted)
	}
}

// marked reports whether id was marked in m within d of now, forgetting
// an older mark.
func marked(m map[string]time.Time, id string, now time.Time, d time.Duration) bool {
	at, ok := m[id]
	if ok && now.Sub(at) >= d {
		delete(m, id)
		return false
	}
	return ok
}

// backgroundHeld reports whether the lookups' lane is held back now.
func (b *Backend) backgroundHeld() bool {
	return b.monitorClient().RateLimit().Budget.BackgroundHold != api.HoldNone
}

// monitorClient is the client of the background lane: the monitoring
// key's when one is configured.
func (b *Backend) monitorClient() api.Client {
	if b.monitor != nil {
		return b.monitor
	}
	return b.client
}
