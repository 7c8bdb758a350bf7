package tui

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
)

// nolossWitness is a second webhook URL of the sandbox, always up and
// always answering 200: what it received is every event the sandbox
// emitted, whatever happened to the relay meanwhile. It verifies each
// delivery's signature as the relay does.
type nolossWitness struct {
	schemes map[string]api.WebhookScheme
	sig     nolossSignal

	mu         sync.Mutex
	seen       map[nolossKey]struct{}
	byProvider map[string]int
	// during collects what arrived while a relay outage was being
	// observed (nil otherwise): the sandbox emitted them while the relay
	// was down.
	during   map[nolossKey]struct{}
	problems []string
}

func newNolossWitness(schemes map[string]api.WebhookScheme) *nolossWitness {
	return &nolossWitness{schemes: schemes, seen: map[nolossKey]struct{}{}, byProvider: map[string]int{}}
}

// ServeHTTP takes POST /{provider}.
func (w *nolossWitness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	provider := strings.TrimPrefix(r.URL.Path, "/")
	body, err := io.ReadAll(r.Body)
	scheme, known := w.schemes[provider]
	var ev api.Event
	switch {
	case err != nil:
	case !known:
		err = fmt.Errorf("unknown provider %q", provider)
	default:
		if err = scheme.Verify(r.Header, body, time.Now()); err == nil {
			ev, err = scheme.Parse(body)
		}
	}
	w.mu.Lock()
	if err != nil {
		w.problems = append(w.problems, provider+": "+err.Error())
	} else if k := (nolossKey{provider, ev.ID}); !w.has(k) {
		w.seen[k] = struct{}{}
		w.byProvider[provider]++
		if w.during != nil {
			w.during[k] = struct{}{}
		}
	}
	w.mu.Unlock()
	w.sig.notify()
	rw.WriteHeader(http.StatusOK) // even a problem: it is reported, not retried
}

func (w *nolossWitness) has(k nolossKey) bool { _, ok := w.seen[k]; return ok }

// counts is how many distinct events of each provider arrived.
func (w *nolossWitness) counts() map[string]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]int, len(w.byProvider))
	for p, n := range w.byProvider {
		out[p] = n
	}
	return out
}

// snapshot copies the set of events that arrived.
func (w *nolossWitness) snapshot() map[nolossKey]struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[nolossKey]struct{}, len(w.seen))
	for k := range w.seen {
		out[k] = struct{}{}
	}
	return out
}

// observe starts collecting the events that arrive from now; the returned
// function stops and returns them.
func (w *nolossWitness) observe() (stop func() map[nolossKey]struct{}) {
	w.mu.Lock()
	w.during = map[nolossKey]struct{}{}
	w.mu.Unlock()
	return func() map[nolossKey]struct{} {
		w.mu.Lock()
		defer w.mu.Unlock()
		out := w.during
		w.during = nil
		return out
	}
}

// trouble lists deliveries the witness could not verify or parse.
func (w *nolossWitness) trouble() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}
