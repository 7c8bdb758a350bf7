package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

// flaky answers the first failures requests with status (and header), then 200.
type flaky struct {
	mu       sync.Mutex
	failures int
	status   int
	header   http.Header
	code     string
	keys     []string
	bodies   []string
	seen     chan struct{}
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
	f.bodies = append(f.bodies, string(body))
	n := len(f.keys)
	f.mu.Unlock()
	if f.seen != nil {
		f.seen <- struct{}{}
	}
	w.Header().Set("X-Request-Id", "req_"+strconv.Itoa(n))
	w.Header().Set("X-RateLimit-Limit", "100")
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(100-n))
	if n <= f.failures {
		for k, vs := range f.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(f.status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"type": "t", "code": f.code, "message": "nope"}})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"id": "card_1", "attempt": n})
}

func (f *flaky) attempts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.keys)
}

func decodeTestError(status int, _ http.Header, body []byte) *api.Error {
	var b struct {
		Error struct{ Type, Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(body, &b)
	return &api.Error{Type: b.Error.Type, Code: b.Error.Code, Message: b.Error.Message}
}

func newTransport(t *testing.T, url string, tweak func(*api.TransportConfig)) *api.Transport {
	t.Helper()
	cfg := api.TransportConfig{
		Provider:    "testpay",
		BaseURL:     url + "/v1",
		Key:         "sk_test_x",
		DecodeError: decodeTestError,
		Tuning: api.Tuning{
			BaseBackoff:  time.Millisecond,
			MaxBackoff:   4 * time.Millisecond,
			MaxAttempts:  4,
			MaxRetryWait: time.Second,
			Jitter:       func() float64 { return 0.5 },
		},
	}
	if tweak != nil {
		tweak(&cfg)
	}
	tr, err := api.NewTransport(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTransportRetries(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		code         string
		header       http.Header
		failures     int
		wantAttempts int
		wantErr      error
	}{
		{"503 then ok", 503, "", nil, 2, 3, nil},
		{"500 until the cap", 500, "", nil, 10, 4, api.ErrServer},
		{"429 with Retry-After", 429, "rate_limited", http.Header{"Retry-After": {"0"}}, 3, 4, nil},
		{"429 storm stops at the cap", 429, "rate_limited", http.Header{"Retry-After": {"0"}}, 10, 4, api.ErrRateLimited},
		{"429 asking longer than the cap is returned at once", 429, "rate_limited", http.Header{"Retry-After": {"3600"}}, 10, 1, api.ErrRateLimited},
		{"408 retried", 408, "", nil, 1, 2, nil},
		{"409 lock conflict retried", 409, "lock_timeout", nil, 1, 2, nil},
		{"409 state conflict not retried", 409, "invalid_card_state", nil, 1, 1, api.ErrConflict},
		{"404 not retried", 404, "resource_missing", nil, 1, 1, api.ErrNotFound},
		{"400 not retried", 400, "parameter_invalid", nil, 1, 1, api.ErrInvalid},
		{"401 not retried", 401, "api_key_invalid", nil, 1, 1, api.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &flaky{failures: tt.failures, status: tt.status, code: tt.code, header: tt.header}
			ts := httptest.NewServer(f)
			t.Cleanup(ts.Close)
			tr := newTransport(t, ts.URL, nil)
			var out struct{ ID string }
			resp, err := tr.Do(context.Background(), api.Request{Method: "POST", Path: "/cards/card_1/freeze", Body: map[string]string{"a": "b"}}, &out)
			if got := f.attempts(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			if tt.wantErr == nil {
				if err != nil || out.ID != "card_1" {
					t.Fatalf("Do = %v, out %+v; want success", err, out)
				}
				if resp.Attempts != tt.wantAttempts {
					t.Errorf("resp.Attempts = %d", resp.Attempts)
				}
			} else {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Do error = %v, want %v", err, tt.wantErr)
				}
				e, ok := api.AsError(err)
				if !ok || e.Status != tt.status || e.Provider != "testpay" || e.RequestID == "" {
					t.Fatalf("error = %#v, want *api.Error with status %d and a request id", err, tt.status)
				}
			}
			// One logical write, one key, on every attempt; the same body too.
			for i, k := range f.keys {
				if k == "" || k != f.keys[0] || f.bodies[i] != f.bodies[0] {
					t.Fatalf("attempt %d sent key %q body %q; first sent %q %q", i+1, k, f.bodies[i], f.keys[0], f.bodies[0])
				}
			}
		})
	}
}

func TestTransportKeepsGivenIdempotencyKeyAndSendsNoneOnReads(t *testing.T) {
	f := &flaky{}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	tr := newTransport(t, ts.URL, nil)
	if _, err := tr.Do(context.Background(), api.Request{Method: "POST", Path: "/x", IdempotencyKey: "mine"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Do(context.Background(), api.Request{Method: "GET", Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	if f.keys[0] != "mine" || f.keys[1] != "" {
		t.Fatalf("keys = %q, want [mine, \"\"]", f.keys)
	}
}

func TestTransportCancelStopsRetriesAtOnce(t *testing.T) {
	// The provider asks for a long wait that is within the cap; cancelling the
	// context must end the wait rather than sit it out.
	f := &flaky{failures: 100, status: 503, header: http.Header{"Retry-After": {"600"}}, seen: make(chan struct{}, 10)}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	tr := newTransport(t, ts.URL, func(c *api.TransportConfig) { c.MaxRetryWait = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := tr.Do(ctx, api.Request{Method: "GET", Path: "/cards"}, nil)
		done <- err
	}()
	<-f.seen
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Do after cancel = %v, want context.Canceled", err)
	}
	if got := f.attempts(); got != 1 {
		t.Errorf("attempts = %d, want 1", got)
	}
}

func TestTransportDeadlineShorterThanWaitReturnsNow(t *testing.T) {
	f := &flaky{failures: 100, status: 429, header: http.Header{"Retry-After": {"30"}}}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	tr := newTransport(t, ts.URL, func(c *api.TransportConfig) { c.MaxRetryWait = time.Hour })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := tr.Do(ctx, api.Request{Method: "GET", Path: "/cards"}, nil)
	if !errors.Is(err, api.ErrRateLimited) || f.attempts() != 1 {
		t.Fatalf("Do = %v after %d attempts; want the 429 after 1", err, f.attempts())
	}
	if e, _ := api.AsError(err); e.RetryAfter != 30*time.Second {
		t.Errorf("RetryAfter = %v, want 30s", e.RetryAfter)
	}
}

func TestTransportNetworkErrorsRetried(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n <= 2 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // reset mid-request
			}
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(ts.Close)
	tr := newTransport(t, ts.URL, nil)
	var out struct{ OK bool }
	if _, err := tr.Do(context.Background(), api.Request{Method: "GET", Path: "/ping"}, &out); err != nil || !out.OK {
		t.Fatalf("Do = %v, %+v", err, out)
	}
	if calls != 3 {
		t.Errorf("calls = %d, want 3", calls)
	}
}

func TestTransportRecordsRateLimitAndSendsAuth(t *testing.T) {
	var gotAuth, gotVersion string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotVersion = r.Header.Get("Authorization"), r.Header.Get("Test-Version")
		w.Header().Set("X-RateLimit-Limit", "1000")
		w.Header().Set("X-RateLimit-Remaining", "250")
		w.Header().Set("X-RateLimit-Reset", "1701432000")
		_, _ = io.WriteString(w, `{}`)
	}))
	t.Cleanup(ts.Close)
	tr := newTransport(t, ts.URL, func(c *api.TransportConfig) { c.Header = http.Header{"Test-Version": {"2026-01-01"}} })
	if tr.RateLimit().Known() {
		t.Fatal("rate limit known before any response")
	}
	if _, err := tr.Do(context.Background(), api.Request{Method: "GET", Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	rl := tr.RateLimit()
	if rl.Limit != 1000 || rl.Remaining != 250 || rl.Reset.Unix() != 1701432000 || rl.Headroom() != 0.25 {
		t.Errorf("rate limit = %+v headroom %v", rl, rl.Headroom())
	}
	if gotAuth != "Bearer sk_test_x" || gotVersion != "2026-01-01" {
		t.Errorf("auth %q version %q", gotAuth, gotVersion)
	}
}

func TestTransportDecodeErrorsSayWhatWentWrong(t *testing.T) {
	tests := []struct {
		body, want string
	}{
		{`{"id": "card_1"`, "truncated JSON"},
		{`{"id": 12}`, `field "id"`},
		{`<html>`, "malformed JSON"},
	}
	for _, tt := range tests {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, tt.body) }))
		tr := newTransport(t, ts.URL, nil)
		var out struct {
			ID string `json:"id"`
		}
		_, err := tr.Do(context.Background(), api.Request{Method: "GET", Path: "/cards/card_1"}, &out)
		ts.Close()
		if err == nil || !contains(err.Error(), tt.want) {
			t.Errorf("body %q: error %v, want it to mention %q", tt.body, err, tt.want)
		}
	}
}

