package faults

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Config configures a Front.
type Config struct {
	Rules []Rule
	// Seed makes the schedule: the same seed, rules and order of requests
	// give the same faults.
	Seed int64
	// RateLimit is the X-RateLimit-Limit a 429 reports; 0 → 100, the
	// sandbox's default.
	RateLimit int
	// Keep bounds the records kept; 0 → DefaultKeep.
	Keep int
	// Logger hears of every fault injected, at Info; nil discards.
	Logger *slog.Logger
}

// defaultRateLimit is the sandbox's default limit per minute per key.
const defaultRateLimit = 100

// maxDrain bounds how much of a request body the front reads when the
// sandbox is not to see it (the sandbox's own limit).
const maxDrain = 1 << 20

// Front is the fault-injecting http.Handler before the sandbox.
type Front struct {
	next http.Handler
	cfg  Config
	log  *slog.Logger

	mu    sync.Mutex
	sched schedule
	recs  records

	closeOnce sync.Once
	closed    chan struct{}
}

// New checks the rules and returns a front passing requests to next.
func New(next http.Handler, cfg Config) (*Front, error) {
	for i, r := range cfg.Rules {
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("faults: rule %d (%s): %w", i+1, r, err)
		}
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = defaultRateLimit
	}
	if cfg.Keep <= 0 {
		cfg.Keep = DefaultKeep
	}
	cfg.Rules = append([]Rule(nil), cfg.Rules...)
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Front{
		next: next, cfg: cfg, log: log,
		sched:  newSchedule(cfg.Rules, cfg.Seed),
		recs:   records{keep: cfg.Keep},
		closed: make(chan struct{}),
	}, nil
}

// Rules are the rules in force.
func (f *Front) Rules() []Rule { return append([]Rule(nil), f.cfg.Rules...) }

// Close ends every hold at once: a delayed request goes on to the sandbox,
// a held one answers 504. Call it before shutting the server down, so that
// no request waits out its hold. Requests after Close are not delayed.
func (f *Front) Close() {
	f.closeOnce.Do(func() { close(f.closed) })
}

// ServeHTTP records the request, applies its planned fault, if any, and
// otherwise passes it to the sandbox.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	provider, sub := splitPath(r.URL.Path)
	rec := &Record{
		At: time.Now(), Method: r.Method, Path: r.URL.Path, Provider: provider,
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
	}
	f.mu.Lock()
	p := f.sched.decide(provider, r.Method, sub, r.URL.Path)
	rec.Fault, rec.After, rec.Delay, rec.RetryAfter = p.fault, p.after, p.delay, p.retryAfter
	if rec.Fault == "" && p.delay > 0 {
		rec.Fault = Latency
	}
	f.recs.add(rec)
	f.mu.Unlock()
	defer f.update(rec, func(r *Record) { r.Done = true })
	if rec.Fault != "" {
		f.logFault(rec, p)
	}

	if p.delay > 0 && !f.hold(r.Context(), p.delay) {
		f.gone(rec)
		return
	}
	reqID := "req_fault_" + strconv.Itoa(rec.Seq)
	switch p.fault {
	case "", Latency:
		f.pass(w, r, rec)
	case RateLimit:
		drain(r)
		f.answer(w, rec, provider, reqID, rateLimited(f.cfg.RateLimit, p.retryAfter))
	case ServerError:
		f.act(r, rec, p.after)
		f.answer(w, rec, provider, reqID, serverError(p.status))
	case Timeout:
		f.act(r, rec, p.after)
		if !f.hold(r.Context(), p.hold) {
			f.gone(rec)
			return
		}
		f.answer(w, rec, provider, reqID, serverError(http.StatusGatewayTimeout))
	case Reset:
		f.act(r, rec, p.after)
		f.reset(w)
	case Truncate:
		c := f.forward(r, rec)
		f.sent(rec, c.code())
		sendCaptured(w, c, cutPoint(c.body.Len()))
	}
}

// logFault tells the log of a fault, with what applies of its details.
func (f *Front) logFault(rec *Record, p plan) {
	args := []any{"fault", string(rec.Fault), "method", rec.Method, "path", rec.Path, "seq", rec.Seq}
	if p.delay > 0 {
		args = append(args, "delay", p.delay)
	}
	if p.status != 0 {
		args = append(args, "status", p.status)
	}
	if p.retryAfter > 0 {
		args = append(args, "retry_after", p.retryAfter)
	}
	if p.after {
		args = append(args, "after", true)
	}
	f.log.Info("fault injected", args...)
}

// pass sends the request to the sandbox with its answer going straight to
// the client.
func (f *Front) pass(w http.ResponseWriter, r *http.Request, rec *Record) {
	pw := &passWriter{ResponseWriter: w, onStart: func(status int, h http.Header) {
		f.update(rec, func(rec *Record) {
			rec.Sent, rec.Status, rec.Upstream, rec.Replayed = time.Now(), status, status, replayed(h)
		})
	}}
	f.next.ServeHTTP(pw, r)
}

// act lets the sandbox act on the request and drops its answer when after
// is set; otherwise it reads the body so that the sandbox never sees it.
func (f *Front) act(r *http.Request, rec *Record, after bool) {
	if after {
		f.forward(r, rec)
		return
	}
	drain(r)
}

// forward has the sandbox serve the request into a capture.
func (f *Front) forward(r *http.Request, rec *Record) *capture {
	c := newCapture()
	f.next.ServeHTTP(c, r)
	f.update(rec, func(rec *Record) { rec.Upstream, rec.Replayed = c.code(), replayed(c.header) })
	return c
}

// answer sends a made-up error.
func (f *Front) answer(w http.ResponseWriter, rec *Record, provider, reqID string, e injected) {
	now := f.sent(rec, e.status)
	e.write(w, provider, reqID, f.cfg.RateLimit, now)
}

// sent notes that the front is about to answer with status, and when:
// before the first byte leaves, so that Sent is never later than what the
// client sees.
func (f *Front) sent(rec *Record, status int) time.Time {
	now := time.Now()
	f.update(rec, func(rec *Record) { rec.Sent, rec.Status = now, status })
	return now
}

func (f *Front) gone(rec *Record) {
	f.update(rec, func(rec *Record) { rec.ClientGone = true })
}

// hold waits d; it reports false when the client hung up first. Close ends
// the wait early, as if it were over.
func (f *Front) hold(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-f.closed:
		return ctx.Err() == nil
	case <-ctx.Done():
		return false
	}
}

// drain reads what is left of the request body, so that the client has
// finished sending before the front answers or resets.
func drain(r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
}
