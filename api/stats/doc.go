// Package stats summarises the samples of carddesk's benchmarks — nearest-
// rank percentiles and the maximum — and prints counts with thousands
// separators. Both the relay's load engine (live/loadtest) and the
// dashboard's benchmarks (tui/bench) report with it. It sits under api, the
// root both of them may import, because neither the relay nor the dashboard
// owns it; it imports nothing of carddesk's.
package stats
