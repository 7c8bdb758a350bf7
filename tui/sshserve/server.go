package sshserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/ratelimiter"
	"golang.org/x/time/rate"

	"github.com/carddesk/carddesk/api/safetext"
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
	// DefaultHandshakeTimeout is how long a connection has from accept to
	// authenticated.
	DefaultHandshakeTimeout = 20 * time.Second
	// DefaultMaxUnauthenticated caps the connections still in their
	// handshake, in all and from one address.
	DefaultMaxUnauthenticated        = 64
	DefaultMaxUnauthenticatedPerAddr = 8
	// DefaultNoDashboardTimeout is how long an authenticated connection may
	// stay without running a dashboard.
	DefaultNoDashboardTimeout = 30 * time.Second
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
	// ConnRate and ConnBurst limit new connections per remote IP at accept
	// time, and new sessions per remote IP (two token buckets). 0 → 1/s,
	// burst 10.
	ConnRate  float64
	ConnBurst int
	// HandshakeTimeout closes a connection not authenticated this long
	// after it was accepted. 0 → 20s.
	HandshakeTimeout time.Duration
	// MaxUnauthenticated and MaxUnauthenticatedPerAddr refuse, at accept,
	// a connection beyond this many still in their handshake, in all and
	// from its remote IP. 0 → 64 and 8.
	MaxUnauthenticated        int
	MaxUnauthenticatedPerAddr int
	// NoDashboardTimeout closes an authenticated connection that has run no
	// dashboard for this long (ssh -N, a client that stops after
	// authenticating, a multiplexing master left behind). 0 → 30s.
	NoDashboardTimeout time.Duration
	// MaxChannelsPerConn refuses a connection's next session channel while
	// it holds this many. 0 → MaxSessionsPerAgent.
	MaxChannelsPerConn int
	// ShutdownWait is how long connected agents get to leave once the
	// server stops, before their connections are closed. 0 → 5s.
	ShutdownWait time.Duration
	Keys         *tui.KeyMap  // nil → the default keymap
	Logger       *slog.Logger // nil → discard
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
	log     *slog.Logger
	strange *ratedLog // what strangers can make the server log
	idle    time.Duration
	wait    time.Duration
	newID   func() string
	now     func() time.Time
	reg     *registry
	ssh     *ssh.Server
	limiter ratelimiter.RateLimiter
	gate    *gate
	cfg     Config
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
		log:     cfg.Logger,
		strange: newRatedLog(cfg.Logger),
		idle:    cfg.IdleTimeout,
		wait:    cfg.ShutdownWait,
		newID:   cfg.NewSessionID,
		now:     cfg.Now,
		reg:     newRegistry(cfg.MaxSessionsPerAgent),
		limiter: ratelimiter.NewRateLimiter(rate.Limit(cfg.ConnRate), cfg.ConnBurst, maxTrackedAddrs),
		gate:    newGate(cfg),
		cfg:     cfg,
	}
	s, err := wish.NewServer(
		wish.WithHostKeyPEM(cfg.HostKeyPEM),
		// Public keys only: no password or keyboard-interactive handler
		// exists, so those methods always fail.
		wish.WithPublicKeyAuth(func(ctx ssh.Context, k ssh.PublicKey) bool {
			if c := connOf(ctx); c != nil {
				c.offered(k)
			}
			_, ok := agents.lookup(k)
			return ok
		}),
		// The last one listed runs first.
		wish.WithMiddleware(
			srv.runProgram(),
			srv.track(),
			requirePTY(),
			refuseCommands(),
			ratelimiter.Middleware(srv.limiter),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("sshserve: %w", err)
	}
	s.ConnCallback = srv.accept
	s.ServerConfigCallback = srv.serverConfig
	s.ConnectionFailedCallback = func(c net.Conn, err error) {
		if cc := srv.pendingConn(c); cc != nil {
			cc.failed(err)
		}
	}
	s.ChannelHandlers = map[string]ssh.ChannelHandler{"session": srv.sessionChannel}
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
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.MaxUnauthenticated <= 0 {
		c.MaxUnauthenticated = DefaultMaxUnauthenticated
	}
	if c.MaxUnauthenticatedPerAddr <= 0 {
		c.MaxUnauthenticatedPerAddr = DefaultMaxUnauthenticatedPerAddr
	}
	if c.NoDashboardTimeout <= 0 {
		c.NoDashboardTimeout = DefaultNoDashboardTimeout
	}
	if c.MaxChannelsPerConn <= 0 {
		c.MaxChannelsPerConn = c.MaxSessionsPerAgent
	}
	if c.Keys == nil {
		c.Keys = tui.DefaultKeyMap()
	}
	// What a client sends (a user name, a disconnect reason) reaches the
	// log: no escape or card number may.
	c.Logger = safetext.MaskingLogger(c.Logger)
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
	accepting := &acceptingListener{Listener: ln, accepting: make(chan struct{})}
	go func() { errc <- srv.ssh.Serve(accepting) }()
	var err error
	// Shutdown must not begin before charm.land/ssh's Serve has registered
	// its listener: it would race on the library's wait group and leave the
	// listener open. Serve registers it before its first Accept.
	select {
	case <-accepting.accepting:
	case err = <-errc:
	}
	if err == nil {
		select {
		case <-ctx.Done():
		case err = <-errc:
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, ssh.ErrServerClosed):
		err = nil
	default:
		err = fmt.Errorf("ssh serve: %w", err)
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

// acceptingListener tells when its first Accept is called: by then
// charm.land/ssh's Serve has registered it.
type acceptingListener struct {
	net.Listener
	once      sync.Once
	accepting chan struct{}
}

func (l *acceptingListener) Accept() (net.Conn, error) {
	l.once.Do(func() { close(l.accepting) })
	return l.Listener.Accept()
}
