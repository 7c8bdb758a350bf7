package sshserve

import (
	"sync"
	"testing"
)

// New sessions beyond the per-IP burst are refused with a message.
func TestConnectionRateLimit(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.ConnRate = 0.001; c.ConnBurst = 1 })
	cl := e.connect(t, "alice")
	first := openTerm(t, cl)
	first.out.waitFor(t, 0, "Email")
	second := openTerm(t, cl)
	second.waitEnd(t)
	second.out.waitFor(t, 0, "rate limit exceeded")
}

// Twenty sessions opening the Cards view at once cost the sandbox at most
// twice the requests one session does: reads are shared.
func TestSessionsShareReads(t *testing.T) {
	cost := func(t *testing.T, n int) int64 {
		e := newTestEnv(t, func(c *Config) { c.MaxSessionsPerAgent = n })
		cl := e.connect(t, "alice")
		terms := make([]*term, n)
		for i := range terms {
			terms[i] = openTerm(t, cl)
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i, tm := range terms {
			wg.Go(func() {
				if errs[i] = tm.out.await(0, "Email"); errs[i] != nil {
					return
				}
				m := tm.out.mark()
				if _, errs[i] = tm.in.Write([]byte("2")); errs[i] != nil {
					return
				}
				if errs[i] = tm.out.await(m, "Expiry"); errs[i] == nil {
					errs[i] = tm.out.await(m, "active")
				}
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("session %d: %v", i, err)
			}
		}
		return e.reads.Load()
	}
	one := cost(t, 1)
	twenty := cost(t, 20)
	if twenty > 2*one {
		t.Errorf("twenty sessions made %d reads, one made %d: want at most %d", twenty, one, 2*one)
	}
	t.Logf("reads: one session %d, twenty sessions %d", one, twenty)
}
