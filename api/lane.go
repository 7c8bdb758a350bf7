package api

import "context"

// Lane says who a request is for, so that one key's rate limit serves the
// agents first: an agent waits on an interactive request, while background
// requests are what the dashboard fetches on its own (the cards of live
// rows, health checks).
type Lane uint8

// Lanes, in the order they are served.
const (
	LaneInteractive Lane = iota
	LaneBackground
	numLanes
)

func (l Lane) String() string {
	if l == LaneBackground {
		return "background"
	}
	return "interactive"
}

type laneKey struct{}

// WithLane marks the requests made under ctx as lane's.
func WithLane(ctx context.Context, l Lane) context.Context {
	return context.WithValue(ctx, laneKey{}, l)
}

// LaneOf is the lane ctx's requests belong to. A request nobody marked is
// interactive: one that an agent may be waiting on must never be held back
// as background work because its caller forgot to say so.
func LaneOf(ctx context.Context) Lane {
	if l, ok := ctx.Value(laneKey{}).(Lane); ok && l < numLanes {
		return l
	}
	return LaneInteractive
}
