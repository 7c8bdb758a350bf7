package api

import (
	"context"
	"sync"
)

// CallInfo records what the provider said about the calls made under a
// context that carries it: the request id of the last answer, for an audit
// line whether the call succeeded or failed. Attach one with WithCallInfo.
type CallInfo struct {
	mu        sync.Mutex
	requestID string
	attempts  int
	// parent is the CallInfo of the context this one was made under, which
	// records the same answers: a caller keeps its own even when what it
	// calls attaches another.
	parent *CallInfo
}

type callInfoKey struct{}

// WithCallInfo returns a context that records into a fresh CallInfo.
func WithCallInfo(ctx context.Context) (context.Context, *CallInfo) {
	parent, _ := ctx.Value(callInfoKey{}).(*CallInfo)
	ci := &CallInfo{parent: parent}
	return context.WithValue(ctx, callInfoKey{}, ci), ci
}

// RequestID is the provider's id of the last answer received, "" when none
// came or the provider sent none.
func (ci *CallInfo) RequestID() string {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return ci.requestID
}

// Attempts is how many HTTP attempts the calls made in all.
func (ci *CallInfo) Attempts() int {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return ci.attempts
}

// noteAnswer records an answer on the context's CallInfo, if it has one,
// and on those it was made under.
func noteAnswer(ctx context.Context, requestID string) {
	ci, _ := ctx.Value(callInfoKey{}).(*CallInfo)
	for ; ci != nil; ci = ci.parent {
		ci.note(requestID)
	}
}

func (ci *CallInfo) note(requestID string) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	ci.attempts++
	if requestID != "" {
		ci.requestID = requestID
	}
}
