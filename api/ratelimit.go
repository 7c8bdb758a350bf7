package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimit is the provider's rate-limit state as its last response said,
// and the key's budget within it.
type RateLimit struct {
	Limit     int       `json:"limit"`
	Remaining int       `json:"remaining"`
	Reset     time.Time `json:"reset"`
	// Observed is when a response last reported it; zero means never.
	Observed time.Time `json:"observed"`
	// Budget is what this process spent, holds and assumes of the limit.
	Budget BudgetState `json:"-"`
}

// Known reports whether any response has reported the limit yet.
func (r RateLimit) Known() bool { return !r.Observed.IsZero() }

// Headroom is the fraction of the window's requests still available, 0..1;
// 1 when the provider has not said.
func (r RateLimit) Headroom() float64 {
	if !r.Known() || r.Limit <= 0 {
		return 1
	}
	return float64(max(r.Remaining, 0)) / float64(r.Limit)
}

// parseRateLimit reads X-RateLimit-Limit/Remaining/Reset. Reset is a Unix
// time in seconds. It reports false when the headers are absent or malformed.
func parseRateLimit(h http.Header, now time.Time) (RateLimit, bool) {
	limit, err1 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	remaining, err2 := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	if err1 != nil || err2 != nil {
		return RateLimit{}, false
	}
	rl := RateLimit{Limit: limit, Remaining: remaining, Observed: now}
	if reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil && reset > 0 {
		rl.Reset = time.Unix(reset, 0)
	}
	return rl, true
}

// parseRetryAfter reads Retry-After in seconds or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if !(secs >= 0 && secs <= 1e9) { // NaN too, which would be a negative wait
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}
