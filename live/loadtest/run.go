package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/live"
)

// Run subscribes cfg.Subscribers stream clients to the relay at cfg.URL,
// waits for them to go live, POSTs signed events for cfg.Duration, waits
// up to cfg.DrainWait for every acknowledged event to reach every
// subscriber, and reports what it measured.
func Run(ctx context.Context, cfg Config) (Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Result{}, err
	}
	base := strings.TrimRight(cfg.URL, "/")
	transport := &http.Transport{
		MaxIdleConns:        cfg.Concurrency,
		MaxIdleConnsPerHost: cfg.Concurrency,
		MaxConnsPerHost:     cfg.Concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: postTimeout}

	after, err := relayLastSeq(ctx, client, base, cfg.Token)
	if err != nil {
		return Result{}, err
	}
	var run [6]byte
	_, _ = rand.Read(run[:]) // crypto/rand.Read never fails on supported platforms
	maker := newEventMaker(hex.EncodeToString(run[:]), cfg.Size, time.Now())
	sent, acked := &timeline{}, &timeline{}

	subCtx, stopSubs := context.WithCancel(ctx)
	var subsDone sync.WaitGroup
	defer subsDone.Wait()
	defer stopSubs()
	progress := make(chan struct{}, 1)
	subs := make([]*subscriber, cfg.Subscribers)
	for i := range subs {
		s := &subscriber{
			sub: live.Subscribe(subCtx, live.SubscribeConfig{
				URL: streamURL(base), Token: cfg.Token, After: after, Logger: cfg.Logger,
			}),
			maker: maker, sent: sent, progress: progress, live: make(chan struct{}),
		}
		subs[i] = s
		subsDone.Go(s.run)
	}
	for i, s := range subs {
		if !s.awaitLive(ctx, cfg.LiveWait) {
			if ctx.Err() != nil {
				return Result{}, ctx.Err()
			}
			return Result{}, fmt.Errorf("load: subscriber %d not live after %v: %v", i+1, cfg.LiveWait, s.sub.Err())
		}
	}

	p := &posting{cfg: cfg, client: client, url: base + "/webhooks/vydapay", maker: maker, sent: sent, acked: acked}
	flood := startHealthFlood(ctx, base, cfg.HealthRate)
	res := p.run(ctx)
	res.HealthAnswers, res.HealthElapsed = flood.stop()
	res.Lost = drain(ctx, subs, p.ackedNumbers(), progress, cfg.DrainWait)
	stopSubs()
	subsDone.Wait()

	var samples []time.Duration
	for _, s := range subs {
		res.Delivered = append(res.Delivered, s.delivered)
		res.Repeated += s.repeated
		res.OutOfOrder += s.outOfOrder
		res.Behind += s.behind
		samples = append(samples, s.samples...)
	}
	res.Delivery = stats.Summarize(samples)
	return res, ctx.Err()
}

// drain waits until every subscriber holds every acknowledged event, or
// until wait has passed, and returns how many events some subscriber
// still lacks. It wakes on the subscribers' progress, never on a timer
// tick.
func drain(ctx context.Context, subs []*subscriber, acked []int64, progress <-chan struct{}, wait time.Duration) int64 {
	missing := make([][]int64, len(subs))
	for i := range subs {
		missing[i] = acked
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
wake:
	for {
		done := true
		for i, s := range subs {
			missing[i] = s.missing(missing[i])
			done = done && len(missing[i]) == 0
		}
		if done {
			return 0
		}
		select {
		case <-progress:
		case <-deadline.C:
			break wake
		case <-ctx.Done():
			break wake
		}
	}
	lost := bitset{}
	var n int64
	for _, m := range missing {
		for _, ev := range m {
			if lost.add(ev) {
				n++
			}
		}
	}
	return n
}

// streamURL is the relay's websocket stream endpoint for base.
func streamURL(base string) string {
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		return "wss://" + rest + "/v1/stream"
	}
	return "ws://" + strings.TrimPrefix(base, "http://") + "/v1/stream"
}
