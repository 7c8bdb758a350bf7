package sandbox

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 70, RateLimit: 3})
	vpc, vyc := clients(t, s)
	for _, c := range []struct {
		name string
		cl   client
		vp   bool
	}{{"vaultspay", vpc, true}, {"vydapay", vyc, false}} {
		t.Run(c.name, func(t *testing.T) {
			for i := range 3 {
				r := c.cl.do("GET", "/cards?limit=1", nil)
				if r.status != 200 {
					t.Fatalf("request %d: %d", i, r.status)
				}
				if got := r.header.Get("X-RateLimit-Remaining"); got != strconv.Itoa(2-i) || r.header.Get("X-RateLimit-Limit") != "3" {
					t.Errorf("request %d: remaining %q limit %q", i, got, r.header.Get("X-RateLimit-Limit"))
				}
				reset, err := strconv.ParseInt(r.header.Get("X-RateLimit-Reset"), 10, 64)
				if err != nil || reset < time.Now().Unix() || reset > time.Now().Add(61*time.Second).Unix() {
					t.Errorf("reset %q", r.header.Get("X-RateLimit-Reset"))
				}
			}
			r := c.cl.do("GET", "/cards?limit=1", nil)
			if r.status != http.StatusTooManyRequests {
				t.Fatalf("over the limit: %d", r.status)
			}
			wait, err := strconv.Atoi(r.header.Get("Retry-After"))
			if err != nil || wait < 1 || wait > 60 || r.header.Get("X-RateLimit-Remaining") != "0" {
				t.Errorf("Retry-After %q remaining %q", r.header.Get("Retry-After"), r.header.Get("X-RateLimit-Remaining"))
			}
			var typ, code string
			if c.vp {
				e := r.vpErr(t)
				typ, code = e.Type, e.Code
			} else {
				e := r.vyErr(t)
				typ, code = e.Type, e.Code
			}
			if typ != typeRate || code != codeRateLimited {
				t.Errorf("%s %s", typ, code)
			}
			// Unauthenticated requests are not counted and carry no headers.
			if r := c.cl.with("").do("GET", "/cards", nil); r.status != 401 || r.header.Get("X-RateLimit-Limit") != "" {
				t.Errorf("401: %d %v", r.status, r.header)
			}
		})
	}
	// The read-only key has its own window.
	if r := vpc.with(s.Config().VaultsPayReadOnlyKey).do("GET", "/ping", nil); r.status != 200 {
		t.Errorf("read-only key: %d", r.status)
	}
}

func TestRateWindowResets(t *testing.T) {
	t.Parallel()
	l := newRateLimiter(2)
	t0 := time.Date(2026, 4, 24, 12, 0, 0, 500, time.UTC)
	for i, tc := range []struct {
		at      time.Duration
		allowed bool
		remain  int
	}{{0, true, 1}, {time.Second, true, 0}, {59 * time.Second, false, 0}, {60 * time.Second, true, 1}} {
		st := l.take("k", t0.Add(tc.at))
		if st.allowed != tc.allowed || st.remaining != tc.remain {
			t.Errorf("step %d: %+v", i, st)
		}
	}
	h := http.Header{}
	st := l.take("k", t0.Add(60*time.Second))
	st.headers(h, t0.Add(60*time.Second))
	if h.Get("X-RateLimit-Reset") != strconv.FormatInt(t0.Add(120*time.Second).Unix()+1, 10) {
		t.Errorf("reset %s", h.Get("X-RateLimit-Reset"))
	}
	if st := newRateLimiter(-1).take("k", t0); !st.allowed || st.limited {
		t.Error("unlimited limiter refused")
	}
}

// By default both APIs allow Vydapay's test-mode limit, 100 requests a
// minute per key, so that a dashboard tried against the sandbox lives
// under a real desk's constraint.
func TestRateLimitDefault(t *testing.T) {
	t.Parallel()
	s, err := New(Config{Seed: 71}) // not newTestServer, which lifts the limit
	if err != nil {
		t.Fatal(err)
	}
	vpc, vyc := clients(t, s)
	for name, cl := range map[string]client{"vaultspay": vpc, "vydapay": vyc} {
		for i := range 100 {
			r := cl.do("GET", "/cards?limit=1", nil)
			if r.status != http.StatusOK || r.header.Get("X-RateLimit-Limit") != "100" || r.header.Get("X-RateLimit-Remaining") != strconv.Itoa(99-i) {
				t.Fatalf("%s request %d: %d, limit %q, remaining %q", name, i+1, r.status, r.header.Get("X-RateLimit-Limit"), r.header.Get("X-RateLimit-Remaining"))
			}
		}
		if r := cl.do("GET", "/cards?limit=1", nil); r.status != http.StatusTooManyRequests {
			t.Errorf("%s request 101: %d, want 429", name, r.status)
		}
	}
}
