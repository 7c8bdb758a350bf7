package live_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// awaitTimeout bounds every wait for something the relay will do; it is a
// guard against a hang, never an assertion about speed.
const awaitTimeout = 30 * time.Second

// relayFixture is a relay over a real SQLite file, served over real HTTP,
// with two secrets per provider (a rotation in progress).
type relayFixture struct {
	t      *testing.T
	url    string
	relay  *live.Relay
	store  *sqlitestore.Store
	gate   *gateStore
	clock  *testClock
	path   string
	token  string
	vpKeys []string // old, new
	vyKeys []string // old, new
}

func newRelayFixture(t *testing.T) *relayFixture {
	t.Helper()
	return newRelayFixtureWith(t, nil)
}

// newRelayFixtureLogging is newRelayFixture with the relay logging to log
// (nil: the relay's default).
func newRelayFixtureLogging(t *testing.T, log *slog.Logger) *relayFixture {
	t.Helper()
	return newRelayFixtureWith(t, func(c *live.RelayConfig) { c.Logger = log })
}

// testClock is the fixture's clock: the real time plus an offset a test
// moves forward, or a frozen instant.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
	frozen time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen.IsZero() {
		return c.frozen
	}
	return time.Now().Add(c.offset)
}

// advance moves the clock forward by d.
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	if !c.frozen.IsZero() {
		c.frozen = c.frozen.Add(d)
	}
}

// freeze stops the clock where it is.
func (c *testClock) freeze() {
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen = now
}

// newRelayFixtureWith is newRelayFixture with the relay's configuration
// changed by edit (which may be nil) before it is built.
func newRelayFixtureWith(t *testing.T, edit func(*live.RelayConfig)) *relayFixture {
	t.Helper()
	return newRelayFixtureOn(t, filepath.Join(t.TempDir(), "relay.db"), edit)
}

// newRelayFixtureOn is newRelayFixtureWith over the database at path,
// which may hold a store already.
func newRelayFixtureOn(t *testing.T, path string, edit func(*live.RelayConfig)) *relayFixture {
	t.Helper()
	f := &relayFixture{
		clock:  &testClock{},
		t:      t,
		path:   path,
		token:  "test-token-0123456789abcdef",
		vpKeys: []string{vaultspay.NewSecret(), vaultspay.NewSecret()},
		vyKeys: []string{vydapay.NewSecret(), vydapay.NewSecret()},
	}
	vp, err := vaultspay.NewVerifier(f.vpKeys...)
	if err != nil {
		t.Fatal(err)
	}
	vy, err := vydapay.NewVerifier(f.vyKeys...)
	if err != nil {
		t.Fatal(err)
	}
	cfg := live.RelayConfig{
		Token:   f.token,
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: vp, vydapay.Provider: vy},
		Now:     f.clock.Now,
	}
	if edit != nil {
		edit(&cfg)
	}
	// The store logs where the relay does.
	hub := live.NewHub()
	store, err := sqlitestore.Open(t.Context(), f.path, sqlitestore.Options{OnCommit: hub.Publish, Logger: cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	f.store = store
	f.gate = &gateStore{Store: store}
	cfg.Store, cfg.Hub = f.gate, hub
	f.relay, err = live.NewRelay(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.relay.Handler())
	f.url = srv.URL
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), awaitTimeout)
		defer cancel()
		if err := f.relay.Shutdown(ctx); err != nil && !strings.Contains(err.Error(), "already shut down") {
			t.Errorf("relay shutdown: %v", err)
		}
	})
	return f
}

// gateStore wraps a store: it can fail appends, hold them at a gate, fail
// health checks, and notes whether Close came while an append was held.
type gateStore struct {
	live.Store
	failAppend  atomic.Bool
	failHealth  atomic.Bool
	healthCalls atomic.Int64
	healthGate  atomic.Pointer[chan struct{}] // when set, health checks wait for it to close

	mu          sync.Mutex
	gate        chan struct{} // when set, appends wait for it to close
	entered     chan struct{} // poked when an append reaches the gate
	held        int
	closedWhile bool // Close was called while an append was held
}

func (s *gateStore) hold() (entered chan struct{}, release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gate, s.entered = make(chan struct{}), make(chan struct{}, 16)
	gate := s.gate
	return s.entered, func() { close(gate) }
}

func (s *gateStore) Append(ctx context.Context, recs []live.Record) ([]live.Appended, error) {
	if s.failAppend.Load() {
		return nil, errors.New("injected: disk unavailable")
	}
	s.mu.Lock()
	gate, entered := s.gate, s.entered
	if gate != nil {
		s.held++
	}
	s.mu.Unlock()
	if gate != nil {
		entered <- struct{}{}
		<-gate
		defer func() {
			s.mu.Lock()
			s.held--
			s.mu.Unlock()
		}()
	}
	return s.Store.Append(ctx, recs)
}

func (s *gateStore) Health(ctx context.Context) (live.StoreHealth, error) {
	s.healthCalls.Add(1)
	if gate := s.healthGate.Load(); gate != nil {
		<-*gate
	}
	h, err := s.Store.Health(ctx)
	if s.failHealth.Load() {
		h.Writable = false
		return h, errors.New("injected: database is read-only")
	}
	return h, err
}

