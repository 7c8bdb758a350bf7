package httpserve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Run serves srv on ln with run beside it (a simulator, a
// pruner) until ctx is done or either fails. It then stops run, shuts the
// server down gracefully — requests in flight finish, within wait — and
// calls after, if any, with the same deadline, for what must close only
// once the requests have drained (a store). stopping, if any, is called
// when ctx ends, to say so.
func Run(ctx context.Context, name string, srv *http.Server, ln net.Listener,
	run func(context.Context) error, wait time.Duration, stopping func(), after func(context.Context) error) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	fresh := TrackFresh(srv)
	errc := make(chan error, 2)
	go func() { errc <- run(runCtx) }()
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("%s: serve: %w", name, err)
			return
		}
		errc <- nil
	}()
	var err error
	select {
	case <-ctx.Done():
		if stopping != nil {
			stopping()
		}
	case err = <-errc:
	}
	cancel()
	// ctx may be done by now; the drain gets a fresh deadline of its own.
	shutdownCtx, done := context.WithTimeout(context.WithoutCancel(ctx), wait)
	defer done()
	if serr := fresh.Shutdown(shutdownCtx); serr != nil && err == nil {
		err = fmt.Errorf("%s: shutdown: %w", name, serr)
	}
	if after != nil {
		if aerr := after(shutdownCtx); aerr != nil && err == nil {
			err = aerr
		}
	}
	return err
}
