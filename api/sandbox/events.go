package sandbox

import (
	"sync"
	"time"
)

// Event is one event an issuer emitted: Payload is the exact JSON body to
// deliver (a vaultspay.Event or a vydapay.Event).
type Event struct {
	Provider  string
	ID        string
	Type      string
	CreatedAt time.Time
	Payload   []byte
}

// eventLogSize is how many events per provider are kept for redelivery.
const eventLogSize = 100_000

// eventLog keeps the last eventLogSize events of one provider, by id.
type eventLog struct {
	mu    sync.Mutex
	ring  []Event // grows to eventLogSize, then wraps
	total int     // events ever added; event n sits at ring[n%eventLogSize]
	byID  map[string]int
}

func newEventLog() *eventLog {
	return &eventLog{byID: map[string]int{}}
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ring) < eventLogSize {
		l.ring = append(l.ring, e)
	} else {
		slot := l.total % eventLogSize
		delete(l.byID, l.ring[slot].ID)
		l.ring[slot] = e
	}
	l.byID[e.ID] = l.total
	l.total++
}

func (l *eventLog) get(id string) (Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, ok := l.byID[id]
	if !ok {
		return Event{}, false
	}
	return l.ring[n%eventLogSize], true
}

// list returns the kept events, oldest first.
func (l *eventLog) list() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Event, 0, len(l.ring))
	first := max(l.total-len(l.ring), 0)
	for n := first; n < l.total; n++ {
		out = append(out, l.ring[n%eventLogSize])
	}
	return out
}

// has reports whether id was ever used (while still kept).
func (l *eventLog) has(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.byID[id]
	return ok
}

// eventBus carries emitted events to the hooks, outside every issuer lock
// and in emission order.
type eventBus struct {
	hooksMu sync.Mutex
	hooks   []func(Event)

	pendMu  sync.Mutex
	pending []Event

	// drainMu is held by whichever goroutine is calling hooks; the others
	// leave their events to it, which keeps the order without blocking a
	// hook that itself emits.
	drainMu sync.Mutex
}

// enqueue is called under the emitting issuer's lock, so the queue order
// is the emission order.
func (b *eventBus) enqueue(e Event) {
	b.pendMu.Lock()
	b.pending = append(b.pending, e)
	b.pendMu.Unlock()
}

func (b *eventBus) pop() (Event, bool) {
	b.pendMu.Lock()
	defer b.pendMu.Unlock()
	if len(b.pending) == 0 {
		b.pending = nil
		return Event{}, false
	}
	e := b.pending[0]
	b.pending[0] = Event{}
	b.pending = b.pending[1:]
	return e, true
}

func (b *eventBus) empty() bool {
	b.pendMu.Lock()
	defer b.pendMu.Unlock()
	return len(b.pending) == 0
}

// dispatch calls the hooks for every pending event. It must be called
// after the issuer lock is released.
func (b *eventBus) dispatch() {
	for {
		if !b.drainMu.TryLock() {
			return // the holder re-checks the queue after it lets go
		}
		b.hooksMu.Lock()
		hooks := b.hooks
		b.hooksMu.Unlock()
		for {
			e, ok := b.pop()
			if !ok {
				break
			}
			for _, h := range hooks {
				h(e)
			}
		}
		b.drainMu.Unlock()
		if b.empty() {
			return
		}
	}
}

// addEventHook registers fn to be called with every event emitted from now
// on, outside the issuer locks, in emission order. fn must not block for
// long: it runs on the goroutine of whoever caused the event.
func (s *Server) addEventHook(fn func(Event)) {
	s.bus.hooksMu.Lock()
	defer s.bus.hooksMu.Unlock()
	hooks := make([]func(Event), len(s.bus.hooks), len(s.bus.hooks)+1)
	copy(hooks, s.bus.hooks)
	s.bus.hooks = append(hooks, fn)
}

// eventByID finds one of the last eventLogSize events of a provider.
func (s *Server) eventByID(provider, id string) (Event, bool) {
	iss, err := s.issuer(provider)
	if err != nil {
		return Event{}, false
	}
	return iss.log.get(id)
}

// events lists the kept events of a provider, oldest first.
func (s *Server) events(provider string) []Event {
	iss, err := s.issuer(provider)
	if err != nil {
		return nil
	}
	return iss.log.list()
}
