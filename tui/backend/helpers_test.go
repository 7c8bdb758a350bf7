package backend

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// env is a sandbox issuer over real HTTP, with a client of one of its
// providers, counting the requests the client makes.
type env struct {
	srv      *sandbox.Server
	ts       *httptest.Server
	cfg      sandbox.Config
	client   api.Client
	provider string
	requests atomic.Int64
	// firstCardID is a card some tests read.
	firstCardID string

	// hold, when set, is called before each request is served, with the
	// request; the request waits for it to return.
	mu   sync.Mutex
	hold func(*http.Request)
}

func newEnv(t *testing.T, provider string) *env {
	t.Helper()
	srv, err := sandbox.New(sandbox.Config{Seed: 7, RateLimit: -1})
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	e := &env{srv: srv, cfg: srv.Config(), provider: provider}
	h := srv.Handler()
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		e.mu.Lock()
		hold := e.hold
		e.mu.Unlock()
		if hold != nil {
			hold(r)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.ts.Close)
	e.client = e.newClient(t, provider, "")
	return e
}

// newClient is a client of the sandbox for provider with key ("" → the
// provider's full key), retrying quickly and little.
func (e *env) newClient(t *testing.T, provider, key string) api.Client {
	t.Helper()
	tuning := api.Tuning{MaxAttempts: 2, BaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
		Jitter: func() float64 { return 0.5 }}
	var (
		c   api.Client
		err error
	)
	switch provider {
	case vaultspay.Provider:
		if key == "" {
			key = e.cfg.VaultsPayKey
		}
		c, err = vaultspay.New(vaultspay.Config{BaseURL: e.ts.URL + "/vaultspay/v1", Key: key, Tuning: tuning})
	case vydapay.Provider:
		if key == "" {
			key = e.cfg.VydapayKey
		}
		c, err = vydapay.New(vydapay.Config{BaseURL: e.ts.URL + "/vydapay/v1", Key: key, Tuning: tuning})
	default:
		t.Fatalf("unknown provider %q", provider)
	}
	if err != nil {
		t.Fatalf("%s client: %v", provider, err)
	}
	return c
}

func (e *env) setHold(fn func(*http.Request)) {
	e.mu.Lock()
	e.hold = fn
	e.mu.Unlock()
}

// card finds a card in the given state through the provider directly.
func (e *env) card(t *testing.T, status api.CardStatus) api.Card {
	t.Helper()
	p, err := e.client.ListCards(context.Background(), api.CardFilter{Status: status, Page: api.PageParams{Limit: 5}})
	if err != nil {
		t.Fatalf("list %s cards: %v", status, err)
	}
	if len(p.Items) == 0 {
		t.Fatalf("the sandbox has no %s card", status)
	}
	return p.Items[0]
}

// fakeRelay is a RelayFeed the test drives by hand.
type fakeRelay struct {
	ch    chan []live.Record
	mu    sync.Mutex
	state live.State
	err   error
}

func newFakeRelay() *fakeRelay {
	return &fakeRelay{ch: make(chan []live.Record), state: live.StateLive}
}

func (r *fakeRelay) Events() <-chan []live.Record { return r.ch }

func (r *fakeRelay) State() live.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

func (r *fakeRelay) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func (r *fakeRelay) set(s live.State, err error) {
	r.mu.Lock()
	r.state, r.err = s, err
	r.mu.Unlock()
}

// send hands a batch to Run; it returns once Run has received it.
func (r *fakeRelay) send(t *testing.T, recs ...live.Record) {
	t.Helper()
	select {
	case r.ch <- recs:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not take the batch: is it blocked?")
	}
}

// rec builds the relay record of ev with sequence seq.
func rec(t *testing.T, seq uint64, ev api.Event) live.Record {
	t.Helper()
	r, err := live.NewRecord(ev, time.Now())
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	r.Seq = seq
	return r
}

// memAudit keeps entries in memory; fail, when set, is returned by Record,
// and failOutcomes for the outcome line of an attempt (its attempt line is
// kept).
type memAudit struct {
	mu           sync.Mutex
	entries      []AuditEntry
	fail         error
	failOutcomes error
}

func (a *memAudit) Record(_ context.Context, e AuditEntry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail != nil {
		return a.fail
	}
	if a.failOutcomes != nil && e.Attempt != "" && e.Outcome != OutcomePending {
		return a.failOutcomes
	}
	a.entries = append(a.entries, e)
	return nil
}

func (a *memAudit) all() []AuditEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]AuditEntry(nil), a.entries...)
}

// run starts b.Run for the test and stops it at cleanup.
func run(t *testing.T, b *Backend) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// waitSeq waits on f until it has received the update with sequence seq,
// and returns every update received on the way.
func waitSeq(t *testing.T, f *Feed, seq uint64) []Update {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []Update
	for len(got) == 0 || got[len(got)-1].Seq < seq {
		ups, err := f.Wait(ctx)
		if err != nil {
			t.Fatalf("waiting for seq %d (have %d updates): %v", seq, len(got), err)
		}
		got = append(got, ups...)
	}
	return got
}

// noLeak fails when s holds the card number.
func noLeak(t *testing.T, what string, v any, number string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if number != "" && strings.Contains(string(b), number) {
		t.Errorf("%s holds the card number", what)
	}
}

var errDiskFull = errors.New("disk full")
