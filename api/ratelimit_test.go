package api

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"3", 3 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second, true},
		{now.Add(-10 * time.Second).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"-1", 0, false},
		{"soon", 0, false},
		{"1e300", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(http.Header{"Retry-After": {tt.value}}, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Retry-After %q = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAskedWaitHonoursRateLimitReset(t *testing.T) {
	tr := &Transport{}
	reset := time.Now().Add(90 * time.Second).Unix()
	h := http.Header{
		"X-Ratelimit-Limit":     {"100"},
		"X-Ratelimit-Remaining": {"0"},
		"X-Ratelimit-Reset":     {strconv.FormatInt(reset, 10)},
	}
	d, ok := tr.askedWait(h)
	if !ok || d < 80*time.Second || d > 91*time.Second {
		t.Fatalf("askedWait = %v, %v; want about 90s", d, ok)
	}
	h.Set("Retry-After", "2")
	if d, _ := tr.askedWait(h); d != 2*time.Second {
		t.Errorf("Retry-After should win over the reset: got %v", d)
	}
	h.Del("Retry-After")
	h.Set("X-RateLimit-Remaining", "5")
	if _, ok := tr.askedWait(h); ok {
		t.Errorf("a window with requests left asks for no wait")
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	tr := &Transport{cfg: TransportConfig{Tuning: Tuning{BaseBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, Jitter: func() float64 { return 0.999 }}}}
	prev := time.Duration(0)
	for attempt := 1; attempt <= 40; attempt++ {
		d := tr.backoff(attempt)
		if d < prev && prev < time.Second/2 {
			t.Errorf("backoff shrank at attempt %d: %v after %v", attempt, d, prev)
		}
		if d > time.Second {
			t.Errorf("backoff %v above the cap at attempt %d", d, attempt)
		}
		prev = d
	}
	low := &Transport{cfg: TransportConfig{Tuning: Tuning{BaseBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, Jitter: func() float64 { return 0 }}}}
	if d := low.backoff(1); d != 50*time.Millisecond {
		t.Errorf("backoff(1) with no jitter = %v, want half the base", d)
	}
}

func TestParseRateLimitRefusesGarbage(t *testing.T) {
	if _, ok := parseRateLimit(http.Header{"X-Ratelimit-Limit": {"lots"}, "X-Ratelimit-Remaining": {"1"}}, time.Now()); ok {
		t.Error("accepted a non-numeric limit")
	}
	if _, ok := parseRateLimit(http.Header{}, time.Now()); ok {
		t.Error("accepted absent headers")
	}
}
