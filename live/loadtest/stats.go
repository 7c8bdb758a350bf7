package loadtest

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

// Result is what one load run measured.
type Result struct {
	Elapsed    time.Duration // from the first POST to the last answer
	Sent       int64         // POSTs made
	Accepted   int64         // answered 200 as a new event
	Duplicates int64         // answered 200 as a duplicate (0 in a sound run)
	Failed     int64         // answered anything else, or not at all
	BodyBytes  int           // size of one event body

	Post     Latency // POST round trip
	Delivery Latency // POST sent → subscriber received, every subscriber's samples

	// Delivered counts, per subscriber, the distinct events of this run it
	// received; Repeated the deliveries of an event it already had, and
	// OutOfOrder those whose Seq did not exceed the one before.
	Delivered  []int64
	Repeated   int64
	OutOfOrder int64
	Behind     int64 // times a subscriber was told it fell behind
	// Lost counts acknowledged events that some subscriber never received
	// within the drain wait. It must be 0.
	Lost int64
	// HealthAnswers counts the /healthz answers the flood got (when
	// Config.HealthRate is set) over HealthElapsed.
	HealthAnswers int64
	HealthElapsed time.Duration
}

// AcceptedPerSecond is the rate of acknowledged events.
func (r Result) AcceptedPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Accepted+r.Duplicates) / r.Elapsed.Seconds()
}
