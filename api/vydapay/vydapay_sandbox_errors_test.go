package vydapay_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vydapay"
)

func TestSandboxErrors(t *testing.T) {
	srv, base := newSandbox(t, sandbox.Config{})
	ctx := context.Background()
	c := newClient(t, vydapay.Config{BaseURL: base, Key: srv.Config().VydapayKey})

	t.Run("401 wrong key", func(t *testing.T) {
		bad := newClient(t, vydapay.Config{BaseURL: base, Key: "sk_test_wrong"})
		_, err := bad.ListCards(ctx, api.CardFilter{})
		e := errorOf(t, err)
		if !errors.Is(err, api.ErrUnauthorized) || e.Type != vydapay.ErrTypeAuthentication || e.Code != "api_key_invalid" ||
			e.RequestID == "" || e.DocURL != vydapay.DocURLBase+e.Code {
			t.Errorf("%v %+v", err, e)
		}
		if _, err := bad.Ping(ctx); !errors.Is(err, api.ErrUnauthorized) {
			t.Errorf("ping with a wrong key: %v", err)
		}
	})
	t.Run("publishable key", func(t *testing.T) {
		if _, err := vydapay.New(vydapay.Config{BaseURL: base, Key: srv.Config().VydapayPublishableKey}); err == nil ||
			!strings.Contains(err.Error(), "publishable key (pk_) cannot act on cards") {
			t.Errorf("New with a pk_ key: %v", err)
		}
		// The sandbox refuses it too, which a raw call shows.
		raw := rawTransport(t, base, srv.Config().VydapayPublishableKey)
		_, err := raw.Do(ctx, api.Request{Method: http.MethodGet, Path: "/cards"}, nil)
		if e := errorOf(t, err); !errors.Is(err, api.ErrForbidden) || e.Type != vydapay.ErrTypeAuthentication {
			t.Errorf("%v %+v", err, e)
		}
	})
	t.Run("404 unknown id", func(t *testing.T) {
		for name, call := range map[string]func() error{
			"card":        func() error { _, err := c.GetCard(ctx, "card_doesnotexist"); return err },
			"freeze":      func() error { _, err := c.FreezeCard(ctx, "card_doesnotexist"); return err },
			"cardholder":  func() error { _, err := c.GetUser(ctx, "ch_doesnotexist"); return err },
			"transaction": func() error { _, err := c.GetTransaction(ctx, "txn_doesnotexist"); return err },
		} {
			err := call()
			if e := errorOf(t, err); !errors.Is(err, api.ErrNotFound) || e.Code != "resource_missing" || e.Type != vydapay.ErrTypeInvalidRequest {
				t.Errorf("%s: %v %+v", name, err, e)
			}
		}
	})
	t.Run("409 unfreeze a cancelled card", func(t *testing.T) {
		card := firstCard(t, c, api.CardTerminated)
		_, err := c.UnfreezeCard(ctx, card.ID)
		if e := errorOf(t, err); !errors.Is(err, api.ErrConflict) || e.Type != vydapay.ErrTypeCard || e.Code != "card_cancelled" {
			t.Errorf("%v %+v", err, e)
		}
	})
	t.Run("400 limit 101", func(t *testing.T) {
		_, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 101}})
		if !errors.Is(err, api.ErrInvalid) {
			t.Errorf("client: %v", err)
		}
		if _, ok := api.AsError(err); ok {
			t.Errorf("client sent limit=101: %v", err)
		}
		raw := rawTransport(t, base, srv.Config().VydapayKey)
		_, err = raw.Do(ctx, api.Request{Method: http.MethodGet, Path: "/cards", Query: map[string][]string{"limit": {"101"}}}, nil)
		if e := errorOf(t, err); !errors.Is(err, api.ErrInvalid) || e.Type != vydapay.ErrTypeInvalidRequest || e.Param != "limit" {
			t.Errorf("raw: %v %+v", err, e)
		}
	})
	t.Run("400 unknown cursor", func(t *testing.T) {
		_, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{After: "card_doesnotexist"}})
		if e := errorOf(t, err); !errors.Is(err, api.ErrInvalid) || e.Param != "starting_after" {
			t.Errorf("%v %+v", err, e)
		}
	})
	t.Run("429 rate limited", func(t *testing.T) {
		srv, base := newSandbox(t, sandbox.Config{RateLimit: 2})
		// Another process with the same key spends the window: this
		// client's budget holds back what it knows would be refused, so
		// only a request it could not know about meets the 429.
		other := newClient(t, vydapay.Config{BaseURL: base, Key: srv.Config().VydapayKey})
		for range 2 {
			if _, err := other.Balance(ctx); err != nil {
				t.Fatal(err)
			}
		}
		c := newClient(t, vydapay.Config{BaseURL: base, Key: srv.Config().VydapayKey, Tuning: api.Tuning{MaxRetryWait: time.Millisecond}})
		_, err := c.Balance(ctx)
		e := errorOf(t, err)
		if !errors.Is(err, api.ErrRateLimited) || e.Type != vydapay.ErrTypeRateLimit || e.RetryAfter <= 0 {
			t.Errorf("%v %+v", err, e)
		}
		if rl := c.RateLimit(); rl.Remaining != 0 || rl.Limit != 2 {
			t.Errorf("rate limit %+v", rl)
		}
	})
}

