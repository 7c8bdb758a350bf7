package vaultspay_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// fake is a recording HTTP server standing in for VaultsPay where a test
// needs exact control of the answers (the sandbox tests cover behaviour).
type fake struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []recorded
	answer func(r *http.Request) (int, string)
}

type recorded struct {
	Method, Path string
	Query        map[string][]string
	Header       http.Header
	Body         string
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{answer: func(*http.Request) (int, string) { return 500, `{}` }}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: string(body)})
		answer := f.answer
		f.mu.Unlock()
		status, resp := answer(r)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_fake")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, resp)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) client(t *testing.T) *vaultspay.Client {
	t.Helper()
	c, err := vaultspay.New(vaultspay.Config{BaseURL: f.srv.URL + "/v1", Key: "vp_test_abc", Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fake) serve(fn func(r *http.Request) (int, string)) {
	f.mu.Lock()
	f.answer = fn
	f.mu.Unlock()
}

func (f *fake) take() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.reqs
	f.reqs = nil
	return out
}

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// sameJSON compares two JSON texts by value.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
