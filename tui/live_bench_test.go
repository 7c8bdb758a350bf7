package tui

import (
	"fmt"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/monitor"
)

// benchCards are the cards the benchmark traffic uses.
func benchCards() []api.Card {
	cards := make([]api.Card, 200)
	for i := range cards {
		cards[i] = api.Card{ID: fmt.Sprintf("card_%03d", i), Currency: "GBP", LastFour: fmt.Sprintf("%04d", i)}
	}
	return cards
}

// BenchmarkLiveView applies a burst of 1,000 events as the root does (ring,
// stats, the batch sent down to the screen) and draws the Live view at
// 120×40, with 1,000 and with 100,000 events retained. The README quotes
// it: the cost must not grow with what is retained.
//
//	go test ./tui -run '^$' -bench BenchmarkLiveView -benchmem
func BenchmarkLiveView(b *testing.B) {
	const burst = 1_000
	for _, retained := range []int{1_000, 100_000} {
		for _, declinesOnly := range []bool{false, true} {
			name := fmt.Sprintf("retained=%d/all", retained)
			if declinesOnly {
				name = fmt.Sprintf("retained=%d/declines", retained)
			}
			b.Run(name, func(b *testing.B) {
				ctx := newLiveContext(nil, retained)
				events := liveTraffic(benchCards(), burst, false)
				rows := make([]monitor.Row, burst)
				ups := make([]backend.Update, burst)
				for i, ev := range events {
					rows[i] = monitor.RowOf(0, ev)
					ups[i] = backend.Update{Event: ev}
				}
				appendBurst := func() {
					for i := range rows {
						row := rows[i]
						row.Seq = ctx.Ring.Total() + 1
						ctx.Ring.Append(row)
						ctx.Stats.Add(row)
					}
				}
				for ctx.Ring.Total() < uint64(retained) {
					appendBurst()
				}
				s := NewLive(ctx)
				s.declinesOnly = declinesOnly
				msg := EventsMsg{Updates: ups}
				s.View(ctx, 120, 36)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					appendBurst()
					s.Update(ctx, msg)
					_ = s.View(ctx, 120, 36)
				}
			})
		}
	}
}

// BenchmarkLiveDraw is the drawing alone, at 1,000 and 100,000 retained.
func BenchmarkLiveDraw(b *testing.B) {
	for _, retained := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("retained=%d", retained), func(b *testing.B) {
			ctx := newLiveContext(nil, retained)
			events := liveTraffic(benchCards(), 1_000, false)
			for ctx.Ring.Total() < uint64(retained) {
				feedLive(ctx, events)
			}
			s := NewLive(ctx)
			b.ReportAllocs()
			for b.Loop() {
				_ = s.View(ctx, 120, 36)
			}
		})
	}
}

// BenchmarkDeclinesView draws the Declines view over an hour of traffic.
func BenchmarkDeclinesView(b *testing.B) {
	ctx := newLiveContext(nil, 0)
	feedLive(ctx, liveTraffic(benchCards(), 20_000, true))
	d := NewDeclines(ctx)
	b.ReportAllocs()
	for b.Loop() {
		_ = d.View(ctx, 120, 36)
	}
}
