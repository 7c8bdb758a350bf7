package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
	"github.com/carddesk/carddesk/tui/backend"
)

// hostileEnv is the whole product for one provider, with outside input
// that is hostile: the sandbox issuer behind real HTTP (with one answer
// replaced by a hostile provider error), a relay on a real SQLite file
// taking signed webhooks, the backend subscribed to it with an audit log,
// and the dashboard under teatest at 120×40.
type hostileEnv struct {
	t        *testing.T
	provider string
	sb       *sandbox.Server
	client   api.Client
	relayURL string
	secret   string
	audit    string
	pans     []string // every card number planted, as safetexttest.PAN writes them

	mu       sync.Mutex
	freezeOf string // the card whose freeze gets a hostile error
	hostile  func(http.ResponseWriter)
}

// newHostileEnv builds everything but the dashboard.
func newHostileEnv(t *testing.T, provider string) *hostileEnv {
	t.Helper()
	e := &hostileEnv{t: t, provider: provider, audit: filepath.Join(t.TempDir(), "audit.log")}
	sb, err := sandbox.New(testSandbox(sandbox.Config{Seed: 21, RateLimit: -1}))
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	e.sb = sb
	apiSrv := httptest.NewServer(http.HandlerFunc(e.serveAPI))
	t.Cleanup(apiSrv.Close)
	tuning := apiTuning()
	switch provider {
	case vaultspay.Provider:
		e.client, err = vaultspay.New(vaultspay.Config{BaseURL: apiSrv.URL + "/vaultspay/v1", Key: sb.Config().VaultsPayKey, Tuning: tuning})
	default:
		e.client, err = vydapay.New(vydapay.Config{BaseURL: apiSrv.URL + "/vydapay/v1", Key: sb.Config().VydapayKey, Tuning: tuning})
	}
	if err != nil {
		t.Fatal(err)
	}
	e.startRelay()
	return e
}

func apiTuning() api.Tuning {
	return api.Tuning{MaxAttempts: 1, BaseBackoff: time.Millisecond, MaxBackoff: time.Millisecond, Jitter: func() float64 { return 0.5 }}
}

// serveAPI is the sandbox, except for the freeze of e.freezeOf, which a
// hostile provider refuses with escapes and a card number in every field
// of its error and in its request id.
func (e *hostileEnv) serveAPI(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	card, hostile := e.freezeOf, e.hostile
	e.mu.Unlock()
	if card != "" && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/cards/"+card+"/freeze") {
		hostile(w)
		return
	}
	e.sb.Handler().ServeHTTP(w, r)
}

