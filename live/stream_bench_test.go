package live_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// BenchmarkStreamEndToEnd appends events of about 1 KiB, one per Append
// as the intake does, and streams them to three subscriptions over real
// websockets. It reports events/s (first append to the last subscriber
// receiving the last event) and the latency from just before Append to a
// subscriber receiving the event, for the durable SQLite store and the
// no-op store: flat out from 16 goroutines (rate=max), and paced at 5,000
// events/s (rate=5000; run it with -benchtime 25000x for five seconds).
//
//	go test -run '^$' -bench StreamEndToEnd -benchtime 50000x ./live/
func BenchmarkStreamEndToEnd(b *testing.B) {
	for _, kind := range []string{"sqlite", "nop"} {
		for _, rate := range []int{0, 5000} {
			name := "rate=max"
			if rate > 0 {
				name = "rate=" + strconv.Itoa(rate)
			}
			b.Run("store="+kind+"/"+name, func(b *testing.B) {
				benchStream(b, kind, rate)
			})
		}
	}
}

func benchStream(b *testing.B, kind string, rate int) {
	hub := live.NewHub()
	var store live.Store
	switch kind {
	case "sqlite":
		s, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "relay.db"), sqlitestore.Options{OnCommit: hub.Publish})
		if err != nil {
			b.Fatal(err)
		}
		store = s
	default:
		store = live.NewNopStore(hub.Publish)
	}
	// A queue that never overflows: the no-op store cannot replay what a
	// subscriber that fell behind missed, and appenders running flat out
	// can outpace a subscriber for a moment.
	h := live.NewStreamHandler(live.StreamConfig{Hub: hub, Store: store, Token: streamToken, QueueSize: 1 << 30})
	srv := httptest.NewServer(h)
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/stream"

	ctx, cancel := context.WithCancel(context.Background())
	const nsubs = 3
	n := b.N
	lat := make([][]time.Duration, nsubs)
	var wg sync.WaitGroup
	for i := range nsubs {
		sub := live.Subscribe(ctx, live.SubscribeConfig{URL: url, Token: streamToken})
		for st := range sub.States() { // the no-op store replays nothing: be live first
			if st == live.StateLive {
				break
			}
		}
		lat[i] = make([]time.Duration, 0, n)
		wg.Go(func() {
			stall := time.NewTimer(streamAwait)
			defer stall.Stop()
			for len(lat[i]) < n {
				select {
				case batch := <-sub.Events():
					now := time.Now()
					for _, r := range batch {
						lat[i] = append(lat[i], now.Sub(r.ReceivedAt))
					}
					stall.Reset(streamAwait)
				case <-stall.C:
					b.Errorf("subscriber %d stalled at %d of %d events", i, len(lat[i]), n)
					return
				}
			}
		})
	}
	appendOne := func(i int) {
		rec := streamRecord(i, 700)
		rec.ReceivedAt = time.Now()
		if _, err := store.Append(ctx, []live.Record{rec}); err != nil {
			b.Error(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	if rate == 0 {
		var next atomic.Int64
		b.SetParallelism(8) // 16 appenders on 2 cores
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				appendOne(int(next.Add(1)))
			}
		})
	} else {
		appendPaced(n, rate, appendOne)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	_ = h.Shutdown(context.Background())
	_ = store.Close()

	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	b.ReportMetric(float64(n)/elapsed.Seconds(), "events/s")
	b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
	b.ReportMetric(ms(all[len(all)*99/100]), "p99-ms")
	b.ReportMetric(ms(all[len(all)-1]), "max-ms")
}

// appendPaced calls appendOne for 1..n at rate per second, from enough
// goroutines that a commit in progress does not hold the pace back.
func appendPaced(n, rate int, appendOne func(int)) {
	due := make(chan int, 1024)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for i := range due {
				appendOne(i)
			}
		})
	}
	start := time.Now()
	for i := 1; i <= n; i++ {
		if d := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); d > 0 {
			time.Sleep(d) // pacing, not waiting for something
		}
		due <- i
	}
	close(due)
	wg.Wait()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