func (s *gateStore) Close() error {
	s.mu.Lock()
	if s.held > 0 {
		s.closedWhile = true
	}
	s.mu.Unlock()
	return s.Store.Close()
}

// vaultspayBody is a VaultsPay card.frozen webhook with event id id.
func vaultspayBody(id string) []byte {
	return fmt.Appendf(nil, `{"id":%q,"type":"card.frozen","timestamp":"2026-04-24T14:52:03Z","api_version":"2026-04-24",`+
		`"data":{"id":"card_1","object":"card","user_id":"usr_1","account_id":"acc_1","type":"virtual","status":"frozen",`+
		`"brand":"visa","currency":"AED","last_four":"4821","exp_month":7,"exp_year":2029,"spending_limit":null,`+
		`"spending_controls":{},"metadata":{},"termination_reason":null,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-04-24T14:52:03Z"}}`, id)
}

// vydapayBody is a Vydapay transaction.declined webhook with event id id.
func vydapayBody(id string) []byte {
	return fmt.Appendf(nil, `{"id":%q,"object":"event","type":"transaction.declined","created_at":"2026-04-24T14:52:03Z",`+
		`"data":{"object":{"id":"txn_1","object":"transaction","amount":1250,"currency":"gbp","status":"declined","type":"purchase",`+
		`"card_id":"card_9","cardholder_id":"ich_9","merchant":{"name":"Pret","category":"eating_places_restaurants",`+
		`"category_code":"5812","city":"London","country":"GB"},"receipt":null,"decline_reason":"card_frozen",`+
		`"created_at":"2026-04-24T14:52:03Z"}}}`, id)
}

// vaultspayHeaders signs body as VaultsPay does, at ts, with secrets.
func vaultspayHeaders(t testing.TB, secrets []string, id string, ts time.Time, body []byte) http.Header {
	t.Helper()
	h, err := vaultspay.Sign(secrets, id, ts, body)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// vydapayHeaders signs body as Vydapay does with secret.
func vydapayHeaders(secret string, body []byte) http.Header {
	h := http.Header{}
	h.Set(vydapay.SignatureHeader, vydapay.Sign(secret, body))
	return h
}

// reply is an intake answer.
type reply struct {
	Status    int
	Seq       uint64 `json:"seq"`
	Duplicate bool   `json:"duplicate"`
	Error     string `json:"error"`
}

// post sends a webhook with the given headers (Content-Type defaults to
// application/json) and decodes the JSON answer.
func (f *relayFixture) post(t testing.TB, method, provider string, h http.Header, body []byte) reply {
	t.Helper()
	r, err := f.do(method, provider, h, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// do is post for goroutines other than the test's: it returns its error.
func (f *relayFixture) do(method, provider string, h http.Header, body []byte) (reply, error) {
	req, err := http.NewRequest(method, f.url+"/webhooks/"+provider, bytes.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	if _, set := h["Content-Type"]; !set {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s /webhooks/%s: %w", method, provider, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	var r reply
	if err := json.Unmarshal(raw, &r); err != nil {
		return reply{}, fmt.Errorf("answer %d is not JSON: %q", resp.StatusCode, raw)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		return reply{}, fmt.Errorf("answer Content-Type %q", ct)
	}
	r.Status = resp.StatusCode
	return r, nil
}

// postVydapay posts body signed with the current Vydapay secret.
func (f *relayFixture) postVydapay(t testing.TB, body []byte) reply {
	t.Helper()
	return f.post(t, http.MethodPost, vydapay.Provider, vydapayHeaders(f.vyKeys[1], body), body)
}

// subscribe opens a stream subscription after seq and waits for it to go
// live.
func (f *relayFixture) subscribe(t testing.TB, after uint64) *live.Subscription {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	sub := live.Subscribe(ctx, live.SubscribeConfig{
		URL: "ws" + strings.TrimPrefix(f.url, "http") + "/v1/stream", Token: f.token, After: after,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
	})
	timeout := time.NewTimer(awaitTimeout)
	defer timeout.Stop()
	for sub.State() != live.StateLive {
		select {
		case <-sub.States():
		case <-timeout.C:
			t.Fatalf("subscriber not live: state %v, err %v", sub.State(), sub.Err())
		}
	}
	return sub
}

// receive reads n records from sub.
func receive(t testing.TB, sub *live.Subscription, n int) []live.Record {
	t.Helper()
	var out []live.Record
	timeout := time.NewTimer(awaitTimeout)
	defer timeout.Stop()
	for len(out) < n {
		select {
		case batch, ok := <-sub.Events():
			if !ok {
				t.Fatalf("subscription ended after %d of %d records", len(out), n)
			}
			out = append(out, batch...)
		case <-timeout.C:
			t.Fatalf("received %d of %d records (state %v, err %v)", len(out), n, sub.State(), sub.Err())
		}
	}
	if len(out) > n {
		t.Fatalf("received %d records, want %d: %v", len(out), n, eventIDs(out))
	}
	return out
}

func eventIDs(recs []live.Record) []string {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Provider + "/" + r.EventID
	}
	return ids
}

// waitFor polls cond until it holds: only for conditions nothing signals.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(awaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
