package sandbox

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/api/safetext"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Server is the sandbox issuer: one book per provider and the HTTP faces
// over them.
type Server struct {
	cfg   Config
	log   *slog.Logger
	clock func() time.Time

	vp, vy *issuer
	bus    eventBus
	// drift, when set (Config.Drift), rewrites what the sandbox answers
	// and delivers (see drift.go).
	drift *drift

	keys    map[string]keyInfo
	limiter *rateLimiter
	idem    *idemStore
	routes  []route
	wh      *webhooks // webhook endpoints and delivery

	// panics counts handler panics the recover middleware turned into 500s.
	panics atomic.Int64
}

// New checks cfg, fills in generated keys and secrets, and seeds both books
// deterministically from cfg.Seed.
func New(cfg Config) (*Server, error) {
	if cfg.Start.IsZero() {
		return newServer(cfg, time.Now)
	}
	start, wall := cfg.Start, time.Now()
	return newServer(cfg, func() time.Time { return start.Add(time.Since(wall)) })
}

func newServer(cfg Config, clock func() time.Time) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	// Requests and endpoint URLs are outside input that the log may quote.
	s := &Server{cfg: cfg, log: safetext.MaskingLogger(cfg.Logger), clock: clock}
	seed := uint64(cfg.Seed)
	s.vp = newIssuer(vaultspay.Provider, seed, clock, &s.bus)
	s.vy = newIssuer(vydapay.Provider, seed^0x9e3779b97f4a7c15, clock, &s.bus)
	now := clock().UTC().Truncate(time.Second)
	s.vp.seedBook(now)
	s.vy.seedBook(now)
	if cfg.Drift {
		s.drift = &drift{seed: seed}
		s.vp.drift, s.vy.drift = s.drift, s.drift
	}
	s.keys = map[string]keyInfo{
		cfg.VaultsPayKey:          {provider: vaultspay.Provider, live: cfg.VaultsPayLive || isLive(cfg.VaultsPayKey)},
		cfg.VaultsPayReadOnlyKey:  {provider: vaultspay.Provider, live: cfg.VaultsPayLive || isLive(cfg.VaultsPayReadOnlyKey), readOnly: true},
		cfg.VydapayKey:            {provider: vydapay.Provider, live: isLive(cfg.VydapayKey)},
		cfg.VydapayPublishableKey: {provider: vydapay.Provider, live: isLive(cfg.VydapayPublishableKey), publishable: true},
	}
	s.limiter = newRateLimiter(cfg.RateLimit)
	s.idem = newIdemStore()
	s.routes = s.buildRoutes()
	s.wh = newWebhooks(s)
	s.addEventHook(s.wh.publish)
	return s, nil
}

// Config is the configuration in use, with generated keys and secrets
// filled in.
func (s *Server) Config() Config {
	c := s.cfg
	c.VaultsPayWebhookURLs = append([]string(nil), c.VaultsPayWebhookURLs...)
	c.VydapayWebhookURLs = append([]string(nil), c.VydapayWebhookURLs...)
	return c
}

// Handler serves /vaultspay/v1/... and /vydapay/v1/...
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// Run runs the simulator and webhook delivery until ctx is done; it
// returns nil when ctx is cancelled.
func (s *Server) Run(ctx context.Context) error {
	return s.runWorkers(ctx)
}
