package tui

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/backend"
)

// These tests run the dashboard against the sandbox issuer over real HTTP,
// through a real backend.

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// requestLog records the requests the sandbox answered.
type requestLog struct {
	mu     sync.Mutex
	writes []string // method and path of every non-GET request
	reads  int
	// hold, when set, is called with each request before it is served;
	// the request waits for it to return.
	hold func(*http.Request)
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		hold := l.hold
		l.mu.Unlock()
		if hold != nil {
			hold(r)
		}
		h.ServeHTTP(w, r)
		l.mu.Lock()
		defer l.mu.Unlock()
		if r.Method == http.MethodGet {
			l.reads++
			return
		}
		l.writes = append(l.writes, r.Method+" "+r.URL.Path)
	})
}

func (l *requestLog) setHold(fn func(*http.Request)) {
	l.mu.Lock()
	l.hold = fn
	l.mu.Unlock()
}

func (l *requestLog) Writes() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.writes...)
}

// env is a sandbox, a backend over it, and a separate client to check
// what the sandbox holds.
type env struct {
	srv    *sandbox.Server
	ts     *httptest.Server // the sandbox's server; closing it leaves the provider out of reach
	log    *requestLog
	clock  *testClock
	be     *backend.Backend
	direct *vaultspay.Client
}

func newEnv(t *testing.T) *env { t.Helper(); return newEnvWith(t, nil) }

// newEnvWith builds the env with a relay feed for the backend.
func newEnvWith(t *testing.T, relay backend.RelayFeed) *env {
	t.Helper()
	return newEnvAudit(t, relay, nil)
}

// newEnvAudit builds the env with a relay feed and an audit log (each nil:
// none) for the backend.
func newEnvAudit(t *testing.T, relay backend.RelayFeed, audit backend.Auditor) *env {
	t.Helper()
	return newEnvSandbox(t, relay, audit, nil)
}

// newEnvSandbox is newEnvAudit over a sandbox whose config edit changes
// (nil: none).
func newEnvSandbox(t *testing.T, relay backend.RelayFeed, audit backend.Auditor, edit func(*sandbox.Config)) *env {
	t.Helper()
	cfg := sandbox.Config{Seed: 7, RateLimit: -1, Start: newTestClock().Now()}
	if edit != nil {
		edit(&cfg)
	}
	return newEnvFrom(t, cfg, relay, audit)
}

// newEnvFrom builds the env over a sandbox configured by cfg.
func newEnvFrom(t *testing.T, cfg sandbox.Config, relay backend.RelayFeed, audit backend.Auditor) *env {
	t.Helper()
	srv, err := sandbox.New(testSandbox(cfg))
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	e := &env{srv: srv, log: &requestLog{}, clock: newTestClock()}
	ts := httptest.NewServer(e.log.wrap(srv.Handler()))
	e.ts = ts
	t.Cleanup(ts.Close)
	base := ts.URL + "/vaultspay/v1"
	key := srv.Config().VaultsPayKey
	tuning := api.Tuning{BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Jitter: func() float64 { return 0.5 }}
	client, err := vaultspay.New(vaultspay.Config{BaseURL: base, Key: key, Tuning: tuning})
	if err != nil {
		t.Fatal(err)
	}
	e.direct, err = vaultspay.New(vaultspay.Config{BaseURL: base, Key: key, Tuning: tuning})
	if err != nil {
		t.Fatal(err)
	}
	e.be = backend.New(backend.Config{Client: client, Now: e.clock.Now, Relay: relay, Audit: audit})
	return e
}

// cardStatus asks the sandbox directly, past the dashboard's cache.
func (e *env) cardStatus(t *testing.T, id string) api.CardStatus {
	t.Helper()
	c, err := e.direct.GetCard(context.Background(), id)
	if err != nil {
		t.Fatalf("get card %s: %v", id, err)
	}
	return c.Status
}

