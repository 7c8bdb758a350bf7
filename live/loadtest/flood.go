package loadtest

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// healthFlood GETs /healthz without a token at a set rate from
// healthFloodConns connections of its own, beside the POSTs: what anyone
// who can reach the relay can do, and what must not slow the webhooks
// down. A set rate, not as fast as answered, so that runs compare the
// same load whatever a /healthz answer costs.
type healthFlood struct {
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	answers atomic.Int64
	start   time.Time
}

// healthFloodConns is how many connections share the flood's rate.
const healthFloodConns = 8

// startHealthFlood starts the flood at rate GETs per second; a rate ≤ 0
// starts none.
func startHealthFlood(ctx context.Context, base string, rate float64) *healthFlood {
	f := &healthFlood{start: time.Now()}
	ctx, f.cancel = context.WithCancel(ctx)
	if rate <= 0 {
		return f
	}
	transport := &http.Transport{MaxIdleConnsPerHost: healthFloodConns, MaxConnsPerHost: healthFloodConns, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: postTimeout}
	var next atomic.Int64 // the next GET's number on the shared schedule
	for range healthFloodConns {
		f.wg.Go(func() {
			for ctx.Err() == nil {
				at := f.start.Add(time.Duration(float64(next.Add(1)-1) / rate * float64(time.Second)))
				if wait := time.Until(at); wait > 0 {
					t := time.NewTimer(wait)
					select {
					case <-ctx.Done():
						t.Stop()
						return
					case <-t.C:
					}
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
				if err != nil {
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				f.answers.Add(1)
			}
		})
	}
	go func() {
		<-ctx.Done()
		f.wg.Wait()
		transport.CloseIdleConnections()
	}()
	return f
}

// stop ends the flood and returns how many answers it got and over how
// long.
func (f *healthFlood) stop() (int64, time.Duration) {
	f.cancel()
	f.wg.Wait()
	return f.answers.Load(), time.Since(f.start)
}
