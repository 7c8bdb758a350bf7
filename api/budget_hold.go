package api

import (
	"fmt"
	"time"
)

// HeldError is a request the budget held until its context ended, and so
// never sent.
type HeldError struct {
	Lane Lane
	// Why is what held it (HoldPaused, HoldCap, …).
	Why HoldReason
	// Until is when the budget expected to let it go; zero if unknown.
	Until time.Time
	Err   error // the context's error
}

func (e *HeldError) Error() string {
	s := fmt.Sprintf("%s request held by the rate-limit budget (%s)", e.Lane, e.Why)
	if !e.Until.IsZero() {
		s += " until " + e.Until.Format("15:04:05")
	}
	return s + ": " + e.Err.Error()
}

func (e *HeldError) Unwrap() error { return e.Err }

// HoldReason says why the budget holds a lane back.
type HoldReason string

// Why a lane waits.
const (
	HoldNone HoldReason = ""
	// HoldPaused: the provider answered 429 and asked every request to
	// wait.
	HoldPaused HoldReason = "the provider asked us to wait"
	// HoldInLine: earlier requests of its lane go first.
	HoldInLine HoldReason = "in line"
	// HoldSpent: the window's requests are spent.
	HoldSpent HoldReason = "the window is spent"
	// HoldAgentsFirst: agents' requests wait, and go first.
	HoldAgentsFirst HoldReason = "agents first"
	// HoldCap: the background lane spent its share of the window.
	HoldCap HoldReason = "its share is spent"
	// HoldHeadroom: what is left of the window is kept for agents.
	HoldHeadroom HoldReason = "headroom kept for agents"
)
