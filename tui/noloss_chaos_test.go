package tui

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// nolossStep is one disruption, at an offset from the start of the run:
// a relay restart or a cut of the subscriber's connection.
type nolossStep struct {
	at      time.Duration
	restart bool
}

func (s nolossStep) String() string {
	if s.restart {
		return fmt.Sprintf("restart@%v", s.at.Round(time.Millisecond))
	}
	return fmt.Sprintf("cut@%v", s.at.Round(time.Millisecond))
}

// nolossPlan draws the disruptions of a run of length d from rng: each
// restart at a random moment of its own share of the middle of the run (so
// that they do not bunch up), each cut at a random moment of the whole.
func nolossPlan(rng *rand.Rand, d time.Duration, restarts, cuts int) []nolossStep {
	plan := make([]nolossStep, 0, restarts+cuts)
	if restarts > 0 {
		share := d * 8 / 10 / time.Duration(restarts)
		for i := range restarts {
			at := d/10 + time.Duration(i)*share + time.Duration(rng.Int64N(int64(share)))
			plan = append(plan, nolossStep{at: at, restart: true})
		}
	}
	for range cuts {
		plan = append(plan, nolossStep{at: d/20 + time.Duration(rng.Int64N(int64(d*9/10)))})
	}
	slices.SortStableFunc(plan, func(a, b nolossStep) int { return cmp.Compare(a.at, b.at) })
	return plan
}

// nolossChaos carries out a plan against the relay and the proxy.
type nolossChaos struct {
	relay   *nolossRelay
	proxy   *nolossProxy
	witness *nolossWitness
	// outageEvents is how many events of each provider the sandbox must
	// emit while the relay is down before it comes back, so that every
	// outage meets deliveries the sandbox has to retry.
	outageEvents int
	providers    []string
}

// nolossChaosReport says what the chaos did.
type nolossChaosReport struct {
	restarts int
	cuts     int                    // connections cut
	outage   map[nolossKey]struct{} // events emitted while the relay was down
	longest  time.Duration          // the longest outage
}

// run carries out plan from now, each step at its moment (or at once when
// an earlier step ran late), and returns once the last is done and d has
// passed.
func (c *nolossChaos) run(ctx context.Context, plan []nolossStep, d time.Duration) (nolossChaosReport, error) {
	rep := nolossChaosReport{outage: map[nolossKey]struct{}{}}
	start := time.Now()
	for _, step := range plan {
		if err := nolossUntil(ctx, start.Add(step.at)); err != nil {
			return rep, fmt.Errorf("chaos at %v: %w", step, err)
		}
		if !step.restart {
			n, err := c.proxy.cutAll(ctx)
			if err != nil {
				return rep, fmt.Errorf("chaos at %v: %w", step, err)
			}
			rep.cuts += n
			continue
		}
		down := time.Now()
		during, err := c.restart(ctx)
		if err != nil {
			return rep, fmt.Errorf("chaos at %v: %w", step, err)
		}
		rep.restarts++
		rep.longest = max(rep.longest, time.Since(down))
		for k := range during {
			rep.outage[k] = struct{}{}
		}
	}
	if err := nolossUntil(ctx, start.Add(d)); err != nil {
		return rep, fmt.Errorf("chaos: the end of the run: %w", err)
	}
	return rep, nil
}

// nolossUntil waits for the moment at, a point of the run's schedule.
func nolossUntil(ctx context.Context, at time.Time) error {
	timer := time.NewTimer(time.Until(at))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// restart stops the relay, keeps it down until the sandbox has emitted
// outageEvents events of each provider, and starts it again on the same
// address over the same file. It returns the events emitted meanwhile.
func (c *nolossChaos) restart(ctx context.Context) (map[nolossKey]struct{}, error) {
	if err := c.relay.stop(ctx); err != nil {
		return nil, err
	}
	before := c.witness.counts()
	stop := c.witness.observe()
	err := nolossAwait(ctx, &c.witness.sig, func() bool {
		now := c.witness.counts()
		for _, p := range c.providers {
			if now[p]-before[p] < c.outageEvents {
				return false
			}
		}
		return true
	})
	during := stop()
	if err != nil {
		return nil, fmt.Errorf("wait for the sandbox to emit %d events of each provider while the relay is down: %w", c.outageEvents, err)
	}
	if err := c.relay.start(ctx); err != nil {
		return nil, err
	}
	return during, nil
}
