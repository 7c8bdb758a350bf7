package sandbox

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateWindow is the fixed window of one API key.
const rateWindow = 60 * time.Second

// rateLimiter counts requests per API key in fixed 60-second windows.
// Only authenticated keys reach it, so it holds at most one entry per
// configured key.
type rateLimiter struct {
	limit   int // per window; negative: unlimited
	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	start time.Time
	count int
}

func newRateLimiter(limit int) *rateLimiter {
	return &rateLimiter{limit: limit, windows: map[string]*window{}}
}

// rateState is what a request learns from the limiter.
type rateState struct {
	limited   bool // no limit applies
	limit     int
	remaining int
	reset     time.Time
	allowed   bool
}

func (l *rateLimiter) take(key string, now time.Time) rateState {
	if l.limit < 0 {
		return rateState{allowed: true}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil || !now.Before(w.start.Add(rateWindow)) {
		w = &window{start: now}
		l.windows[key] = w
	}
	st := rateState{limited: true, limit: l.limit, reset: w.start.Add(rateWindow)}
	if w.count >= l.limit {
		return st
	}
	w.count++
	st.allowed = true
	st.remaining = l.limit - w.count
	return st
}

// headers sets X-RateLimit-Limit/Remaining/Reset (Unix seconds, rounded
// up) and, when refused, Retry-After in whole seconds.
func (st rateState) headers(h http.Header, now time.Time) {
	if !st.limited {
		return
	}
	reset := st.reset.Unix()
	if st.reset.Nanosecond() > 0 {
		reset++
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(st.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(st.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
	if !st.allowed {
		wait := int64((st.reset.Sub(now) + time.Second - 1) / time.Second)
		h.Set("Retry-After", strconv.FormatInt(max(wait, 1), 10))
	}
}
