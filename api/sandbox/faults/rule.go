package faults

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Kind is what a fault does to a request.
type Kind string

// The faults.
const (
	// Latency delays the request, then lets it through (or on to another
	// fault: latency adds to whatever else applies).
	Latency Kind = "latency"
	// Timeout holds the request until the client gives up; a client still
	// waiting when the hold ends gets 504 in the provider's error shape.
	Timeout Kind = "timeout"
	// RateLimit answers 429 with Retry-After and X-RateLimit-Limit,
	// -Remaining (0) and -Reset, as both providers do.
	RateLimit Kind = "429"
	// ServerError answers 500, 502 or 503 in the provider's error shape.
	ServerError Kind = "5xx"
	// Reset closes the connection with SO_LINGER 0, so that the client
	// reads ECONNRESET instead of an answer.
	Reset Kind = "reset"
	// Truncate lets the request through and cuts the answer's body in the
	// middle of its JSON, keeping the status.
	Truncate Kind = "truncate"
)

// Defaults for a Rule's Delay.
const (
	// DefaultHold is how long Timeout holds a request: past the clients'
	// default 10 s per attempt.
	DefaultHold = 30 * time.Second
	// DefaultRetryAfter is what RateLimit asks for.
	DefaultRetryAfter = time.Second
)

// Rule is one fault and the requests it applies to. The zero values of the
// limits match everything.
type Rule struct {
	Kind Kind
	// Provider limits the rule to "vaultspay" or "vydapay" requests.
	Provider string
	// Method limits the rule to one HTTP method ("POST").
	Method string
	// Path is a path.Match pattern, matched against the path below the
	// provider's API root ("/cards/*/freeze") and against the whole path.
	Path string
	// First limits the rule to the first First matching requests.
	First int
	// Rate is the share of matching requests (of the first First, when
	// set) that get the fault, drawn from the seeded schedule; 0 means all.
	Rate float64
	// Delay is the added delay for Latency (required), the hold for Timeout
	// (0: DefaultHold) and the Retry-After for RateLimit (0:
	// DefaultRetryAfter).
	Delay time.Duration
	// Status pins ServerError to 500, 502 or 503; 0 draws one of them for
	// each request.
	Status int
	// After lets the sandbox act on the request before a Reset, ServerError
	// or Timeout: the change is made and its answer lost.
	After bool
}

// serverStatuses are what ServerError answers.
func serverStatuses() []int {
	return []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}
}

// methods are the methods a rule may name.
func methods() []string {
	return []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete, http.MethodHead}
}

// kinds lists the kinds as a spec writes them.
const kindsText = "latency, timeout, 429, 5xx, 500, 502, 503, reset or truncate"

// Validate checks that the rule means something.
func (r Rule) Validate() error {
	switch r.Kind {
	case Latency, Timeout, RateLimit, ServerError, Reset, Truncate:
	default:
		return fmt.Errorf("unknown fault %q: want %s", r.Kind, kindsText)
	}
	switch r.Provider {
	case "", vaultspay.Provider, vydapay.Provider:
	default:
		return fmt.Errorf("provider %q: want %s or %s", r.Provider, vaultspay.Provider, vydapay.Provider)
	}
	if r.Method != "" && !slices.Contains(methods(), r.Method) {
		return fmt.Errorf("method %q: want one of %s", r.Method, strings.Join(methods(), ", "))
	}
	if err := checkPattern(r.Path); err != nil {
		return err
	}
	if r.First < 0 {
		return fmt.Errorf("count %d: must not be negative", r.First)
	}
	if math.IsNaN(r.Rate) || r.Rate < 0 || r.Rate > 1 {
		return fmt.Errorf("rate %v: want a share between 0 and 1", r.Rate)
	}
	if r.Delay < 0 {
		return fmt.Errorf("duration %v: must not be negative", r.Delay)
	}
	if r.Kind == Latency && r.Delay == 0 {
		return errors.New("latency needs a duration, such as 300ms")
	}
	if r.Delay > 0 && r.Kind != Latency && r.Kind != Timeout && r.Kind != RateLimit {
		return fmt.Errorf("a duration means nothing to %s (it is the delay of latency, the hold of timeout, the Retry-After of 429)", r.Kind)
	}
	if r.Status != 0 && (r.Kind != ServerError || !slices.Contains(serverStatuses(), r.Status)) {
		return fmt.Errorf("status %d: only 5xx takes one, and it must be 500, 502 or 503", r.Status)
	}
	if r.After && r.Kind != Reset && r.Kind != ServerError && r.Kind != Timeout {
		return fmt.Errorf("after applies to reset, 5xx and timeout, not %s", r.Kind)
	}
	return nil
}

// checkPattern accepts "" or a path.Match pattern starting with "/" that
// the text form can carry.
func checkPattern(p string) error {
	if p == "" {
		return nil
	}
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("path %q: must start with /", p)
	}
	if strings.ContainsAny(p, ",: \t\r\n") {
		return fmt.Errorf("path %q: must not contain commas, colons or white space", p)
	}
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("path %q: %w", p, err)
	}
	return nil
}

// matches says whether the rule applies to a request: its provider, its
// method, and its path below the API root (sub) or whole (full).
func (r Rule) matches(provider, method, sub, full string) bool {
	if r.Provider != "" && r.Provider != provider {
		return false
	}
	if r.Method != "" && r.Method != method {
		return false
	}
	if r.Path == "" {
		return true
	}
	ok1, _ := path.Match(r.Path, sub)
	ok2, _ := path.Match(r.Path, full)
	return ok1 || ok2
}

// hold is how long a Timeout rule holds a request.
func (r Rule) hold() time.Duration {
	if r.Delay > 0 {
		return r.Delay
	}
	return DefaultHold
}

// retryAfter is what a RateLimit rule asks for.
func (r Rule) retryAfter() time.Duration {
	if r.Delay > 0 {
		return r.Delay
	}
	return DefaultRetryAfter
}
