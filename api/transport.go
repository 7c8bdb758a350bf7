package api

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Transport defaults; TransportConfig overrides each.
const (
	DefaultAttemptTimeout = 10 * time.Second
	DefaultMaxAttempts    = 4
	DefaultBaseBackoff    = 250 * time.Millisecond
	DefaultMaxBackoff     = 4 * time.Second
	DefaultMaxRetryWait   = 20 * time.Second
	maxResponseBytes      = 8 << 20
)

// ErrorDecoder turns a failed response into the provider's *Error. It must
// not fail: a body it cannot read still becomes an *Error with the status.
type ErrorDecoder func(status int, header http.Header, body []byte) *Error

// TransportConfig configures a Transport. Provider, BaseURL, Key and
// DecodeError are required.
type TransportConfig struct {
	Provider    string
	BaseURL     string
	Key         string
	DecodeError ErrorDecoder
	// Header is sent with every request (a pinned API version, say).
	Header     http.Header
	HTTPClient *http.Client
	UserAgent  string

	Tuning
}

// Tuning sets how a client times out and retries; zero fields take the
// defaults above. Dialect configurations embed it.
type Tuning struct {
	AttemptTimeout time.Duration
	MaxAttempts    int
	BaseBackoff    time.Duration
	MaxBackoff     time.Duration
	// MaxRetryWait caps how long a Retry-After or X-RateLimit-Reset may make
	// us wait; a provider that asks for longer gets its error back at once.
	MaxRetryWait time.Duration
	// Jitter returns a number in [0, 1); nil uses math/rand.
	Jitter func() float64
	// Budget shapes the key's rate-limit budget, which every request of
	// the client waits on.
	Budget BudgetConfig
}

// Transport sends JSON requests to one provider with its key, retrying what
// is safe to retry and recording the rate-limit state.
type Transport struct {
	cfg    TransportConfig
	base   *url.URL
	budget *Budget
}

// NewTransport checks the configuration and returns a Transport.
func NewTransport(cfg TransportConfig) (*Transport, error) {
	if cfg.Provider == "" || cfg.DecodeError == nil {
		return nil, errors.New("transport: provider and error decoder are required")
	}
	if cfg.Key == "" {
		return nil, fmt.Errorf("%s: no API key configured", cfg.Provider)
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("%s: base URL %q is not an http(s) URL", cfg.Provider, cfg.BaseURL)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.AttemptTimeout <= 0 {
		cfg.AttemptTimeout = DefaultAttemptTimeout
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = DefaultBaseBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.Jitter == nil {
		cfg.Jitter = rand.Float64
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "carddesk"
	}
	budget, err := NewBudget(cfg.Budget)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Provider, err)
	}
	return &Transport{cfg: cfg, base: base, budget: budget}, nil
}

// Provider is the provider this transport talks to.
func (t *Transport) Provider() string { return t.cfg.Provider }

// RateLimit is the rate-limit state the provider last reported, with the
// key's budget.
func (t *Transport) RateLimit() RateLimit {
	rl := t.budget.Said()
	rl.Budget = t.budget.State()
	return rl
}

// Request is one logical call. A write gets one Idempotency-Key, generated
// when not given, and keeps it on every retry.
type Request struct {
	Method         string
	Path           string // below the base URL, starting with "/"
	Query          url.Values
	Body           any // marshalled as JSON once; nil sends no body
	IdempotencyKey string
	// Sensitive responses (card secrets) have their raw bytes wiped once
	// decoded, and come on a connection of their own (ownConnection).
	Sensitive bool
}

// Response describes the final attempt of a call.
type Response struct {
	Status    int
	Header    http.Header
	RequestID string
	Attempts  int
	// Elapsed is the round trip of the final attempt.
	Elapsed        time.Duration
	IdempotencyKey string
}

// NewIdempotencyKey returns a random key with 128 bits of entropy.
func NewIdempotencyKey() string {
	var b [16]byte
	_, _ = crand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead
}

// Do sends the request, retrying network errors, 408, 409 lock conflicts,
// 429 and 5xx with exponential backoff and jitter, honouring Retry-After and
// X-RateLimit-Reset up to MaxRetryWait, and decodes a 2xx JSON body into out
// (when out is not nil). Failures are *Error when the provider answered.
func (t *Transport) Do(ctx context.Context, req Request, out any) (*Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = json.Marshal(req.Body); err != nil {
			return nil, fmt.Errorf("%s %s: encode body: %w", req.Method, req.Path, err)
		}
	}
	if isWrite(req.Method) && req.IdempotencyKey == "" {
		req.IdempotencyKey = NewIdempotencyKey()
	}
	target := t.url(req)
	lane := LaneOf(ctx)
	for attempt := 1; ; attempt++ {
		if err := t.budget.wait(ctx, lane); err != nil {
			return nil, fmt.Errorf("%s %s: %w", req.Method, req.Path, err)
		}
		resp, raw, err := t.attempt(ctx, req, target, body)
		if err == nil {
			t.budget.done(lane, resp.Status, resp.Header, resp.Elapsed)
			noteAnswer(ctx, resp.RequestID)
		} else {
			t.budget.done(lane, 0, nil, 0)
		}
		if err == nil && resp.Status < 300 {
			resp.Attempts = attempt
			return resp, t.decode(req, resp, raw, out)
		}
		var wait time.Duration
		var retry bool
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s %s: %w", req.Method, req.Path, ctx.Err())
			}
			err = t.noAnswer(attempt, fmt.Errorf("%s %s: %w", req.Method, req.Path, err))
			retry, wait = true, t.backoff(attempt)
		} else {
			apiErr := t.cfg.DecodeError(resp.Status, resp.Header, raw)
			apiErr.Provider = t.cfg.Provider
			apiErr.Status = resp.Status
			apiErr.Attempts = attempt
			if apiErr.RequestID == "" {
				apiErr.RequestID = resp.RequestID
			}
			asked, said := t.askedWait(resp.Header)
			if said {
				apiErr.RetryAfter = asked
			}
			err = apiErr
			// The background lane asks again on its own schedule: a 429
			// retried there would only queue ahead of the budget's pause.
			retry = retryable(apiErr) && !(lane == LaneBackground && apiErr.Status == http.StatusTooManyRequests)
			wait = t.backoff(attempt)
			if said && retry {
				if asked > t.cfg.MaxRetryWait {
					return resp, err
				}
				wait = asked
			}
		}
		if !retry || attempt >= t.cfg.MaxAttempts {
			if resp != nil {
				resp.Attempts = attempt
			}
			return resp, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return resp, err
		}
		if serr := sleep(ctx, wait); serr != nil {
			return resp, fmt.Errorf("%s %s: %w (after %v)", req.Method, req.Path, serr, err)
		}
	}
}

