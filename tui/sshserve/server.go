package sshserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/ratelimiter"
	"golang.org/x/time/rate"

	"github.com/carddesk/carddesk/tui"
	"github.com/carddesk/carddesk/tui/backend"
)

// Defaults for Config's zero values.
const (
	DefaultIdleTimeout         = 15 * time.Minute
	DefaultMaxSessionsPerAgent = 3
	DefaultConnRate            = 1.0 // new sessions per second per remote IP
	DefaultConnBurst           = 10
	DefaultShutdownWait        = 5 * time.Second
	// transportSlack is how much longer the connection-level idle timeout
	// is than the input one, so that an idle agent is told why first.
	transportSlack = 30 * time.Second
)

// Config configures a Server. Backend, Agents and HostKeyPEM are required.
type Config struct {
	// Backend is shared by every session. The caller runs it (Backend.Run).
	Backend *backend.Backend
	Agents  []Agent
	// HostKeyPEM is the server's private host key (LoadOrCreateHostKey).
	HostKeyPEM []byte
	// IdleTimeout ends a session with no keyboard or mouse input for this
	// long. 0 → 15m.
	IdleTimeout time.Duration
	// MaxSessionsPerAgent refuses an agent's next session while this many
	// are open. 0 → 3.
	MaxSessionsPerAgent int
	// ConnRate and ConnBurst limit new sessions per remote IP (a token
	// bucket). 0 → 1/s, burst 10.
	ConnRate  float64
	ConnBurst int
	// ShutdownWait is how long connected agents get to leave once the
	// server stops, before their connections are closed. 0 → 5s.
	ShutdownWait time.Duration
	Keys         *tui.KeyMap // nil → the default keymap
	// AuditLog reads the latest audit entries for the :audit screen; nil
	// says it is not available.
	AuditLog func(limit int) ([]backend.AuditEntry, error)
	Logger   *slog.Logger // nil → discard
	// NewSessionID names sessions; nil → random ids.
	NewSessionID func() string
	// Now is every session's clock (the reveal countdown, the decline
	// statistics); nil → time.Now. Tests move it on.
	Now func() time.Time
}

// Server is the SSH server. Serve it once.
type Server struct {
	backend *backend.Backend
	agents  roster
	keys    *tui.KeyMap
	audit   func(limit int) ([]backend.AuditEntry, error)
	log     *slog.Logger
	idle    time.Duration
	wait    time.Duration
	newID   func() string
	now     func() time.Time
	reg     *registry
	ssh     *ssh.Server
	limiter ratelimiter.RateLimiter
}

// New checks cfg and builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.Backend == nil {
		return nil, errors.New("sshserve: no backend")
	}
	if len(cfg.HostKeyPEM) == 0 {
		return nil, errors.New("sshserve: no host key")
	}
	agents := roster(cfg.Agents)
	if err := agents.check(); err != nil {
		return nil, fmt.Errorf("sshserve: %w", err)
	}
	cfg = cfg.withDefaults()
	srv := &Server{
		backend: cfg.Backend,
		agents:  agents,
		keys:    cfg.Keys,
		audit:   cfg.AuditLog,
		log:     cfg.Logger,
		idle:    cfg.IdleTimeout,
		wait:    cfg.ShutdownWait,
		newID:   cfg.NewSessionID,
		now:     cfg.Now,
		reg:     newRegistry(cfg.MaxSessionsPerAgent),
		limiter: ratelimiter.NewRateLimiter(rate.Limit(cfg.ConnRate), cfg.ConnBurst, 4096),
	}
	s, err := wish.NewServer(
		wish.WithHostKeyPEM(cfg.HostKeyPEM),
		// Public keys only: no password or keyboard-interactive handler
		// exists, so those methods always fail.
		wish.WithPublicKeyAuth(func(_ ssh.Context, k ssh.PublicKey) bool {
			_, ok := agents.lookup(k)
			return ok
		}),
		withIdleConn(cfg.IdleTimeout+transportSlack),
		// The last one listed runs first.
		wish.WithMiddleware(
			srv.runProgram(),
			srv.track(),
			requirePTY(),
			ratelimiter.Middleware(srv.limiter),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("sshserve: %w", err)
	}
	s.ConnectionFailedCallback = func(c net.Conn, err error) {
		srv.log.Info("ssh connection refused", "remote", c.RemoteAddr().String(), "error", err.Error())
	}
	srv.ssh = s
	return srv, nil
}

func (c Config) withDefaults() Config {
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.MaxSessionsPerAgent <= 0 {
		c.MaxSessionsPerAgent = DefaultMaxSessionsPerAgent
	}
	if c.ConnRate <= 0 {
		c.ConnRate = DefaultConnRate
	}
	if c.ConnBurst <= 0 {
		c.ConnBurst = DefaultConnBurst
	}
	if c.ShutdownWait <= 0 {
		c.ShutdownWait = DefaultShutdownWait
	}
	if c.Keys == nil {
		c.Keys = tui.DefaultKeyMap()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.NewSessionID == nil {
		c.NewSessionID = newSessionID
	}
	return c
}

// Serve accepts agents on ln until ctx is done. It then tells every
// connected agent the server is shutting down, ends their dashboards, waits
// up to ShutdownWait for them to leave and closes what remains.
func (srv *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ssh.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		if errors.Is(err, ssh.ErrServerClosed) {
			err = nil
		} else {
			err = fmt.Errorf("ssh serve: %w", err)
		}
	}
	srv.reg.shutdown()
	wait, done := context.WithTimeout(context.WithoutCancel(ctx), srv.wait)
	defer done()
	if serr := srv.ssh.Shutdown(wait); serr != nil && !errors.Is(serr, context.DeadlineExceeded) && err == nil {
		err = fmt.Errorf("ssh shutdown: %w", serr)
	}
	srv.reg.cancelAll()
	_ = srv.ssh.Close()
	return err
}
