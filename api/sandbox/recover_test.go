package sandbox

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/carddesk/carddesk/api/vaultspay"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRecoverTurnsPanicsInto500 proves the middleware works, on a route
// made to panic; every other test proves no real handler reaches it.
func TestRecoverTurnsPanicsInto500(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	s := newTestServer(t, Config{Seed: 90, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	s.routes = append(s.routes, route{provider: vp, segments: []string{"boom"}, methods: map[string]endpoint{
		http.MethodPost: {h: func(*call) (int, any, *apiError) { panic("kaboom") }},
	}})
	vpc, _ := clients(t, s)
	vpc.serverErrors = true
	r := vpc.do("POST", "/boom", `{}`, "Idempotency-Key", "k1")
	e := r.vpErr(t)
	if r.status != 500 || e.Type != vaultspay.ErrTypeAPI || e.Code != codeInternal {
		t.Fatalf("%d %+v", r.status, e)
	}
	if !strings.Contains(logs.String(), "kaboom") || !strings.Contains(logs.String(), e.RequestID) {
		t.Errorf("panic not logged with its request id: %s", logs.String())
	}
	// A 5xx is not stored: the same key runs again.
	if r := vpc.do("POST", "/boom", `{}`, "Idempotency-Key", "k1"); r.status != 500 || r.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("retry: %d", r.status)
	}
	if n := s.panics.Swap(0); n != 2 {
		t.Errorf("%d panics counted, want 2", n)
	}
}

// TestRevealNeverLogged: a reveal logs the card id and last four only.
func TestRevealNeverLogged(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	s := newTestServer(t, Config{Seed: 91, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	vpc, _ := clients(t, s)
	cd := testCard(t, s, vp, nil)
	if r := vpc.do("POST", "/cards/"+cd.id+"/reveal", `{"reason":"caller verified"}`); r.status != 200 {
		t.Fatal(r.status)
	}
	if out := logs.String(); strings.Contains(out, cd.number) || !strings.Contains(out, cd.id) {
		t.Errorf("log: %s", out)
	}
}
