package relayserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// opsShutdownWait bounds the operations listener's drain: its requests
// are short reads.
const opsShutdownWait = 5 * time.Second

// serveOps wraps run so that the operations listener (the relay's
// /healthz and /metrics with no token) serves ln while run runs. The
// listener failing ends run; run ending closes the listener.
func serveOps(ln net.Listener, h http.Handler, log *slog.Logger, run func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		srv := &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		served := make(chan error, 1)
		go func() {
			served <- srv.Serve(ln)
			cancel()
		}()
		err := run(ctx)
		shutdownCtx, done := context.WithTimeout(context.WithoutCancel(ctx), opsShutdownWait)
		defer done()
		if serr := srv.Shutdown(shutdownCtx); serr != nil && err == nil {
			err = fmt.Errorf("relay: operations listener: shutdown: %w", serr)
		}
		if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = fmt.Errorf("relay: operations listener: %w", serr)
		}
		return err
	}
}
