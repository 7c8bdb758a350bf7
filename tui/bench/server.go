package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/sshserve"
	"github.com/carddesk/carddesk/tui/stack"
)

// server is `serve --demo` for a benchmark: the same stack (tui/stack:
// sandbox, simulator, relay, one shared backend) and SSH server, with
// agents whose private keys the benchmark holds, and counters on what
// reaches the sandbox and what the relay delivers.
type server struct {
	addr    string
	hostKey gossh.PublicKey
	agents  []gossh.Signer // agent i's key
	// client talks to the sandbox as the backend does; its requests are
	// counted too.
	client api.Client

	requests atomic.Int64 // HTTP requests that reached the sandbox
	limited  atomic.Int64 // of those, answered 429
	events   atomic.Int64 // events the relay delivered to the backend
}

// serverConfig shapes a server.
type serverConfig struct {
	stack  stack.Config
	agents int          // distinct agents, one key each
	logger *slog.Logger // the server's and the backend's; nil discards
	// warn is told when the stack fails to stop cleanly after use
	// succeeded: the figures stand, so that is no error of the run.
	warn io.Writer
}

// withServer starts the stack and the SSH server on a loopback port,
// runs use, then shuts everything down and removes its temporary state.
// It returns use's error, or the stack's when use never ran.
func withServer(ctx context.Context, cfg serverConfig, use func(context.Context, *server) error) error {
	dir, err := os.MkdirTemp("", "carddesk-bench-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	hostPEM, err := sshserve.LoadOrCreateHostKey(filepath.Join(dir, "ssh_host_ed25519_key"))
	if err != nil {
		return err
	}
	host, err := gossh.ParsePrivateKey(hostPEM)
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	bs := &server{hostKey: host.PublicKey()}
	agents := make([]sshserve.Agent, cfg.agents)
	for i := range agents {
		s, err := newSigner()
		if err != nil {
			return err
		}
		bs.agents = append(bs.agents, s)
		agents[i] = sshserve.Agent{Name: fmt.Sprintf("agent%02d", i+1), Role: backend.RoleAgent, Keys: []gossh.PublicKey{s.PublicKey()}}
	}
	logger := cfg.logger
	sc := cfg.stack
	sc.Dir, sc.Logger = dir, logger
	sc.WrapSandbox = bs.countRequests
	sc.WrapFeed = func(ctx context.Context, sub backend.RelayFeed) backend.RelayFeed {
		return newCountingFeed(ctx, sub, &bs.events)
	}
	measured := false
	err = stack.With(ctx, sc, func(ctx context.Context, r *stack.Running) error {
		bs.client = r.Client
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		b := r.Backend
		sc := sshserve.Config{
			Backend: b, HostKeyPEM: hostPEM, Logger: logger, Agents: agents,
			// Every agent connects from loopback at once: their handshakes
			// are all unauthenticated together, from one address.
			ConnRate: float64(10 * cfg.agents), ConnBurst: 2 * cfg.agents,
			MaxUnauthenticated: 2 * cfg.agents, MaxUnauthenticatedPerAddr: 2 * cfg.agents,
		}
		used := make(chan error, 1)
		started := false
		err := sshserve.ListenAndServe(ctx, sc, "127.0.0.1:0", func(ln net.Listener) {
			started = true
			bs.addr = ln.Addr().String()
			go func() {
				used <- use(ctx, bs)
				cancel()
			}()
		})
		cancel()
		if err != nil {
			err = fmt.Errorf("serve: %w", err)
		}
		if !started {
			return err
		}
		uerr := <-used
		if err != nil {
			return err
		}
		measured = uerr == nil
		return uerr
	})
	if err != nil && measured {
		fmt.Fprintf(cfg.warn, "bench: warning: the in-process stack did not stop cleanly (the figures stand): %v\n",
			strings.ReplaceAll(err.Error(), "\n", "; "))
		return nil
	}
	return err
}

// countRequests wraps the sandbox's handler to count what reaches it.
func (bs *server) countRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bs.requests.Add(1)
		h.ServeHTTP(&statusPeek{ResponseWriter: w, limited: &bs.limited}, r)
	})
}

// statusPeek counts 429 answers as they are written.
type statusPeek struct {
	http.ResponseWriter
	limited *atomic.Int64
}

func (s *statusPeek) WriteHeader(code int) {
	if code == http.StatusTooManyRequests {
		s.limited.Add(1)
	}
	s.ResponseWriter.WriteHeader(code)
}

func newSigner() (gossh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate agent key: %w", err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("agent key: %w", err)
	}
	return s, nil
}
