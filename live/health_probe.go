package live

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// healthEvery is how often at most the store's health check runs. A check
// is a write and an fsync; /healthz is asked by load balancers, monitors
// and anyone who can reach the relay, and each of them now costs nothing.
const healthEvery = time.Second

// healthProbe runs the store's health check at most once per healthEvery
// on the relay's clock, whatever the request rate: a result younger than
// that is answered from memory, and requests that come while a check runs
// wait for that one rather than start their own.
type healthProbe struct {
	store Store
	now   func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	at      time.Time     // when the last result was taken; zero: never
	last    probeResult   // the last result
	running chan struct{} // closed when the check under way ends; nil if none
}

type probeResult struct {
	health StoreHealth
	err    error
}

// get returns a result at most healthEvery old, running the check if
// there is none. The check itself runs on its own context (bounded by
// healthTimeout), so that one asker giving up does not fail the others.
func (p *healthProbe) get(ctx context.Context) (StoreHealth, error) {
	p.mu.Lock()
	if !p.at.IsZero() && p.now().Sub(p.at) < healthEvery {
		r := p.last
		p.mu.Unlock()
		return r.health, r.err
	}
	wait := p.running
	if wait == nil {
		wait = make(chan struct{})
		p.running = wait
		go p.check(wait)
	}
	p.mu.Unlock()
	select {
	case <-wait:
	case <-ctx.Done():
		return StoreHealth{}, ctx.Err()
	}
	p.mu.Lock()
	r := p.last
	p.mu.Unlock()
	return r.health, r.err
}

// check runs one health check and publishes its result.
func (p *healthProbe) check(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	h, err := p.store.Health(ctx)
	p.mu.Lock()
	prev := p.last.err
	p.last, p.at, p.running = probeResult{h, err}, p.now(), nil
	p.mu.Unlock()
	close(done)
	// Logged when it changes, not once a second while it lasts.
	switch {
	case h.Problem != "": // the store has said it, once
	case err != nil && (prev == nil || prev.Error() != err.Error()):
		p.log.Warn("health: store check", "err", err)
	case err == nil && prev != nil:
		p.log.Info("health: store check passes again")
	}
}

// current is the store's health as get gives it, for the metrics: on a
// failed check, what could be read, with Writable false.
func (p *healthProbe) current() StoreHealth {
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	h, err := p.get(ctx)
	if err != nil {
		h.Writable = false
	}
	return h
}
