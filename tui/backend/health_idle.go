package backend

import (
	"context"
	"errors"

	"github.com/carddesk/carddesk/api"
)

// checkWhenIdle is Run's scheduled API check. A check is a request like
// any other, taken from the key's rate limit, so it is made only when
// nothing else has shown the API up: a request that succeeded within the
// interval shows it as well, and is recorded instead. It goes in the
// background lane, and not at all while that lane is held back (agents
// first, or its share spent): the API state then stays what the last
// answer said.
func (b *Backend) checkWhenIdle(ctx context.Context) {
	if b.apiShownUp() {
		return
	}
	if b.client.RateLimit().Budget.BackgroundHold != api.HoldNone {
		return
	}
	pctx, cancel := context.WithTimeout(api.WithLane(ctx, api.LaneBackground), b.ping)
	defer cancel()
	b.CheckAPI(pctx)
}

// apiShownUp records the API up, with that request's round trip, when a
// request of the agents' key succeeded within the check interval.
func (b *Backend) apiShownUp() bool {
	st := b.client.RateLimit().Budget
	if st.SinceOK < 0 || st.SinceOK >= b.ping {
		return false
	}
	now := b.now()
	b.health.mu.Lock()
	b.health.checkedAt = now
	b.health.api, b.health.apiErr, b.health.latency = APIUp, "", st.LastLatency
	b.health.mu.Unlock()
	return true
}

// heldBack reports whether err is a request the rate-limit budget held
// until its context ended: it was never sent, and says nothing of the API.
func heldBack(err error) bool {
	var held *api.HeldError
	return errors.As(err, &held)
}
