package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// benchStepWait bounds every wait of a benchmark for something to be drawn
// or to end, so that a broken run fails with what the screen showed rather
// than hanging. It is far longer than any step takes.
const benchStepWait = 60 * time.Second

// benchSpread is a set of samples' nearest-rank p50, p99 and maximum.
type benchSpread[T cmp.Ordered] struct {
	N             int
	P50, P99, Max T
}

// spreadOf sorts samples in place and summarises them.
func spreadOf[T cmp.Ordered](samples []T) benchSpread[T] {
	if len(samples) == 0 {
		return benchSpread[T]{}
	}
	slices.Sort(samples)
	rank := func(q float64) T {
		i := int(q*float64(len(samples))+0.999999999) - 1
		return samples[min(max(i, 0), len(samples)-1)]
	}
	return benchSpread[T]{N: len(samples), P50: rank(0.50), P99: rank(0.99), Max: samples[len(samples)-1]}
}

// writeBenchTable prints a header and rows as a table: the first column
// aligned left, the others right, two spaces apart.
func writeBenchTable(out io.Writer, header []string, rows [][]string) error {
	all := append([][]string{header}, rows...)
	widths := make([]int, len(header))
	for _, r := range all {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range all {
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			switch {
			case i == 0:
				b.WriteString(c + pad)
			default:
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteString("\n")
	}
	if _, err := io.WriteString(out, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// benchNumber prints v rounded, with thousands separators.
func benchNumber(v float64) string {
	return message.NewPrinter(language.English).Sprintf("%d", int64(v+0.5))
}

// benchMs prints a duration in milliseconds.
func benchMs(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// benchPause waits d, or until ctx ends.
func benchPause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
