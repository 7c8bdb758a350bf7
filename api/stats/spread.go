package stats

import (
	"cmp"
	"slices"
	"time"
)

// Spread summarises a set of samples: their count, nearest-rank p50 and
// p99, and maximum.
type Spread[T cmp.Ordered] struct {
	N             int
	P50, P99, Max T
}

// Latency summarises a set of latency samples.
type Latency = Spread[time.Duration]

// Summarize sorts samples in place and takes nearest-rank quantiles.
func Summarize[T cmp.Ordered](samples []T) Spread[T] {
	if len(samples) == 0 {
		return Spread[T]{}
	}
	slices.Sort(samples)
	rank := func(q float64) T {
		i := int(q*float64(len(samples))+0.999999999) - 1
		return samples[min(max(i, 0), len(samples)-1)]
	}
	return Spread[T]{N: len(samples), P50: rank(0.50), P99: rank(0.99), Max: samples[len(samples)-1]}
}
