package backend

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Backend is the one per process that every session shares. It is safe for
// concurrent use; Run drives its live parts.
type Backend struct {
	client api.Client
	// monitor is the background lane's client: a key of its own, or nil
	// for client's.
	monitor  api.Client
	relay    RelayFeed
	audit    Auditor
	log      *slog.Logger
	now      func() time.Time
	ping     time.Duration
	provider string
	caps     api.Capabilities

	cache   *cache
	flights flights
	locks   cardLocks // one change at a time per card
	finder  finder    // the cards of live rows, looked up in the background
	feeds   feedSet
	health  healthState
	running atomic.Bool
	// lastSeq is the last relay sequence applied, in the relay store
	// epoch names; only Run touches them.
	lastSeq uint64
	epoch   string
	// onPing, when set (by tests), is told after each scheduled API check.
	onPing func()

	// underWay are the attempts recorded and not yet ended, for ReadAudit.
	underWay attempts
}

// New returns a Backend over cfg.Client. A nil Client is a programming
// error and panics.
func New(cfg Config) *Backend {
	if cfg.Client == nil {
		panic("backend.New: Config.Client is nil")
	}
	cfg = cfg.withDefaults()
	return &Backend{
		client:   cfg.Client,
		monitor:  cfg.Monitor,
		relay:    cfg.Relay,
		audit:    cfg.Audit,
		log:      cfg.Logger,
		now:      cfg.Now,
		ping:     cfg.PingEvery,
		provider: cfg.Client.Provider(),
		caps:     cfg.Client.Capabilities(),
		cache:    newCache(cfg.CacheTTL, cfg.Now),
		flights:  flights{calls: map[string]*flight{}},
		feeds:    feedSet{feeds: map[*Feed]struct{}{}},
		finder:   newFinder(),
	}
}

// Provider is the provider's name ("vaultspay", "vydapay").
func (b *Backend) Provider() string { return b.provider }

// Mode says whether the API key moves real money, as the provider last
// said: api.ModeUnknown until it has (VaultsPay says in its ping, which
// Run sends at once).
func (b *Backend) Mode() api.Mode { return b.client.Mode() }

// Capabilities says what the provider can do.
func (b *Backend) Capabilities() api.Capabilities { return b.caps }
