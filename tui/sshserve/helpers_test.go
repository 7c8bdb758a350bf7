package sshserve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// waitLimit bounds every wait for output or an ending.
const waitLimit = 15 * time.Second

// testEnv is a sandbox over real HTTP, a backend over it fed by a relay
// the test drives, and the SSH server, with one key per role.
type testEnv struct {
	addr    string
	hostPub gossh.PublicKey
	backend *backend.Backend
	relay   *fakeRelay
	client  api.Client
	// mutations counts requests that would change the sandbox.
	mutations atomic.Int64
	// reads counts GET requests.
	reads   atomic.Int64
	signers map[string]gossh.Signer // agent name → key
	srv     *Server
	stop    func()
}

// newTestEnv starts everything; adjust may change the server's config.
func newTestEnv(t *testing.T, adjust func(*Config)) *testEnv {
	t.Helper()
	sb, err := sandbox.New(sandbox.Config{Seed: 7, RateLimit: -1})
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	e := &testEnv{relay: &fakeRelay{ch: make(chan []live.Record)}, signers: map[string]gossh.Signer{}}
	h := sb.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			e.mutations.Add(1)
		} else {
			e.reads.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	e.client, err = vaultspay.New(vaultspay.Config{BaseURL: ts.URL + "/vaultspay/v1", Key: sb.Config().VaultsPayKey,
		Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	e.backend = backend.New(backend.Config{Client: e.client, Relay: e.relay})

	var agents []Agent
	for _, a := range []struct {
		name string
		role backend.Role
	}{{"alice", backend.RoleSupervisor}, {"bob", backend.RoleAgent}, {"vic", backend.RoleViewer}} {
		s := newSigner(t)
		e.signers[a.name] = s
		agents = append(agents, Agent{Name: a.name, Role: a.role, Keys: []gossh.PublicKey{s.PublicKey()}})
	}
	hostPEM, err := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host_key"))
	if err != nil {
		t.Fatalf("host key: %v", err)
	}
	hostSigner, err := gossh.ParsePrivateKey(hostPEM)
	if err != nil {
		t.Fatalf("host key: %v", err)
	}
	e.hostPub = hostSigner.PublicKey()
	cfg := Config{Backend: e.backend, Agents: agents, HostKeyPEM: hostPEM, ConnRate: 100, ConnBurst: 100}
	if adjust != nil {
		adjust(&cfg)
	}
	e.srv, e.addr, e.stop = serve(t, cfg)
	return e
}

// serve runs cfg's backend and a server built from cfg on a free loopback
// port until the test ends. It returns the server, its address, and stop,
// which ends both and waits for them.
func serve(t *testing.T, cfg Config) (srv *Server, addr string, stop func()) {
	t.Helper()
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { _ = cfg.Backend.Run(ctx); done <- struct{}{} }()
	go func() { _ = srv.Serve(ctx, ln); done <- struct{}{} }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
			<-done
		})
	}
	t.Cleanup(stop)
	return srv, ln.Addr().String(), stop
}

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dial connects with auth, or returns the handshake's error.
func (e *testEnv) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", e.addr, &gossh.ClientConfig{
		User: "support", Auth: auth, HostKeyCallback: gossh.FixedHostKey(e.hostPub), Timeout: waitLimit,
	})
}

// connect opens a connection as agent; the test fails if it cannot.
func (e *testEnv) connect(t *testing.T, agent string) *gossh.Client {
	t.Helper()
	cl, err := e.dial(gossh.PublicKeys(e.signers[agent]))
	if err != nil {
		t.Fatalf("dial as %s: %v", agent, err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// term is a session with a PTY whose output the test reads.
type term struct {
	sess   *gossh.Session
	in     interface{ Write([]byte) (int, error) }
	out    *output
	screen *vtScreen // what the client's terminal shows
	ended  chan error
}

// openTerm starts a shell with a 120x40 PTY on cl.
func openTerm(t *testing.T, cl *gossh.Client) *term {
	t.Helper()
	return openTermSized(t, cl, 120, 40)
}

// openTermSized starts a shell with a width×height PTY on cl.
func openTermSized(t *testing.T, cl *gossh.Client, width, height int) *term {
	t.Helper()
	s, err := cl.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.RequestPty("xterm-256color", height, width, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	out := newOutput()
	screen := newVTScreen(min(width, MaxColumns), min(height, MaxRows))
	t.Cleanup(func() { screen.Close() })
	s.Stdout, s.Stderr = io.MultiWriter(out, screen), io.MultiWriter(out, screen)
	in, err := s.StdinPipe()
	if err != nil {
		t.Fatalf("stdin: %v", err)
	}
	if err := s.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	tm := &term{sess: s, in: in, out: out, screen: screen, ended: make(chan error, 1)}
	go func() { tm.ended <- s.Wait() }()
	return tm
}

// waitScreen waits until the terminal's screen shows token: for what the
// renderer may draw by changing a few cells of what was there.
func (tm *term) waitScreen(t *testing.T, token string) {
	t.Helper()
	if err := tm.screen.await(fmt.Sprintf("%q on the screen", token), func(s string) bool {
		return strings.Contains(s, token)
	}); err != nil {
		t.Fatal(err)
	}
}

func (tm *term) press(t *testing.T, keys string) {
	t.Helper()
	if _, err := tm.in.Write([]byte(keys)); err != nil {
		t.Fatalf("send %q: %v", keys, err)
	}
}

// waitEnd waits for the session to end and returns its error.
func (tm *term) waitEnd(t *testing.T) error {
	t.Helper()
	select {
	case err := <-tm.ended:
		return err
	case <-time.After(waitLimit):
		t.Fatalf("the session did not end; output so far:\n%s", tm.out.text())
		return nil
	}
}

// output collects what the server sends and wakes waiters on each write.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newOutput() *output { return &output{changed: make(chan struct{})} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(p), nil
}

// text is the output so far with escape sequences removed.
func (o *output) text() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return ansi.Strip(o.buf.String())
}

// mark is how much output there is now, to wait for what comes after.
func (o *output) mark() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Len()
}

// waitFor waits until the output after mark, stripped of escape
// sequences, contains token.
func (o *output) waitFor(t *testing.T, mark int, token string) {
	t.Helper()
	if err := o.await(mark, token); err != nil {
		t.Fatal(err)
	}
}

// await is waitFor for goroutines other than the test's: it returns what
// went wrong.
func (o *output) await(mark int, token string) error {
	deadline := time.After(waitLimit)
	for {
		o.mu.Lock()
		got := ansi.Strip(o.buf.String()[mark:])
		changed := o.changed
		o.mu.Unlock()
		if strings.Contains(got, token) {
			return nil
		}
		select {
		case <-changed:
		case <-deadline:
			return fmt.Errorf("no %q in the output within %s; got:\n%s", token, waitLimit, got)
		}
	}
}

// fakeRelay is a relay feed the test drives.
type fakeRelay struct{ ch chan []live.Record }

func (r *fakeRelay) Events() <-chan []live.Record { return r.ch }
func (r *fakeRelay) State() live.State            { return live.StateLive }
func (r *fakeRelay) Err() error                   { return nil }

func (r *fakeRelay) send(t *testing.T, recs ...live.Record) {
	t.Helper()
	select {
	case r.ch <- recs:
	case <-time.After(waitLimit):
		t.Fatal("the backend did not take the batch")
	}
}
