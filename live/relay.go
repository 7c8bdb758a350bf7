package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// DefaultPruneEvery is how often Run applies the retention by default.
const DefaultPruneEvery = time.Hour

// RelayConfig assembles a relay. The store must hand its commits to the
// hub: open it with the hub's Publish as its commit hook (for SQLite,
// sqlitestore.Options{OnCommit: hub.Publish}), so that every event reaches
// the hub in sequence order before its POST is answered.
type RelayConfig struct {
	Store Store
	Hub   *Hub
	// Schemes verify each provider's webhooks, keyed by provider name
	// ("vaultspay", "vydapay"); a provider without one gets 404.
	Schemes        map[string]api.WebhookScheme
	Token          string   // bearer token of GET /v1/stream
	AllowedOrigins []string // browser origins allowed on the stream
	Logger         *slog.Logger
	Retention      Retention
	PruneEvery     time.Duration    // 0 → DefaultPruneEvery
	Now            func() time.Time // nil → time.Now; checks webhook timestamps and stamps ReceivedAt
	QueueSize      int              // per-subscriber live queue in records; 0 → the stream's default
	PingInterval   time.Duration    // 0 → the stream's default
}

// Relay is the assembled relay: webhook intake, stream, health and metrics
// over one store and one hub.
type Relay struct {
	cfg     RelayConfig
	intake  *intake
	stream  *StreamHandler
	m       *metrics
	handler http.Handler
	ops     http.Handler

	mu       sync.Mutex
	stopped  bool
	runs     sync.WaitGroup
	stopCtx  context.Context // done once Shutdown begins: ends Run
	stopRuns context.CancelFunc
}

// NewRelay checks cfg and builds the relay.
func NewRelay(cfg RelayConfig) (*Relay, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("relay: no store")
	case cfg.Hub == nil:
		return nil, errors.New("relay: no hub")
	case len(cfg.Schemes) == 0:
		return nil, errors.New("relay: no webhook scheme: configure at least one provider's secret")
	case cfg.Token == "":
		return nil, errors.New("relay: no stream token")
	case cfg.PruneEvery < 0:
		return nil, fmt.Errorf("relay: prune interval %v: must not be negative", cfg.PruneEvery)
	}
	for name, s := range cfg.Schemes {
		if s == nil || s.Provider() != name {
			return nil, fmt.Errorf("relay: webhook scheme for %q does not verify that provider", name)
		}
	}
	// Webhooks are outside input and their ids and errors are logged:
	// masked whatever handler the caller chose.
	cfg.Logger = safetext.MaskingLogger(cfg.Logger)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PruneEvery == 0 {
		cfg.PruneEvery = DefaultPruneEvery
	}
	r := &Relay{cfg: cfg}
	r.stopCtx, r.stopRuns = context.WithCancel(context.Background())
	probe := &healthProbe{store: cfg.Store, now: cfg.Now, log: cfg.Logger}
	r.m = newMetrics(cfg.Hub.Subscribers, probe.current)
	refused := newRefusals(cfg.Now, cfg.Logger)
	r.intake = &intake{store: cfg.Store, schemes: cfg.Schemes, now: cfg.Now, maxAge: cfg.Retention.MaxAge, m: r.m, log: cfg.Logger, refused: refused}
	r.stream = NewStreamHandler(StreamConfig{
		Hub:            cfg.Hub,
		Store:          cfg.Store,
		Token:          cfg.Token,
		AllowedOrigins: cfg.AllowedOrigins,
		QueueSize:      cfg.QueueSize,
		PingInterval:   cfg.PingInterval,
		Logger:         cfg.Logger,
		OnSend:         r.m.observeSend,
		OnBehind:       r.m.behind.Inc,
	})
	h := health{probe: probe, subscribers: cfg.Hub.Subscribers, lastEvent: r.m.lastEventAt, refused: refused.lastHour}
	open, guarded := h, h
	guarded.token = cfg.Token

	mux := http.NewServeMux()
	mux.Handle("/webhooks/{provider}", r.intake)
	mux.Handle("/v1/stream", r.stream)
	mux.Handle("/healthz", &guarded)
	mux.Handle("/metrics", requireToken(cfg.Token, r.m.handler()))
	mux.HandleFunc("/", notFound)
	r.handler = mux

	ops := http.NewServeMux()
	ops.Handle("/healthz", &open)
	ops.Handle("/metrics", r.m.handler())
	ops.HandleFunc("/", notFound)
	r.ops = ops
	return r, nil
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusNotFound, "not found")
}

// Handler serves the relay to providers and dashboards: POST
// /webhooks/{provider}, GET /v1/stream, and for load balancers GET /healthz,
// which tells its counts (and /metrics, which it serves) only to requests
// with the stream's bearer token; without it /healthz says only "ok" or
// "degraded".
func (r *Relay) Handler() http.Handler { return r.handler }

// OpsHandler serves GET /healthz and GET /metrics in full with no token,
// for an operations listener that only operators reach (loopback by
// default in `carddesk relay`).
func (r *Relay) OpsHandler() http.Handler { return r.ops }

// Run applies the retention now and every PruneEvery until ctx is done or
// Shutdown begins. It returns nil then.
func (r *Relay) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return nil
	}
	r.runs.Add(1)
	r.mu.Unlock()
	defer r.runs.Done()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(r.stopCtx, cancel)()

	if sh, err := r.cfg.Store.Health(ctx); err == nil && !sh.LastEventAt.IsZero() {
		r.m.markLastEvent(sh.LastEventAt)
	}
	tick := time.NewTicker(r.cfg.PruneEvery)
	defer tick.Stop()
	for {
		r.prune(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func (r *Relay) prune(ctx context.Context) {
	if r.cfg.Retention == (Retention{}) {
		return
	}
	n, err := r.cfg.Store.Prune(ctx, r.cfg.Retention, r.cfg.Now())
	switch {
	case err != nil && ctx.Err() == nil:
		r.cfg.Logger.Warn("prune relay store", "err", err)
	case n > 0:
		r.cfg.Logger.Info("pruned relay store", "events", n)
	}
}

// Shutdown stops the relay: new webhook deliveries get 503 (the provider
// retries them), the ones in flight finish, stream subscribers are told
// the relay is going away, and the store is closed. Run returns. Stop the
// http.Server first (its Shutdown stops new connections and drains
// in-flight requests; the stream's hijacked connections are the relay's
// to close).
func (r *Relay) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return errors.New("relay: already shut down")
	}
	r.stopped = true
	r.mu.Unlock()
	r.stopRuns()

	var errs []error
	if !r.intake.drain(ctx.Done()) {
		errs = append(errs, fmt.Errorf("relay shutdown: drain webhook deliveries: %w", ctx.Err()))
	}
	if err := r.stream.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("relay shutdown: close streams: %w", err))
	}
	r.runs.Wait() // Run returns promptly once stopCtx is done
	if err := r.cfg.Store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("relay shutdown: close store: %w", err))
	}
	return errors.Join(errs...)
}
