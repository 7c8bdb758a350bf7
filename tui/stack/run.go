package stack

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// Run runs the sandbox's simulator and webhook delivery and the relay's
// background work until ctx is done. Its error is the first of theirs
// that is not ctx's, else ctx's, else nil.
func (st *Stack) Run(ctx context.Context) error {
	done := make(chan error, 2)
	go func() { done <- st.sandbox.Run(ctx) }()
	go func() { done <- st.relay.Run(ctx) }()
	var first error
	for range 2 {
		err := <-done
		switch {
		case err == nil:
		case first == nil, errors.Is(first, context.Canceled) && !errors.Is(err, context.Canceled):
			first = err
		}
	}
	return first
}

// Running is a stack at work, as With hands it over: a client of its
// sandbox, its relay subscription (as Config.WrapFeed left it) and the
// backend over both, auditing into the stack's directory. The backend is
// not running yet: whoever serves it runs it (Backend.Run), as the
// dashboard and the SSH server do.
type Running struct {
	*Stack
	Client  api.Client
	Feed    backend.RelayFeed
	Backend *backend.Backend
}

// With starts the stack, runs it in the background, subscribes to the
// relay's stream, builds a client of the sandbox and the backend over them,
// and calls use. When use returns, it stops the background and shuts the
// stack down, reporting the first failure.
func With(ctx context.Context, cfg Config, use func(context.Context, *Running) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := Start(ctx, cfg)
	if err != nil {
		return err
	}
	background := make(chan error, 1)
	go func() { background <- st.Run(ctx) }()

	sub := st.Subscribe(ctx)
	client, err := st.Client()
	if err == nil {
		err = st.use(ctx, cfg, sub, client, use)
	}
	cancel()
	if berr := <-background; berr != nil && !errors.Is(berr, context.Canceled) && err == nil {
		err = berr
	}
	if serr := st.Shutdown(); serr != nil && err == nil {
		err = serr
	}
	return err
}

// use builds the backend over client and the feed and hands them to use,
// closing the audit log after.
func (st *Stack) use(ctx context.Context, cfg Config, sub backend.RelayFeed, client api.Client, use func(context.Context, *Running) error) error {
	audit, err := backend.OpenAuditLog(filepath.Join(cfg.Dir, "audit.log"))
	if err != nil {
		return err
	}
	defer audit.Close()
	feed := sub
	if cfg.WrapFeed != nil {
		feed = cfg.WrapFeed(ctx, sub)
	}
	b := backend.New(backend.Config{Client: client, Relay: feed, Logger: cfg.Logger, Audit: audit})
	return use(ctx, &Running{Stack: st, Client: client, Feed: feed, Backend: b})
}
