package sqlitestore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// BenchmarkAppendConcurrent measures durable throughput as the intake
// drives it: many goroutines, one record per Append, each waiting for its
// commit (group commit shares the fsyncs). events/s is the figure the
// README quotes; appends/commit shows how much the commits were shared.
//
//	go test -run XXX -bench AppendConcurrent -benchtime 20000x ./live/sqlitestore/
func BenchmarkAppendConcurrent(b *testing.B) {
	for _, par := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("goroutines=%d", par*runtime.GOMAXPROCS(0)), func(b *testing.B) {
			ctx := context.Background()
			s, _ := openTest(b, Options{OnCommit: func([]live.Record) {}})
			tmpl := declineRecord(b, "vydapay", "evt_template", time.Now())
			var next atomic.Int64
			b.SetParallelism(par)
			b.SetBytes(int64(len(tmpl.Event)))
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					rec := tmpl
					rec.EventID = "evt_" + strconv.FormatInt(next.Add(1), 10)
					if _, err := s.Append(ctx, []live.Record{rec}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			if st := s.Stats(); st.Commits > 0 {
				b.ReportMetric(float64(st.Appends)/float64(st.Commits), "appends/commit")
			}
		})
	}
}

// BenchmarkAppendLatency appends at a steady 5,000 events/s (one record
// per Append, from a pool of goroutines as the intake's handlers) and
// reports the Append latency percentiles, measured from each event's due
// time so that a stall counts for every event it delays.
//
//	go test -run XXX -bench AppendLatency -benchtime 50000x ./live/sqlitestore/
func BenchmarkAppendLatency(b *testing.B) {
	const (
		rate    = 5000
		workers = 64
	)
	ctx := context.Background()
	s, _ := openTest(b, Options{OnCommit: func([]live.Record) {}})
	tmpl := declineRecord(b, "vydapay", "evt_template", time.Now())
	type job struct {
		i   int
		due time.Time
	}
	jobs := make(chan job, workers)
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				rec := tmpl
				rec.EventID = "evt_" + strconv.Itoa(j.i)
				if _, err := s.Append(ctx, []live.Record{rec}); err != nil {
					b.Error(err)
				}
				lat[j.i] = time.Since(j.due)
			}
		})
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		due := start.Add(time.Duration(i) * time.Second / rate)
		if d := time.Until(due); d > 0 {
			time.Sleep(d) // pacing the load, not waiting for a result
		}
		jobs <- job{i, due}
	}
	close(jobs)
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAfter measures replay reads: pages of After over a store of
// 20,000 events.
//
//	go test -run XXX -bench After ./live/sqlitestore/
func BenchmarkAfter(b *testing.B) {
	const stored = 20000
	ctx := context.Background()
	s, _ := openTest(b, Options{})
	tmpl := declineRecord(b, "vydapay", "evt_template", time.Now())
	for i := 0; i < stored; i += DefaultMaxBatch {
		batch := make([]live.Record, min(DefaultMaxBatch, stored-i))
		for j := range batch {
			batch[j] = tmpl
			batch[j].EventID = "evt_" + strconv.Itoa(i+j)
		}
		if _, err := s.Append(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	for _, limit := range []int{100, 1000, MaxAfter} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			b.ReportAllocs()
			var read int
			for i := 0; b.Loop(); i++ {
				after := uint64(i*limit) % (stored - uint64(limit))
				recs, err := s.After(ctx, after, limit)
				if err != nil || len(recs) != limit {
					b.Fatalf("After(%d, %d) = %d records, %v", after, limit, len(recs), err)
				}
				read += len(recs)
			}
			b.ReportMetric(float64(read)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkOpen measures opening a store of 100,000 events (about 280 MB
// with the WAL checkpointed), which runs PRAGMA quick_check over every
// page: the time the relay takes to start on such a file, cache warm.
//
//	go test -run XXX -bench Open -benchtime 5x ./live/sqlitestore/
func BenchmarkOpen(b *testing.B) {
	const stored = 100_000
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "relay.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	tmpl := declineRecord(b, "vydapay", "evt_template", time.Now())
	for i := 0; i < stored; i += DefaultMaxBatch {
		batch := make([]live.Record, min(DefaultMaxBatch, stored-i))
		for j := range batch {
			batch[j] = tmpl
			batch[j].EventID = "evt_" + strconv.Itoa(i+j)
		}
		if _, err := s.Append(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := Open(ctx, path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(info.Size())/(1<<20), "MB")
}

// BenchmarkCheckFiles is the check that the database file and its WAL are
// still the ones at their paths, which runs after every commit: to set
// beside a commit's fsync (BenchmarkAppendLatency).
func BenchmarkCheckFiles(b *testing.B) {
	s, _ := openTest(b, Options{})
	for b.Loop() {
		if err := s.checkFiles(); err != nil {
			b.Fatal(err)
		}
	}
}
