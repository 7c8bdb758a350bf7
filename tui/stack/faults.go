package stack

import (
	"log/slog"
	"net/http"

	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/sandbox/faults"
)

// WithFaults puts a fault-injecting front before the sandbox's handler next
// when there are rules, seeded like the sandbox (cfg). stop ends the front's
// holds, so that a shutdown need not wait them out; it is nil without rules.
// `carddesk sandbox` puts the same front before the sandbox it serves alone.
func WithFaults(next http.Handler, rules []faults.Rule, cfg sandbox.Config, log *slog.Logger) (h http.Handler, stop func(), err error) {
	if len(rules) == 0 {
		return next, nil, nil
	}
	front, err := faults.New(next, faults.Config{Rules: rules, Seed: cfg.Seed, RateLimit: max(cfg.RateLimit, 0), Logger: log})
	if err != nil {
		return nil, nil, err
	}
	return front, front.Close, nil
}
