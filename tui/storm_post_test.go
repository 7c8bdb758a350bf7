package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// stormPoster POSTs a storm's events to the relay from many connections,
// and keeps the sequence number each POST was acknowledged with. Its
// memory is allocated up front, so that the heap it holds does not grow
// with the run.
type stormPoster struct {
	gen    *stormGen
	base   string
	client *http.Client
	// acks[n] is the seq event n was acknowledged with; 0 until then.
	// Each slot is written by the one worker that sent the event and read
	// after the workers are done.
	acks []uint64

	sent       atomic.Int64
	failed     atomic.Int64
	duplicates atomic.Int64
	lastErr    atomic.Pointer[string]
}

func newStormPoster(gen *stormGen, base string, total, conns int) *stormPoster {
	transport := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	return &stormPoster{
		gen:    gen,
		base:   base,
		client: &http.Client{Transport: transport, Timeout: time.Minute},
		acks:   make([]uint64, total),
	}
}

// close lets the idle connections go.
func (p *stormPoster) close() { p.client.CloseIdleConnections() }

// post sends events [from, to) from conns workers. With a rate, each event
// has its time, rate a second from when post began, and none is sent once
// stop is closed: workers that fall behind send at once until then. With
// no rate they send as fast as they go, every event (stop may be nil). It
// returns when every event sent has been answered, or ctx is done.
func (p *stormPoster) post(ctx context.Context, from, to, conns int, rate float64, stop <-chan struct{}) {
	var next atomic.Int64
	next.Store(int64(from))
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			timer := time.NewTimer(time.Hour)
			defer timer.Stop()
			for {
				select {
				case <-stop:
					return
				default:
				}
				n := int(next.Add(1) - 1)
				if n >= to || ctx.Err() != nil {
					return
				}
				if rate > 0 {
					at := start.Add(time.Duration(float64(n-from) / rate * float64(time.Second)))
					if d := time.Until(at); d > 0 {
						timer.Reset(d)
						select {
						case <-ctx.Done():
							return
						case <-stop:
							return
						case <-timer.C:
						}
					}
				}
				p.sent.Add(1)
				p.send(ctx, n)
			}
		})
	}
	wg.Wait()
}

// send POSTs event n and notes the answer.
func (p *stormPoster) send(ctx context.Context, n int) {
	req, err := p.gen.request(ctx, p.base, n, time.Now())
	if err != nil {
		p.fail(err)
		return
	}
	resp, err := p.client.Do(req)
	if err != nil {
		p.fail(fmt.Errorf("post event %d: %w", n, err))
		return
	}
	defer resp.Body.Close()
	var ack struct {
		Seq       uint64 `json:"seq"`
		Duplicate bool   `json:"duplicate"`
		Error     string `json:"error"`
	}
	derr := json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&ack)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	switch {
	case resp.StatusCode != http.StatusOK:
		p.fail(fmt.Errorf("post event %d: %s: %s", n, resp.Status, ack.Error))
	case derr != nil || ack.Seq == 0:
		p.fail(fmt.Errorf("post event %d: 200 without a sequence number", n))
	case ack.Duplicate:
		p.duplicates.Add(1)
	default:
		p.acks[n] = ack.Seq
	}
}

func (p *stormPoster) fail(err error) {
	p.failed.Add(1)
	msg := err.Error()
	p.lastErr.Store(&msg)
}

// acked is how many events were acknowledged as new, and how many of
// those were declines.
func (p *stormPoster) acked() (events, declines int) {
	for n, seq := range p.acks {
		if seq != 0 {
			events++
			if p.gen.declined(n) {
				declines++
			}
		}
	}
	return events, declines
}

// failure describes the failed POSTs, "" when there were none.
func (p *stormPoster) failure() string {
	n := p.failed.Load()
	if n == 0 {
		return ""
	}
	last := ""
	if e := p.lastErr.Load(); e != nil {
		last = *e
	}
	return fmt.Sprintf("%d POSTs failed; the last: %s", n, last)
}
