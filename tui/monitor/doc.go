// Package monitor owns the data behind the Live and Declines views: the
// bounded ring of recent events with its declines-only index and frozen
// (paused) views, and the rolling hour of decline statistics with their
// spike alert.
//
// Everything here is a plain data structure: no Bubble Tea, no I/O, no
// clock of its own. The cost of reading what is on screen depends on the
// rows on screen, never on how many events are retained.
package monitor