func TestNewTransportRefusesBadConfig(t *testing.T) {
	for _, cfg := range []api.TransportConfig{
		{Provider: "p", BaseURL: "https://x", DecodeError: decodeTestError},         // no key
		{Provider: "p", BaseURL: "ftp://x", Key: "k", DecodeError: decodeTestError}, // scheme
		{Provider: "p", BaseURL: "://", Key: "k", DecodeError: decodeTestError},     // unparsable
		{Provider: "p", BaseURL: "https://x", Key: "k"},                             // no decoder
	} {
		if _, err := api.NewTransport(cfg); err == nil {
			t.Errorf("NewTransport(%+v) accepted", cfg)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestCallInfoRecordsTheLastRequestID(t *testing.T) {
	f := &flaky{failures: 1, status: 503}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	tr := newTransport(t, ts.URL, nil)
	ctx, info := api.WithCallInfo(context.Background())
	if _, err := tr.Do(ctx, api.Request{Method: "POST", Path: "/cards/card_1/freeze"}, nil); err != nil {
		t.Fatal(err)
	}
	if info.RequestID() != "req_2" || info.Attempts() != 2 {
		t.Errorf("call info = %q after %d attempts, want req_2 after 2", info.RequestID(), info.Attempts())
	}
	// A context without one records nothing and costs nothing.
	if _, err := tr.Do(context.Background(), api.Request{Method: "GET", Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
}

// A sensitive answer (a card's secrets) comes on a connection of its own,
// closed once it is read: neither one kept alive from an earlier request
// nor kept alive for the next (see ownConnection).
func TestTransportClosesTheConnectionOfASensitiveAnswer(t *testing.T) {
	type connKey struct{}
	var mu sync.Mutex
	connOf := map[string]net.Conn{} // path → the connection it came on
	askedClose := map[string]bool{}
	closed := map[net.Conn]chan struct{}{}
	closedChan := func(c net.Conn) chan struct{} {
		if closed[c] == nil {
			closed[c] = make(chan struct{})
		}
		return closed[c]
	}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		connOf[r.URL.Path] = r.Context().Value(connKey{}).(net.Conn)
		askedClose[r.URL.Path] = r.Close
		mu.Unlock()
		_, _ = io.WriteString(w, `{"id":"card_1"}`)
	}))
	ts.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, c)
	}
	ts.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			mu.Lock()
			close(closedChan(c))
			mu.Unlock()
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	tr := newTransport(t, ts.URL, nil)
	ctx := context.Background()
	for _, req := range []api.Request{
		{Method: "GET", Path: "/before"},
		{Method: "POST", Path: "/secret", Sensitive: true},
		{Method: "GET", Path: "/after"},
	} {
		if _, err := tr.Do(ctx, req, nil); err != nil {
			t.Fatalf("%s: %v", req.Path, err)
		}
	}
	mu.Lock()
	before, secret, after := connOf["/v1/before"], connOf["/v1/secret"], connOf["/v1/after"]
	asked, askedBefore := askedClose["/v1/secret"], askedClose["/v1/before"]
	gone := closedChan(secret)
	mu.Unlock()
	if !asked || askedBefore {
		t.Errorf("Connection: close asked for the sensitive request %v, for a read %v; want only the first", asked, askedBefore)
	}
	if secret == before || secret == after {
		t.Errorf("the sensitive request shared a connection: with the one before %v, after %v", secret == before, secret == after)
	}
	select {
	case <-gone:
	case <-time.After(10 * time.Second):
		t.Error("the connection that carried the sensitive answer was not closed")
	}
}
