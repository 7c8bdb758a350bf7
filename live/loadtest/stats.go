package loadtest

import (
	"time"

	"github.com/carddesk/carddesk/api/stats"
)

// Result is what one load run measured.
type Result struct {
	Elapsed    time.Duration // from the first POST to the last answer
	Sent       int64         // POSTs made
	Accepted   int64         // answered 200 as a new event
	Duplicates int64         // answered 200 as a duplicate (0 in a sound run)
	Failed     int64         // answered anything else, or not at all
	BodyBytes  int           // size of one event body

	Post     stats.Latency // POST round trip
	Delivery stats.Latency // POST sent → subscriber received, every subscriber's samples

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
