package api

import (
	"net/http"
	"time"
)

// done records the answer to a request that wait let go: status and
// header, or status 0 when none came. elapsed is its round trip.
func (b *Budget) done(lane Lane, status int, h http.Header, elapsed time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.cfg.Clock.Now()
	b.inflight--
	if status != 0 {
		b.observe(h, now)
	}
	switch {
	case status == http.StatusTooManyRequests:
		b.rateLimited[lane]++
		b.pause(h, now)
	case status >= 200 && status < 300:
		b.lastOK, b.lastLatency = now, elapsed
	}
	b.wake()
}

// observe takes what the provider's headers say of its limit. b.mu is
// held.
func (b *Budget) observe(h http.Header, now time.Time) {
	rl, ok := parseRateLimit(h, now)
	if !ok {
		return
	}
	b.said = rl
	if rl.Limit <= 0 {
		return
	}
	b.win.limit, b.win.known = rl.Limit, true
	if !rl.Reset.IsZero() {
		if !rl.Reset.After(now) || rl.Reset.Sub(now) > maxWindow {
			// An answer from a window that has ended, or a clock we do not
			// share: our own count stands.
			return
		}
		if rl.Reset.After(b.win.end.Add(time.Second)) {
			// The provider's window turned before ours did.
			b.win = budgetWindow{limit: rl.Limit, known: true, carried: b.inflight}
		}
		b.win.end = rl.Reset
	}
	// What it said left counts this answer's request; those still in
	// flight may not have been counted yet.
	b.win.left = rl.Remaining - b.inflight
}

// maxWindow bounds the windows a budget believes in: a reset further away
// than this comes from a clock it does not share.
const maxWindow = 24 * time.Hour

// pause makes every lane wait as the provider asked with its 429: for
// Retry-After, or until the window resets, or else until the window ends
// by the budget's count. b.mu is held.
func (b *Budget) pause(h http.Header, now time.Time) {
	until := b.win.end
	if d, ok := parseRetryAfter(h, now); ok {
		until = now.Add(d)
	} else if rl, ok := parseRateLimit(h, now); ok && !rl.Reset.IsZero() && rl.Reset.After(now) && rl.Reset.Sub(now) <= maxWindow {
		until = rl.Reset
	}
	if until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
}
