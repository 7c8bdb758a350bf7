package live

import (
	"log/slog"
	"sync"
	"time"
)

// A provider signing with a secret the relay does not hold, or a sender
// whose clock is far off, has every delivery refused: the provider sees
// 4xx and retries, but the relay's operator saw nothing beyond a counter
// in /metrics. The relay logs refusals, at a bounded rate so that a flood
// of forged or misconfigured deliveries cannot fill its log, and /healthz
// tells the last hour's by reason.
const (
	// refusalLogBurst lines are logged at once; then one per
	// refusalLogEvery, each saying how many went unlogged before it.
	refusalLogBurst = 10
	refusalLogEvery = 500 * time.Millisecond
	// refusalWindow is how far back /healthz counts, in minute slots.
	refusalWindow  = time.Hour
	refusalMinutes = int(refusalWindow / time.Minute)
)

// Refusal is one reason's refused deliveries in /healthz.
type Refusal struct {
	LastHour uint64    `json:"last_hour"`
	LastAt   time.Time `json:"last_at"`
	// Provider is the provider of the last one (its path segment, or
	// "unknown").
	Provider string `json:"provider"`
}

// quietReasons are refusals logged elsewhere already (a store failure,
// once, with its cause; a sender hanging up) or expected (a shutdown):
// counted, not logged again.
var quietReasons = map[string]bool{
	reasonStoreUnavailable: true,
	reasonSenderGone:       true,
	reasonShuttingDown:     true,
}

// refusalHints say what an operator can do about a refusal.
var refusalHints = map[string]string{
	reasonSigMismatch:     "the sender signs with a secret the relay does not hold: check the relay's webhook secrets against the provider's endpoint",
	reasonSigMissing:      "the request carries no signature: is it from the provider?",
	reasonTimestampStale:  "the sender's clock or the relay's is off by more than the tolerance, or this is a replay",
	reasonTimestampFuture: "the sender's clock or the relay's is off by more than the tolerance",
	reasonUnknownProvider: "the webhook URL names a provider the relay has no secret for",
}

// refusals counts refused deliveries by reason over the last hour and
// logs them at a bounded rate. It is safe for concurrent use.
type refusals struct {
	now func() time.Time
	log *slog.Logger

	mu      sync.Mutex
	reasons map[string]*refusalCount
	// tokens is the log's budget, a bucket of refusalLogBurst lines
	// refilled one per refusalLogEvery since filled.
	tokens   float64
	filled   time.Time
	unlogged uint64 // refused since the last line, not logged
}

// refusalCount is one reason's minute counts: slot i counts the minute
// minute[i] (Unix minutes), so that a slot from an hour ago is not read.
type refusalCount struct {
	slots    [refusalMinutes]uint64
	minute   [refusalMinutes]int64
	last     time.Time
	provider string
}

func newRefusals(now func() time.Time, log *slog.Logger) *refusals {
	return &refusals{now: now, log: log, reasons: map[string]*refusalCount{}, tokens: refusalLogBurst}
}

// note counts a refusal and logs it if the budget allows.
func (r *refusals) note(provider string, status int, reason, msg string) {
	now := r.now()
	r.mu.Lock()
	c := r.reasons[reason]
	if c == nil {
		c = &refusalCount{}
		r.reasons[reason] = c
	}
	m := now.Unix() / 60
	i := int(m % int64(refusalMinutes))
	if c.minute[i] != m {
		c.minute[i], c.slots[i] = m, 0
	}
	c.slots[i]++
	c.last, c.provider = now, provider
	if quietReasons[reason] {
		r.mu.Unlock()
		return
	}
	if !r.take(now) {
		r.unlogged++
		r.mu.Unlock()
		return
	}
	unlogged := r.unlogged
	r.unlogged = 0
	r.mu.Unlock()

	attrs := []any{"provider", provider, "reason", reason, "status", status, "answer", msg}
	if hint := refusalHints[reason]; hint != "" {
		attrs = append(attrs, "hint", hint)
	}
	if unlogged > 0 {
		attrs = append(attrs, "not_logged_before_this", unlogged)
	}
	r.log.Warn("webhook refused", attrs...)
}

// take spends one line of the log's budget, if there is one; r.mu is
// held.
func (r *refusals) take(now time.Time) bool {
	if !r.filled.IsZero() && now.After(r.filled) {
		r.tokens = min(r.tokens+float64(now.Sub(r.filled))/float64(refusalLogEvery), refusalLogBurst)
	}
	if r.filled.IsZero() || now.After(r.filled) {
		r.filled = now
	}
	if r.tokens < 1 {
		return false
	}
	r.tokens--
	return true
}

// lastHour is every reason refused within the last hour.
func (r *refusals) lastHour() map[string]Refusal {
	now := r.now()
	from := now.Add(-refusalWindow).Unix()/60 + 1 // the oldest minute still counted
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]Refusal, len(r.reasons))
	for reason, c := range r.reasons {
		var n uint64
		for i, m := range c.minute {
			if m >= from && m <= now.Unix()/60 {
				n += c.slots[i]
			}
		}
		if n > 0 {
			out[reason] = Refusal{LastHour: n, LastAt: c.last.UTC(), Provider: c.provider}
		}
	}
	return out
}