func (t *Transport) url(req Request) string {
	u := *t.base
	u.Path = t.base.Path + req.Path
	u.RawQuery = req.Query.Encode()
	return u.String()
}

// attempt sends one HTTP request under the per-attempt timeout and reads the
// whole body. A nil error means the provider answered (with any status).
func (t *Transport) attempt(ctx context.Context, req Request, target string, body []byte) (*Response, []byte, error) {
	actx, cancel := context.WithTimeout(ctx, t.cfg.AttemptTimeout)
	defer cancel()
	actx, replayStopped := oneRequestPerAttempt(actx)
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(actx, req.Method, target, rdr)
	if err != nil {
		return nil, nil, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range t.cfg.Header {
		hreq.Header[k] = vs
	}
	hreq.Header.Set("Authorization", "Bearer "+t.cfg.Key)
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", t.cfg.UserAgent)
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if req.IdempotencyKey != "" {
		hreq.Header.Set("Idempotency-Key", req.IdempotencyKey)
	}
	client := t.cfg.HTTPClient
	if req.Sensitive {
		hreq.Close = true
		var done func()
		client, done = ownConnection(client)
		defer done()
	}
	start := time.Now()
	hresp, err := client.Do(hreq)
	if err != nil {
		if replayStopped() {
			return nil, nil, errReplayStopped
		}
		return nil, nil, err
	}
	defer hresp.Body.Close()
	raw, err := readBody(hresp, req.Sensitive)
	if err != nil {
		return nil, nil, fmt.Errorf("read response: %w", err)
	}
	if len(raw) > maxResponseBytes {
		return nil, nil, fmt.Errorf("read response: larger than %d bytes", maxResponseBytes)
	}
	now := time.Now()
	return &Response{
		Status:         hresp.StatusCode,
		Header:         hresp.Header,
		RequestID:      requestID(hresp.Header),
		Elapsed:        now.Sub(start),
		IdempotencyKey: req.IdempotencyKey,
	}, raw, nil
}

// readBody reads a response's body, at most maxResponseBytes+1 of it. A
// sensitive body of known length is read into one buffer of that size, so
// that no outgrown copy of it is left behind for the garbage collector.
func readBody(hresp *http.Response, sensitive bool) ([]byte, error) {
	if n := hresp.ContentLength; sensitive && n > 0 && n <= maxResponseBytes {
		raw := make([]byte, n)
		if _, err := io.ReadFull(hresp.Body, raw); err != nil {
			clear(raw)
			return nil, err
		}
		return raw, nil
	}
	return io.ReadAll(io.LimitReader(hresp.Body, maxResponseBytes+1))
}

func (t *Transport) decode(req Request, resp *Response, raw []byte, out any) error {
	if req.Sensitive {
		defer clear(raw)
	}
	if out == nil || len(raw) == 0 && resp.Status == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		// Never quote a sensitive body, even in part.
		return fmt.Errorf("%s %s: decode %s response: %w", req.Method, req.Path, t.cfg.Provider, &UnreadableError{DescribeJSON(err, len(raw))})
	}
	return nil
}

// askedWait is how long the provider asked us to wait: Retry-After, or,
// when the window is spent, until X-RateLimit-Reset.
func (t *Transport) askedWait(h http.Header) (time.Duration, bool) {
	now := time.Now()
	if d, ok := parseRetryAfter(h, now); ok {
		return d, true
	}
	if rl, ok := parseRateLimit(h, now); ok && rl.Remaining <= 0 && !rl.Reset.IsZero() {
		return max(rl.Reset.Sub(now), 0), true
	}
	return 0, false
}

// backoff is the exponential delay before retry number attempt, with full
// jitter over its upper half so that clients do not retry in step.
func (t *Transport) backoff(attempt int) time.Duration {
	d := t.cfg.BaseBackoff << min(attempt-1, 20)
	if d <= 0 || d > t.cfg.MaxBackoff {
		d = t.cfg.MaxBackoff
	}
	return d/2 + time.Duration(t.cfg.Jitter()*float64(d/2))
}

// retryable says whether a provider error may succeed on a later attempt.
// A 409 is retried only when it reports a lock or a concurrent request with
// the same idempotency key, never for a card in the wrong state.
func retryable(e *Error) bool {
	switch {
	case e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooManyRequests, e.Status >= 500:
		return true
	case e.Status == http.StatusConflict:
		return e.Code == "lock_timeout" || e.Code == "idempotency_key_in_use"
	}
	return false
}

func requestID(h http.Header) string {
	if id := h.Get("X-Request-Id"); id != "" {
		return id
	}
	return h.Get("Request-Id")
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