// refuseFreeze makes the provider refuse to freeze card with a hostile
// error.
func (e *hostileEnv) refuseFreeze(card string) {
	pan, rid := e.plant(), e.plant()
	body, err := json.Marshal(map[string]any{"error": map[string]any{
		"type": "invalid_request_error", "code": safetexttest.Wrap("card_locked"),
		"message":    safetexttest.Wrap("LOCKEDBY") + " " + pan + " " + safetexttest.Wrap("COMPLIANCE"),
		"param":      safetexttest.Wrap("id"),
		"request_id": safetexttest.Wrap("req_x") + " " + rid,
	}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.freezeOf = card
	e.hostile = func(w http.ResponseWriter) {
		// Header values cannot carry controls over HTTP; bidi controls
		// and card numbers they can.
		w.Header().Set("X-Request-Id", "req_\u202e"+strings.ReplaceAll(rid, " ", "-"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(body)
	}
}

// startRelay runs a relay over a SQLite file in the test's directory.
func (e *hostileEnv) startRelay() {
	t := e.t
	hub := live.NewHub()
	store, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "relay.db"), sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		t.Fatal(err)
	}
	var scheme api.WebhookScheme
	if e.provider == vaultspay.Provider {
		e.secret = vaultspay.NewSecret()
		scheme, err = vaultspay.NewVerifier(e.secret)
	} else {
		e.secret = vydapay.NewSecret()
		scheme, err = vydapay.NewVerifier(e.secret)
	}
	if err != nil {
		t.Fatal(err)
	}
	relay, err := live.NewRelay(live.RelayConfig{Store: store, Hub: hub, Token: hostileToken,
		Schemes: map[string]api.WebhookScheme{e.provider: scheme}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(relay.Handler())
	e.relayURL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := relay.Shutdown(ctx); err != nil {
			t.Errorf("relay shutdown: %v", err)
		}
	})
}

const hostileToken = "hostile-test-token-0123456789"

// plant is a fresh card number to hide in a field; every one planted is
// checked on every screen.
func (e *hostileEnv) plant() string {
	pan := safetexttest.PAN(len(e.pans) + 50)
	e.pans = append(e.pans, pan)
	return pan
}

// post signs body as the provider does and delivers it to the relay.
func (e *hostileEnv) post(msgID string, body []byte) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.relayURL+"/webhooks/"+e.provider, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if e.provider == vaultspay.Provider {
		h, err := vaultspay.Sign([]string{e.secret}, msgID, time.Now(), body)
		if err != nil {
			e.t.Fatal(err)
		}
		req.Header = h
	} else {
		req.Header.Set(vydapay.SignatureHeader, vydapay.Sign(e.secret, body))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("post the webhook: %v", err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		e.t.Fatalf("the relay answered the webhook %s: %s", resp.Status, answer)
	}
}

// start runs the dashboard over a backend subscribed to the relay, as a
// supervisor with the audit log, and waits for its first page of users.
func (e *hostileEnv) start() *session {
	t := e.t
	t.Helper()
	audit, err := backend.OpenAuditLog(e.audit)
	if err != nil {
		t.Fatal(err)
	}
	subCtx, stopSub := context.WithCancel(context.Background())
	sub := live.Subscribe(subCtx, live.SubscribeConfig{URL: "ws" + strings.TrimPrefix(e.relayURL, "http") + "/v1/stream", Token: hostileToken})
	be := backend.New(backend.Config{Client: e.client, Relay: sub, Audit: audit})
	s := startDashboard(t, Options{
		Backend: be,
		Actor:   backend.Actor{Agent: "alice", Session: "hostile", Role: backend.RoleSupervisor},
	}, func() {
		stopSub()
		if err := audit.Close(); err != nil {
			t.Errorf("audit log: %v", err)
		}
	})
	s.await("the first page of users", func(m *model) bool { return m.usersLoaded() })
	return s
}

// screenChecks is what a test learns from each screen it draws.
type screenChecks struct {
	e      *hostileEnv
	s      *session
	out    *terminalLog
	viewed []string
}

// check draws the screen as it is now (what, after cond holds) and fails
// on anything hostile in it: any escape but the theme's SGR, controls,
// bidi or invisible characters, a marker of a hostile sequence, or a card
// number. Each word of want must show, proving the hostile fields were
// drawn (cleaned); the first also has to reach the terminal.
func (c *screenChecks) check(what string, cond func(*model) bool, want ...string) {
	c.s.t.Helper()
	c.checkScreen(what, true, cond, want...)
}

// checkQuoting is check for a screen showing an error that quotes an id
// the way Go quotes strings ("\x1b]52;…"): the quote holds no control
// character, only the text of one, so the markers of hostile sequences
// may show there.
func (c *screenChecks) checkQuoting(what string, cond func(*model) bool, want ...string) {
	c.s.t.Helper()
	c.checkScreen(what, false, cond, want...)
}

func (c *screenChecks) checkScreen(what string, markers bool, cond func(*model) bool, want ...string) {
	t := c.s.t
	t.Helper()
	done := make(chan struct{})
	c.s.tm.Send(awaitMsg[*model]{waiter[*model]{cond: func(m *model) bool {
		if !cond(m) {
			return false
		}
		plain := ansi.Strip(m.render())
		for _, w := range want {
			if !strings.Contains(plain, w) {
				return false
			}
		}
		return true
	}, done: done}})
	shown := true
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		shown = false
	}
	// What is on screen is checked even when it is not yet what was
	// awaited, so that a leak is reported as such.
	var frame string
	c.s.inspect(func(m *model) { frame = m.render() })
	plain := ansi.Strip(frame)
	for _, p := range append(safetexttest.Styled(frame), safetexttest.CardNumbers(plain, c.e.pans)...) {
		if !markers && strings.HasPrefix(p, "marker ") {
			continue
		}
		t.Errorf("%s: %s\n%s", what, p, plain)
	}
	if !shown {
		t.Fatalf("timed out waiting for %s showing %q; the screen:\n%s", what, want, plain)
	}
	if len(want) > 0 {
		c.out.waitFor(t, what, want[0])
	}
	c.viewed = append(c.viewed, what)
}

// terminalLog keeps every byte the program wrote to its terminal.
type terminalLog struct {
	tm  *teatest.TestModel
	acc bytes.Buffer
}

// waitFor reads the program's output until word has been written.
func (l *terminalLog) waitFor(t *testing.T, what, word string) {
	t.Helper()
	r := io.TeeReader(l.tm.Output(), &l.acc)
	teatest.WaitFor(t, r, func([]byte) bool { return bytes.Contains(l.acc.Bytes(), []byte(word)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// all quits the program and returns everything it wrote.
func (l *terminalLog) all(t *testing.T) []byte {
	t.Helper()
	_ = l.tm.Quit()
	rest, err := io.ReadAll(l.tm.FinalOutput(t, teatest.WithFinalTimeout(10*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	return append(l.acc.Bytes(), rest...)
}
