package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/api/vydapay"
)

// posting is the POSTing half of a run: cfg.Concurrency workers share one
// event counter and, at a set rate, one schedule.
type posting struct {
	cfg    Config
	client *http.Client
	url    string
	maker  *eventMaker
	sent   *timeline // when each event's POST began
	acked  *timeline // nonzero once its POST was answered 200
	next   atomic.Int64
}

// worker is one connection's tally.
type worker struct {
	sent, accepted, duplicates, failed int64
	samples                            []time.Duration
	lastErr                            string
}

func (p *posting) run(ctx context.Context) Result {
	start := time.Now()
	deadline := start.Add(p.cfg.Duration)
	workers := make([]*worker, p.cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{}
		workers[i] = w
		wg.Go(func() { p.work(ctx, w, start, deadline) })
	}
	wg.Wait()
	res := Result{Elapsed: time.Since(start), BodyBytes: len(p.maker.body(nil, 0))}
	var samples []time.Duration
	for _, w := range workers {
		res.Sent += w.sent
		res.Accepted += w.accepted
		res.Duplicates += w.duplicates
		res.Failed += w.failed
		samples = append(samples, w.samples...)
		if w.lastErr != "" {
			p.cfg.Logger.Warn("load: POST failed", "last_error", w.lastErr, "failed", w.failed)
		}
	}
	res.Post = stats.Summarize(samples)
	return res
}

// work POSTs events until the deadline: back to back, or each at its slot
// of the shared schedule when a rate is set.
func (p *posting) work(ctx context.Context, w *worker, start, deadline time.Time) {
	timer := time.NewTimer(0)
	<-timer.C
	defer timer.Stop()
	for ctx.Err() == nil {
		n := p.next.Add(1) - 1
		if p.cfg.Rate > 0 {
			// A relay that cannot keep up shows as fewer events per
			// second, not as a run that overstays its duration.
			at := start.Add(time.Duration(float64(n) / p.cfg.Rate * float64(time.Second)))
			if !at.Before(deadline) || !time.Now().Before(deadline) {
				return
			}
			if d := time.Until(at); d > 0 {
				timer.Reset(d)
				select {
				case <-ctx.Done():
					return
				case <-timer.C:
				}
			}
		} else if !time.Now().Before(deadline) {
			return
		}
		p.post(ctx, w, n)
	}
}

// post sends event n and tallies the answer.
func (p *posting) post(ctx context.Context, w *worker, n int64) {
	body := p.maker.body(make([]byte, 0, p.cfg.Size+64), n)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		w.failed++
		w.lastErr = err.Error()
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(vydapay.SignatureHeader, vydapay.Sign(p.cfg.VydapaySecret, body))
	t0 := time.Now()
	p.sent.set(n, t0.UnixNano())
	w.sent++
	resp, err := p.client.Do(req)
	if err != nil {
		w.failed++
		w.lastErr = err.Error()
		return
	}
	var ack struct {
		Seq       uint64 `json:"seq"`
		Duplicate bool   `json:"duplicate"`
		Error     string `json:"error"`
	}
	derr := json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&ack)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	w.samples = append(w.samples, time.Since(t0))
	switch {
	case resp.StatusCode != http.StatusOK:
		w.failed++
		w.lastErr = fmt.Sprintf("%s: %s", resp.Status, ack.Error)
	case derr != nil || ack.Seq == 0:
		w.failed++
		w.lastErr = "200 without a sequence number"
	default:
		p.acked.set(n, int64(ack.Seq))
		if ack.Duplicate {
			w.duplicates++
		} else {
			w.accepted++
		}
	}
}

// ackedNumbers lists the events answered 200, ascending.
func (p *posting) ackedNumbers() []int64 {
	var out []int64
	for n := range p.next.Load() {
		if p.acked.get(n) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// relayLastSeq asks /healthz for the store's last sequence number, so that
// the subscribers start at this run's first event. It shows the token: a
// relay tells its counts only to those who have it.
func relayLastSeq(ctx context.Context, client *http.Client, base, token string) (uint64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		return 0, fmt.Errorf("load: relay health: %w", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("load: relay health: %w", err)
	}
	defer resp.Body.Close()
	var h struct {
		Status string `json:"status"`
		Store  struct {
			LastSeq uint64 `json:"last_seq"`
		} `json:"store"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&h); err != nil {
		return 0, fmt.Errorf("load: relay health: %s: %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("load: relay health: %s (status %q)", resp.Status, h.Status)
	}
	return h.Store.LastSeq, nil
}
