package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/carddesk/carddesk/api"
)

// nolossKey names one provider event: what the relay keeps once.
type nolossKey struct{ provider, id string }

func (k nolossKey) String() string { return k.provider + "/" + k.id }

// nolossSignal wakes everyone waiting for a change. Take C before checking
// the condition, then wait on it: a change in between is not missed.
type nolossSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

func (s *nolossSignal) C() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

func (s *nolossSignal) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
	}
	s.ch = make(chan struct{})
}

// nolossAwait waits until check holds, re-checking on every change of sig,
// or until ctx ends.
func nolossAwait(ctx context.Context, sig *nolossSignal, check func() bool) error {
	for {
		changed := sig.C()
		if check() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// nolossSenderGone is the relay's answer to a delivery whose sender hung up
// while the relay was storing it.
const nolossSenderGone = "request cancelled"

// nolossAcks sits in front of the relay and notes every webhook answer: an
// event counts as acknowledged once the relay answered its delivery 2xx,
// with the sequence number the relay gave it. Once closed it refuses
// deliveries with 503 (the sandbox retries them) without passing them on,
// so that the acknowledged set, and the store, stop moving.
type nolossAcks struct {
	schemes map[string]api.WebhookScheme
	sig     nolossSignal

	mu         sync.RWMutex
	closed     bool
	inflight   sync.WaitGroup
	acked      map[nolossKey]uint64   // seq the relay answered
	expected   map[nolossKey]struct{} // awaited, not acknowledged yet
	refused    map[nolossRefusal]int  // non-2xx answers by status and reason
	duplicates int                    // 2xx answers saying the event was already stored
	problems   []string               // answers that contradict each other
	// senderGone holds the events the relay answered 503 because their
	// sender hung up while it stored them: such an event may be stored
	// all the same, unacknowledged until a retry is answered duplicate.
	senderGone map[nolossKey]struct{}
}

func newNolossAcks(schemes map[string]api.WebhookScheme) *nolossAcks {
	return &nolossAcks{schemes: schemes, acked: map[nolossKey]uint64{}, refused: map[nolossRefusal]int{},
		senderGone: map[nolossKey]struct{}{}}
}

// wrap passes everything to next and records the answers to webhooks.
func (a *nolossAcks) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		provider, ok := strings.CutPrefix(r.URL.Path, "/webhooks/")
		if !ok {
			next.ServeHTTP(w, r) // the stream, health and metrics as they are
			return
		}
		if !a.enter() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"error":"test: intake closed"}`+"\n")
			return
		}
		defer a.inflight.Done()
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "test: read body", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &nolossRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		a.note(provider, body, rec)
	})
}

func (a *nolossAcks) enter() bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.closed {
		return false
	}
	a.inflight.Add(1)
	return true
}

// note records one answer of the relay.
func (a *nolossAcks) note(provider string, body []byte, rec *nolossRecorder) {
	a.mu.Lock()
	defer a.mu.Unlock()
	defer a.sig.notify()
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	if status/100 != 2 {
		a.noteRefusal(provider, body, status, rec.body.Bytes())
		return
	}
	scheme, ok := a.schemes[provider]
	if !ok {
		a.problems = append(a.problems, fmt.Sprintf("2xx for unknown provider %q", provider))
		return
	}
	ev, err := scheme.Parse(body)
	if err != nil {
		a.problems = append(a.problems, fmt.Sprintf("2xx for a %s body that does not parse: %v", provider, err))
		return
	}
	var ack struct {
		Seq       uint64 `json:"seq"`
		Duplicate bool   `json:"duplicate"`
	}
	if err := json.Unmarshal(rec.body.Bytes(), &ack); err != nil || ack.Seq == 0 {
		a.problems = append(a.problems, fmt.Sprintf("2xx for %s/%s with answer %q", provider, ev.ID, rec.body.String()))
		return
	}
	key := nolossKey{provider, ev.ID}
	if ack.Duplicate {
		a.duplicates++
	}
	if prev, seen := a.acked[key]; seen && prev != ack.Seq {
		a.problems = append(a.problems, fmt.Sprintf("%s acknowledged as seq %d, then as seq %d", key, prev, ack.Seq))
		return
	}
	a.acked[key] = ack.Seq
	delete(a.expected, key)
}

// noteRefusal records a non-2xx answer; a.mu is held.
func (a *nolossAcks) noteRefusal(provider string, body []byte, status int, answer []byte) {
	var reply struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(answer, &reply)
	a.refused[nolossRefusal{status, reply.Error}]++
	scheme, ok := a.schemes[provider]
	if !ok || status != http.StatusServiceUnavailable || reply.Error != nolossSenderGone {
		return
	}
	if ev, err := scheme.Parse(body); err == nil {
		a.senderGone[nolossKey{provider, ev.ID}] = struct{}{}
	}
}

// close refuses further deliveries and waits for those in flight, so that
// what was acknowledged is final.
func (a *nolossAcks) close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.inflight.Wait()
}

// expect sets the events to wait for: those of want not acknowledged yet.
func (a *nolossAcks) expect(want map[nolossKey]struct{}) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expected = make(map[nolossKey]struct{}, len(want))
	for k := range want {
		if _, ok := a.acked[k]; !ok {
			a.expected[k] = struct{}{}
		}
	}
}

// unmet lists the expected events not acknowledged yet.
func (a *nolossAcks) unmet() []nolossKey {
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make([]nolossKey, 0, len(a.expected))
	for k := range a.expected {
		out = append(out, k)
	}
	return out
}

// allMet reports whether every expected event was acknowledged.
func (a *nolossAcks) allMet() bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.expected) == 0
}

// snapshot copies what was acknowledged, with the seq of each.
func (a *nolossAcks) snapshot() map[nolossKey]uint64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make(map[nolossKey]uint64, len(a.acked))
	for k, v := range a.acked {
		out[k] = v
	}
	return out
}

// gone copies the set of events answered "sender gone".
func (a *nolossAcks) gone() map[nolossKey]struct{} {
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make(map[nolossKey]struct{}, len(a.senderGone))
	for k := range a.senderGone {
		out[k] = struct{}{}
	}
	return out
}

// summary copies the refusals by status, the duplicate count and the
// contradictions noted.
func (a *nolossAcks) summary() (refused map[nolossRefusal]int, duplicates int, problems []string) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	refused = make(map[nolossRefusal]int, len(a.refused))
	for k, v := range a.refused {
		refused[k] = v
	}
	return refused, a.duplicates, append([]string(nil), a.problems...)
}

// nolossRefusal is a non-2xx answer of the relay: its status and reason.
type nolossRefusal struct {
	status int
	reason string
}

func (r nolossRefusal) String() string { return fmt.Sprintf("%d %s", r.status, r.reason) }

// nolossRecorder keeps the status and body of an answer as it is written.
type nolossRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *nolossRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *nolossRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