func rawTransport(t *testing.T, base, key string) *api.Transport {
	t.Helper()
	tr, err := api.NewTransport(api.TransportConfig{Provider: vydapay.Provider, BaseURL: base, Key: key,
		DecodeError: vydapay.DecodeError, Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// losingProxy forwards to the sandbox but loses the sandbox's answer to
// the first write, answering 502 instead, as a network failure would.
type losingProxy struct {
	target string
	mu     sync.Mutex
	keys   []string // Idempotency-Key of each write
	replay []string // Idempotent-Replayed of each write's real answer
}

func (p *losingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if r.Method != http.MethodGet {
		p.mu.Lock()
		p.keys = append(p.keys, r.Header.Get("Idempotency-Key"))
		p.replay = append(p.replay, resp.Header.Get("Idempotent-Replayed"))
		first := len(p.keys) == 1
		p.mu.Unlock()
		if first {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
			return
		}
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

// A write whose answer is lost is retried with the same Idempotency-Key,
// and the sandbox replays its answer rather than acting twice: freezing
// twice would be a 409.
func TestSandboxIdempotentRetry(t *testing.T) {
	srv, base := newSandbox(t, sandbox.Config{})
	target := strings.TrimSuffix(base, "/vydapay/v1")
	p := &losingProxy{target: target}
	proxy := httptest.NewServer(p)
	t.Cleanup(proxy.Close)
	ctx := context.Background()
	c := newClient(t, vydapay.Config{BaseURL: proxy.URL + "/vydapay/v1", Key: srv.Config().VydapayKey,
		Tuning: api.Tuning{MaxAttempts: 3, Jitter: func() float64 { return 0 }}})
	card := firstCard(t, c, api.CardActive)

	frozen, err := c.FreezeCard(ctx, card.ID)
	if err != nil {
		t.Fatalf("freeze through a lost answer: %v", err)
	}
	if frozen.Status != api.CardFrozen {
		t.Errorf("replayed card is %s", frozen.Status)
	}
	p.mu.Lock()
	keys, replay := slices.Clone(p.keys), slices.Clone(p.replay)
	p.mu.Unlock()
	if len(keys) != 2 || keys[0] == "" || keys[0] != keys[1] {
		t.Fatalf("idempotency keys of the attempts: %q", keys)
	}
	if replay[0] == "true" || replay[1] != "true" {
		t.Errorf("Idempotent-Replayed of the attempts: %q", replay)
	}
	if got, err := c.GetCard(ctx, card.ID); err != nil || got.Status != api.CardFrozen {
		t.Errorf("GetCard after freeze: %s, %v", got.Status, err)
	}
	// A new logical write gets a new key, so the state machine answers.
	if _, err := c.FreezeCard(ctx, card.ID); !errors.Is(err, api.ErrConflict) {
		t.Errorf("second freeze: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.keys) != 3 || p.keys[2] == p.keys[0] {
		t.Errorf("the second freeze reused a key: %q", p.keys)
	}
}

// A client cancelled mid-call stops at once with the context's error.
func TestSandboxContext(t *testing.T) {
	_, c := sandboxClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.ListCards(ctx, api.CardFilter{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled list: %v", err)
	}
	if _, err := c.Ping(ctx); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "ping vydapay") {
		t.Errorf("cancelled ping: %v", err)
	}
}
