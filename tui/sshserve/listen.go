package sshserve

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// ListenAndServe listens on addr and serves cfg until ctx is done, running
// cfg.Backend beside the server: the backend every session shares starts
// with the server and stops with it. ready is told once the listener is
// open.
func ListenAndServe(ctx context.Context, cfg Config, addr string, ready func(net.Listener)) error {
	srv, err := New(cfg)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	backendDone := make(chan error, 1)
	go func() { backendDone <- cfg.Backend.Run(ctx) }()
	ready(ln)
	err = srv.Serve(ctx, ln)
	cancel()
	if berr := <-backendDone; berr != nil && !errors.Is(berr, context.Canceled) && err == nil {
		err = fmt.Errorf("backend: %w", berr)
	}
	return err
}
