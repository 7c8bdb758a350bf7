package tui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// nolossRelay is a relay over one SQLite file, served on one loopback
// address, that the test stops and starts again: the server stopped, the
// relay shut down (its store closed), the same file reopened and a new
// server started on the same address.
type nolossRelay struct {
	path    string
	token   string
	schemes map[string]api.WebhookScheme
	acks    *nolossAcks
	addr    string // fixed by the first start

	// The current incarnation; only the test's goroutine, which runs the
	// chaos, touches these.
	srv    *http.Server
	served chan error
	relay  *live.Relay
	store  *sqlitestore.Store
}

func newNolossRelay(t *testing.T, token string, schemes map[string]api.WebhookScheme) *nolossRelay {
	t.Helper()
	r := &nolossRelay{
		path:    filepath.Join(t.TempDir(), "relay.db"),
		token:   token,
		schemes: schemes,
		acks:    newNolossAcks(schemes),
	}
	if err := r.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// The test is over: no need to wait for a connection that never
		// sent its request (Shutdown gives those 5 s).
		if err := r.halt(ctx, false); err != nil {
			t.Errorf("stop the relay: %v", err)
		}
	})
	return r
}

// URL is the relay's base URL.
func (r *nolossRelay) URL() string { return "http://" + r.addr }

// start opens the store and serves a new relay over it.
func (r *nolossRelay) start(ctx context.Context) error {
	hub := live.NewHub()
	store, err := sqlitestore.Open(ctx, r.path, sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		return fmt.Errorf("start relay: %w", err)
	}
	relay, err := live.NewRelay(live.RelayConfig{Store: store, Hub: hub, Token: r.token, Schemes: r.schemes})
	if err != nil {
		_ = store.Close()
		return fmt.Errorf("start relay: %w", err)
	}
	ln, err := r.listen(ctx)
	if err != nil {
		_ = relay.Shutdown(ctx)
		return fmt.Errorf("start relay: %w", err)
	}
	r.addr = ln.Addr().String()
	r.relay, r.store = relay, store
	r.srv = &http.Server{Handler: r.acks.wrap(relay.Handler()), ReadHeaderTimeout: 10 * time.Second}
	r.served = make(chan error, 1)
	go func(srv *http.Server, served chan<- error) { served <- srv.Serve(ln) }(r.srv, r.served)
	return nil
}

// listen takes the relay's address: any loopback port the first time, the
// same one after. Binding the same port again can fail for a moment while
// the kernel lets go of the last listener; that is retried, briefly.
func (r *nolossRelay) listen(ctx context.Context) (net.Listener, error) {
	if r.addr == "" {
		return net.Listen("tcp", "127.0.0.1:0")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		ln, err := net.Listen("tcp", r.addr)
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) {
			return ln, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("listen on %s again: %w", r.addr, err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// stop stops the server (new connections refused, deliveries in flight
// answered), then the relay (streams told it is going away, store closed).
func (r *nolossRelay) stop(ctx context.Context) error { return r.halt(ctx, true) }

// halt is stop, or without graceful the server's connections are closed
// at once rather than drained.
func (r *nolossRelay) halt(ctx context.Context, graceful bool) error {
	if r.srv == nil {
		return nil
	}
	var errs []error
	if !graceful {
		if err := r.srv.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close relay server: %w", err))
		}
	} else if err := r.srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stop relay server: %w", err))
	}
	if err := <-r.served; !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("relay server: %w", err))
	}
	if err := r.relay.Shutdown(ctx); err != nil {
		errs = append(errs, err)
	}
	r.srv = nil
	return errors.Join(errs...)
}

// records reads every record the store holds, in sequence order.
func (r *nolossRelay) records(ctx context.Context) ([]live.Record, error) {
	var out []live.Record
	var after uint64
	for {
		page, err := r.store.After(ctx, after, sqlitestore.MaxAfter)
		if err != nil {
			return nil, fmt.Errorf("read the relay store after %d: %w", after, err)
		}
		if len(page) == 0 {
			return out, nil
		}
		out = append(out, page...)
		after = page[len(page)-1].Seq
	}
}
