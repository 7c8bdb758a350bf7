package faults

import (
	"context"
	"time"
)

// DefaultKeep is how many records a front keeps by default.
const DefaultKeep = 10_000

// Record is one request the front saw and what became of it.
type Record struct {
	Seq int // 1 for the first request
	// At is when the request arrived; Sent when the front began to answer
	// it (zero when no answer was sent: a reset, or the client left first).
	At, Sent time.Time
	// Done is set once the front has finished with the request.
	Done bool

	Method         string
	Path           string // as received, with the provider's prefix
	Provider       string // "vaultspay", "vydapay" or ""
	IdempotencyKey string

	// Fault is the fault applied ("" for none; latency alone says Latency).
	Fault Kind
	After bool          // the sandbox acted before the fault
	Delay time.Duration // latency added
	// RetryAfter is what a 429 asked for.
	RetryAfter time.Duration
	// Status is what the client was sent; 0 when nothing was.
	Status int
	// Upstream is what the sandbox answered, 0 when it was not asked;
	// Replayed says it answered from its idempotency store, without acting.
	Upstream int
	Replayed bool
	// ClientGone: the client hung up before the front answered.
	ClientGone bool
}

// records holds the last keep records and tells waiters of every change.
type records struct {
	keep    int
	seq     int
	list    []*Record
	changed chan struct{}
}

// add appends a record for a new request. Called under the front's lock.
func (rs *records) add(r *Record) {
	rs.seq++
	r.Seq = rs.seq
	if len(rs.list) >= 2*rs.keep {
		rs.list = append([]*Record(nil), rs.list[len(rs.list)-rs.keep+1:]...)
	}
	rs.list = append(rs.list, r)
	rs.notify()
}

// notify wakes every waiter. Called under the front's lock.
func (rs *records) notify() {
	if rs.changed != nil {
		close(rs.changed)
	}
	rs.changed = make(chan struct{})
}

// snapshot copies the last keep records. Called under the front's lock.
func (rs *records) snapshot() []Record {
	list := rs.list
	if len(list) > rs.keep {
		list = list[len(list)-rs.keep:]
	}
	out := make([]Record, len(list))
	for i, r := range list {
		out[i] = *r
	}
	return out
}

// Records returns the requests seen so far, oldest first (at most the
// last Config.Keep of them).
func (f *Front) Records() []Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.recs.snapshot()
}

// Wait returns the records once cond holds for them, checking after every
// change (a request arriving, being answered, being finished), or the
// context's error when it ends first.
func (f *Front) Wait(ctx context.Context, cond func([]Record) bool) ([]Record, error) {
	for {
		f.mu.Lock()
		recs := f.recs.snapshot()
		if f.recs.changed == nil {
			f.recs.notify()
		}
		changed := f.recs.changed
		f.mu.Unlock()
		if cond(recs) {
			return recs, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return recs, ctx.Err()
		}
	}
}

// update changes a record under the lock and wakes the waiters.
func (f *Front) update(r *Record, change func(*Record)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(r)
	f.recs.notify()
}
