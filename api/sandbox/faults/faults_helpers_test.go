package faults_test

import (
	"context"
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
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// These tests run both providers' clients against the sandbox over real
// HTTP, through a fault front.

func providers() []string { return []string{vaultspay.Provider, vydapay.Provider} }

// testTuning retries quickly: 4 attempts, millisecond backoffs, and a
// 2-second cap on what a provider may ask us to wait.
func testTuning() api.Tuning {
	return api.Tuning{
		AttemptTimeout: 5 * time.Second,
		MaxAttempts:    4,
		BaseBackoff:    time.Millisecond,
		MaxBackoff:     4 * time.Millisecond,
		MaxRetryWait:   2 * time.Second,
		Jitter:         func() float64 { return 0.5 },
	}
}

// rig is one sandbox, running (so that it delivers webhooks), a witness of
// each provider's card events, and a client of each provider that bypasses
// every front.
type rig struct {
	sb      *sandbox.Server
	direct  map[string]api.Client
	witness map[string]*witness

	mu   sync.Mutex
	pool map[string][]api.Card // active cards not handed out yet
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{direct: map[string]api.Client{}, witness: map[string]*witness{}, pool: map[string][]api.Card{}}
	urls := map[string]string{}
	for _, p := range providers() {
		w := &witness{changed: make(chan struct{})}
		ts := httptest.NewServer(w)
		t.Cleanup(ts.Close)
		r.witness[p], urls[p] = w, ts.URL
	}
	sb, err := sandbox.New(sandbox.Config{
		Seed: 11, RateLimit: -1, DeliveryBackoff: 10 * time.Millisecond,
		VaultsPayWebhookURLs: []string{urls[vaultspay.Provider]}, VydapayWebhookURLs: []string{urls[vydapay.Provider]},
	})
	if err != nil {
		t.Fatal(err)
	}
	r.sb = sb
	cfg := sb.Config()
	if r.witness[vaultspay.Provider].scheme, err = vaultspay.NewVerifier(cfg.VaultsPayWebhookSecret); err != nil {
		t.Fatal(err)
	}
	if r.witness[vydapay.Provider].scheme, err = vydapay.NewVerifier(cfg.VydapayWebhookSecret); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { defer close(ran); _ = sb.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-ran })

	ts := httptest.NewServer(sb.Handler())
	t.Cleanup(ts.Close)
	for _, p := range providers() {
		r.direct[p] = r.client(t, p, ts.URL, testTuning())
	}
	return r
}

// front serves the sandbox behind a front with rules, until the test ends.
func (r *rig) front(t *testing.T, rules ...faults.Rule) (*faults.Front, string) {
	t.Helper()
	f, err := faults.New(r.sb.Handler(), faults.Config{Rules: rules, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	t.Cleanup(f.Close) // runs first: no request waits out a hold
	return f, ts.URL
}

// client is a provider's client of the sandbox at base, with a connection
// pool of its own.
func (r *rig) client(t *testing.T, provider, base string, tuning api.Tuning) api.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	cfg := r.sb.Config()
	var (
		c   api.Client
		err error
	)
	if provider == vydapay.Provider {
		c, err = vydapay.New(vydapay.Config{BaseURL: base + "/vydapay/v1", Key: cfg.VydapayKey, HTTPClient: hc, Tuning: tuning})
	} else {
		c, err = vaultspay.New(vaultspay.Config{BaseURL: base + "/vaultspay/v1", Key: cfg.VaultsPayKey, HTTPClient: hc, Tuning: tuning})
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// card hands out an active card no other case has used.
func (r *rig) card(t *testing.T, provider string) api.Card {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pool[provider] == nil {
		page, err := r.direct[provider].ListCards(context.Background(), api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		r.pool[provider] = page.Items
	}
	if len(r.pool[provider]) == 0 {
		t.Fatal("no active card left in the sandbox book")
	}
	c := r.pool[provider][0]
	r.pool[provider] = r.pool[provider][1:]
	return c
}

// warm fills a client's pool with idle keep-alive connections (by listing
// cards, which no rule here matches), the state in which net/http would
// replay a request on its own after a connection breaks.
func warm(t *testing.T, c api.Client) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			if _, err := c.ListCards(context.Background(), api.CardFilter{Page: api.PageParams{Limit: 1}}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("warming the pool: %v", err)
	}
}

// attemptsAt are the records of requests to paths ending in suffix with
// method.
func attemptsAt(recs []faults.Record, method, suffix string) []faults.Record {
	var out []faults.Record
	for _, r := range recs {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// witness receives a provider's signed webhooks and keeps, per card, the
// state changes the sandbox reported: its own account of what it did.
type witness struct {
	scheme api.WebhookScheme

	mu      sync.Mutex
	changes map[string][]api.EventType
	changed chan struct{}
}

// stateChanges are the events a card action causes.
var stateChanges = []api.EventType{api.EventCardFrozen, api.EventCardUnfrozen, api.EventCardTerminated, api.EventCardActivated}

func (w *witness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = w.scheme.Verify(r.Header, body, time.Now())
	}
	if err != nil {
		http.Error(rw, "bad webhook", http.StatusUnauthorized)
		return
	}
	ev, err := w.scheme.Parse(body)
	if err != nil {
		http.Error(rw, "bad event", http.StatusBadRequest)
		return
	}
	if ev.Card != nil && slices.Contains(stateChanges, ev.Type) {
		w.mu.Lock()
		if w.changes == nil {
			w.changes = map[string][]api.EventType{}
		}
		w.changes[ev.Card.ID] = append(w.changes[ev.Card.ID], ev.Type)
		close(w.changed)
		w.changed = make(chan struct{})
		w.mu.Unlock()
	}
	rw.WriteHeader(http.StatusOK)
}

// await returns a card's state changes, sorted, once at least n have come.
// Its limit only bounds a failure: it is well past the sandbox's own 10 s
// per delivery attempt, which a stalled machine can use up before a retry.
func (w *witness) await(t *testing.T, cardID string, n int) []api.EventType {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		w.mu.Lock()
		got := slices.Clone(w.changes[cardID])
		ch := w.changed
		w.mu.Unlock()
		if len(got) >= n {
			slices.Sort(got)
			return got
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("card %s: %d state changes reported by webhook, want %d: %v", cardID, len(got), n, got)
		}
	}
}
