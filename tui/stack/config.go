package stack

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/tui/backend"
)

// Config is what a stack runs with. Its fields are the flags of `carddesk
// demo`; the hooks are for benchmarks and tests, and no flag sets them.
type Config struct {
	// Dir holds the relay's database and token and the audit log.
	Dir string
	// Provider is the dialect the sandbox is spoken to in, and whose
	// webhooks reach the relay: vaultspay or vydapay.
	Provider string
	Rate     float64 // simulated authorisations per second
	Seed     int64   // the sandbox's book and simulator
	// RateLimit is the sandbox's requests per minute per key (0: its
	// default, 100; negative: none).
	RateLimit int
	Faults    string // the fault-injecting front's rules, as --faults takes them
	Drift     bool   // the sandbox serves what its references lack
	// Logger is the backend's; nil discards.
	Logger *slog.Logger

	// WrapSandbox, when set, wraps the sandbox's HTTP handler: a benchmark
	// counts the requests that reach it.
	WrapSandbox func(http.Handler) http.Handler
	// WrapFeed, when set, wraps the relay subscription before the backend
	// reads it, until ctx ends: a benchmark counts the events delivered.
	WrapFeed func(ctx context.Context, sub backend.RelayFeed) backend.RelayFeed
}

// Validate checks what demo, serve --demo and the benchmarks share. Its
// messages name the flags that set each field.
func (c Config) Validate() error {
	if c.Provider != vaultspay.Provider && c.Provider != vydapay.Provider {
		return fmt.Errorf("--provider %q: want vaultspay or vydapay", c.Provider)
	}
	if c.Rate < 0 {
		return fmt.Errorf("--rate %v: must be zero or more", c.Rate)
	}
	if _, err := faults.Parse(c.Faults); err != nil {
		return fmt.Errorf("--faults: %w", err)
	}
	return nil
}