// pickUser finds a user whose first listed card is active, and returns the
// user and that card.
func (e *env) pickUser(t *testing.T) (api.User, api.Card) {
	t.Helper()
	ctx := context.Background()
	users, err := e.direct.ListUsers(ctx, api.UserFilter{Page: api.PageParams{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users.Items {
		cards, err := e.direct.ListCards(ctx, api.CardFilter{UserID: u.ID, Page: api.PageParams{Limit: pageSize}})
		if err != nil {
			t.Fatal(err)
		}
		if len(cards.Items) > 0 && cards.Items[0].Status == api.CardActive && u.Email != "" {
			found, err := e.direct.ListUsers(ctx, api.UserFilter{Query: u.Email})
			if err == nil && len(found.Items) == 1 {
				return u, cards.Items[0]
			}
		}
	}
	t.Fatal("no user with an active first card in the sandbox book")
	return api.User{}, api.Card{}
}

// harness wraps the root model so that a test can wait for a state of it
// without polling: every condition is checked after each message.
type harness struct {
	m     *model
	waits []waiter[*model]
	// repaints counts the whole-screen repaints asked for (tea.ClearScreen),
	// which the program passes on to the model once it has done them.
	repaints int
}

// waiter is a condition a test waits on, checked in the program's loop.
type waiter[T any] struct {
	cond func(T) bool
	done chan struct{}
}

// awaitMsg registers a wait; its condition may also just run code in the
// loop.
type awaitMsg[T any] struct{ w waiter[T] }

// checkWaits closes every wait whose condition holds for v and returns
// those still waiting.
func checkWaits[T any](ws []waiter[T], v T) []waiter[T] {
	keep := ws[:0]
	for _, w := range ws {
		if w.cond(v) {
			close(w.done)
		} else {
			keep = append(keep, w)
		}
	}
	return keep
}

func (h *harness) Init() tea.Cmd { return h.m.Init() }

func (h *harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if a, ok := msg.(awaitMsg[*model]); ok {
		h.waits = append(h.waits, a.w)
	} else {
		if msg == tea.ClearScreen() {
			h.repaints++
		}
		_, cmd = h.m.Update(msg)
	}
	h.waits = checkWaits(h.waits, h.m)
	return h, cmd
}

func (h *harness) View() tea.View { return h.m.View() }

// session is a running dashboard under teatest.
type session struct {
	t  *testing.T
	tm *teatest.TestModel
	h  *harness
	// out is the session's Output, writing to term. Teatest gives the
	// program an output of its own, so only session.terminal writes here.
	out  *Output
	term *bytes.Buffer
}

func (e *env) start(t *testing.T, role backend.Role, w, h int) *session {
	t.Helper()
	return e.startWith(t, role, w, h, nil)
}

// startWith is e.start with the options adjust changes. The session's
// Output writes to a buffer of its own, not to teatest's (see
// session.terminal).
func (e *env) startWith(t *testing.T, role backend.Role, w, h int, adjust func(*Options)) *session {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	term := &bytes.Buffer{}
	opts := Options{
		Backend: e.be,
		Actor:   backend.Actor{Agent: "alice", Session: "test", Role: role},
		Now:     e.clock.Now,
		Context: ctx,
		Output:  NewOutput(term),
	}
	if adjust != nil {
		adjust(&opts)
	}
	m := New(opts).(*model)
	s := runSession(t, m, w, h, cancel) // cancel releases the feed and anything still in flight
	s.out, s.term = opts.Output, term
	s.await("the first page of users", func(m *model) bool { return m.usersLoaded() })
	return s
}

// runSession runs m under the harness at w×h; see runTea.
func runSession(t *testing.T, m *model, w, h int, after func()) *session {
	t.Helper()
	hs := &harness{m: m}
	return &session{t: t, tm: runTea(t, hs, w, h, after), h: hs}
}

// runTea runs m under teatest at w×h without colours. At cleanup it quits
// the program, waits for it to end, then calls after (when not nil).
func runTea(t *testing.T, m tea.Model, w, h int, after func()) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		if after != nil {
			after()
		}
	})
	return tm
}

// await blocks until cond holds for the model (checked in its own loop).
func (s *session) await(what string, cond func(*model) bool) {
	s.t.Helper()
	done := make(chan struct{})
	s.tm.Send(awaitMsg[*model]{waiter[*model]{cond: cond, done: done}})
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		var screen string
		s.inspect(func(m *model) { screen = ansi.Strip(m.render()) })
		s.t.Fatalf("timed out waiting for %s; the screen:\n%s", what, screen)
	}
}

// inspect runs fn on the model inside its loop.
func (s *session) inspect(fn func(*model)) {
	done := make(chan struct{})
	s.tm.Send(awaitMsg[*model]{waiter[*model]{cond: func(m *model) bool { fn(m); return true }, done: done}})
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.t.Fatal("the model did not answer")
	}
}

// terminal is what a terminal shows of the model's frame: the frame
// written through the session's Output, without styles.
func (s *session) terminal() string {
	var out string
	s.inspect(func(m *model) {
		if s.out == nil {
			out = ansi.Strip(m.render())
			return
		}
		s.term.Reset()
		if _, err := s.out.Write([]byte(m.render())); err != nil {
			s.t.Errorf("write the frame: %v", err)
		}
		out = ansi.Strip(s.term.String())
		clear(s.term.Bytes())
	})
	return out
}

// screen is the model's own rendering, without styles.
func (s *session) screen() string {
	var out string
	s.inspect(func(m *model) { out = ansi.Strip(m.render()) })
	return out
}

func (s *session) key(k string) {
	switch k {
	case "enter":
		s.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	case "esc":
		s.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	case "tab":
		s.tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	case "down":
		s.tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	case "right":
		s.tm.Send(tea.KeyPressMsg{Code: tea.KeyRight})
	default:
		s.tm.Type(k)
	}
}

// usersLoaded reports whether the Users view has its first answer.
func (m *model) usersLoaded() bool {
	u, ok := m.top().(*UsersScreen)
	return ok && !u.list.loading && len(u.list.items) > 0
}

// topIs reports the current screen's type.
func topIs[T Screen](m *model) (T, bool) {
	sc, ok := m.top().(T)
	return sc, ok
}

// flashText is the footer's flash.
func (m *model) flashText() string { return m.flash.msg.Text }

// flashFull is the footer's flash with its request id, as the message log
// has it.
func (m *model) flashFull() string { return withRequest(m.flash.msg.Text, m.flash.msg.RequestID) }

// normalise hides what moves with the wall clock (the sandbox dates its
// book from when it is seeded), keeping the layout: the digits of every
// date, time or expiry, even one cut off by a dialog.
func normalise(s string) string {
	tokens := regexp.MustCompile(`[0-9/:\-]+`)
	s = tokens.ReplaceAllStringFunc(s, func(tok string) string {
		if !strings.ContainsAny(tok, "0123456789") || !strings.ContainsAny(tok, "/:-") {
			return tok
		}
		return regexp.MustCompile(`[0-9]`).ReplaceAllString(tok, "#")
	})
	return strings.TrimRight(s, "\n") + "\n"
}
