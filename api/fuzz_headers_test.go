package api

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// FuzzRateLimitHeaders: whatever rate-limit and Retry-After headers a
// provider sends, reading them never panics, never asks for a negative
// wait, and a limit is only reported when both its numbers parse.
func FuzzRateLimitHeaders(f *testing.F) {
	f.Add("100", "99", "1773480600", "2")
	f.Add("", "", "", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("x", "1", "-5", "-1")
	f.Add("9223372036854775807", "-9223372036854775808", "9223372036854775807", "1e308")
	f.Add(" 10 ", "0", "0", "NaN")
	f.Add("4929580173160424", "\x1b[2J", "\u202e1", "Inf")
	f.Add("1", "0", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT")
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, limit, remaining, reset, retryAfter string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		h.Set("Retry-After", retryAfter)
		if d, ok := parseRetryAfter(h, now); ok && d < 0 {
			t.Fatalf("Retry-After %q asks for %v", retryAfter, d)
		} else if !ok && d != 0 {
			t.Fatalf("Retry-After %q refused with %v", retryAfter, d)
		}
		rl, ok := parseRateLimit(h, now)
		if !ok {
			if rl != (RateLimit{}) {
				t.Fatalf("refused headers gave %+v", rl)
			}
			return
		}
		if !rl.Known() || !rl.Observed.Equal(now) {
			t.Fatalf("a read limit is not known: %+v", rl)
		}
		if hr := rl.Headroom(); hr < 0 || hr != hr {
			t.Fatalf("headroom %v for %+v", hr, rl)
		}
	})
}

// FuzzSecret: a revealed number or CVC decodes only from a JSON string of
// digits, to exactly those digits, and never prints them.
func FuzzSecret(f *testing.F) {
	for _, s := range []string{`"4111111111111111"`, `"123"`, `""`, `4111111111111111`, `"41\u0031"`, `"4111 1111"`,
		`"\u001b]52;c;eA==\u0007"`, `null`, `"` + string(make([]byte, 300)) + `"`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Secret
		if err := s.UnmarshalJSON(b); err != nil {
			return
		}
		inner := b[1 : len(b)-1]
		if string(s) != string(inner) {
			t.Fatalf("decoded %q from %q", s, b)
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				t.Fatalf("accepted %q", b)
			}
		}
		if !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
		if s.String() != "redacted" {
			t.Fatal("a secret prints itself")
		}
	})
}
