package live

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkHubPublish publishes batches to three subscribers that drain
// their queues concurrently, as stream sessions do.
func BenchmarkHubPublish(b *testing.B) {
	for _, size := range []int{1, 64} {
		b.Run("batch="+strconv.Itoa(size), func(b *testing.B) {
			h := NewHub()
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for range 3 {
				s := h.subscribe(1 << 30)
				wg.Go(func() {
					var spare [][]Record
					for {
						select {
						case <-s.ready:
							spare, _ = s.take(spare)
						case <-stop:
							return
						}
					}
				})
			}
			batch := hubRecords(1, size)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				h.Publish(batch)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(b.N*size)/elapsed.Seconds(), "records/s")
		})
	}
}
