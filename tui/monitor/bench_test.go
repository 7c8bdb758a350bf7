package monitor

import (
	"fmt"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

// retained are the ring sizes the README compares: render cost must be the
// same for both.
var retained = []int{1_000, 100_000}

// benchRows is a varied stream: 200 cards, 50 merchants, one in eight
// declined, a second apart.
func benchRows(n int) []Row {
	reasons := api.DeclineReasons()
	rows := make([]Row, n)
	for i := range rows {
		var reason api.DeclineReason
		if i%8 == 0 {
			reason = reasons[i%len(reasons)]
		}
		rows[i] = txRow(uint64(i+1), t0.Add(time.Duration(i)*time.Second),
			fmt.Sprintf("card_%03d", i%200), fmt.Sprintf("Merchant %02d", i%50), reason)
	}
	return rows
}

// fullRing is a ring of capacity n, full.
func fullRing(n int, rows []Row) *Ring {
	r := NewRing(n)
	for i := range n {
		r.Append(rows[i%len(rows)])
	}
	return r
}

func BenchmarkRingAppend(b *testing.B) {
	rows := benchRows(4096)
	for _, n := range retained {
		b.Run(fmt.Sprint("retained=", n), func(b *testing.B) {
			r := fullRing(n, rows)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				r.Append(rows[i&4095])
				i++
			}
		})
	}
}

// BenchmarkWindow is the Live view's per-frame read: the 40 rows on screen,
// into a slice reused from frame to frame (AppendWindow), and into a new
// one (Window, "new-slice").
func BenchmarkWindow(b *testing.B) {
	rows := benchRows(4096)
	for _, n := range retained {
		r := fullRing(n, rows)
		views := []struct {
			name string
			v    View
		}{
			{"all", r.All()},
			{"declines", r.Declines()},
			{"paused", r.Snapshot()},
		}
		for _, view := range views {
			b.Run(fmt.Sprintf("retained=%d/%s", n, view.name), func(b *testing.B) {
				screen := make([]Row, 0, 40)
				b.ReportAllocs()
				for b.Loop() {
					screen = AppendWindow(screen[:0], view.v, 20, 40)
				}
				if len(screen) != 40 {
					b.Fatal("short window")
				}
			})
		}
		b.Run(fmt.Sprintf("retained=%d/new-slice", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(Window(r.All(), 20, 40)) != 40 {
					b.Fatal("short window")
				}
			}
		})
	}
}

// BenchmarkBurst applies a burst of 500 events to a full ring and reads the
// screen's 40 rows, as one coalesced redraw of the Live view does.
func BenchmarkBurst(b *testing.B) {
	rows := benchRows(4096)
	for _, n := range retained {
		b.Run(fmt.Sprint("retained=", n), func(b *testing.B) {
			r := fullRing(n, rows)
			screen := make([]Row, 0, 40)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				for range 500 {
					r.Append(rows[i&4095])
					i++
				}
				screen = AppendWindow(screen[:0], r.All(), 0, 40)
			}
		})
	}
}

// BenchmarkStatsAdd counts a stream 1 ms apart, so that minutes roll over
// and expire as they would under a decline storm.
func BenchmarkStatsAdd(b *testing.B) {
	rows := benchRows(4096)
	clock := &fakeClock{now: t0}
	s := NewDeclineStats(StatsConfig{Clock: clock.Now})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		row := rows[i&4095]
		clock.now = clock.now.Add(time.Millisecond)
		row.At = clock.now
		s.Add(row)
		i++
	}
}

// BenchmarkStatsTop is the Declines view's per-frame read over a full hour.
func BenchmarkStatsTop(b *testing.B) {
	rows := benchRows(3600)
	clock := &fakeClock{now: t0}
	s := NewDeclineStats(StatsConfig{Clock: clock.Now})
	for _, row := range rows {
		clock.now = row.At
		s.Add(row)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Top(clock.now, 5)
		s.Spike(clock.now)
		s.Rate(clock.now)
	}
}
