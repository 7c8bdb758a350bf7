package backend

import (
	"context"
	"sync"
)

// flights lets identical reads in flight at once go to the provider once:
// the first caller starts the fetch, later callers with the same key wait
// for its answer. The fetch runs on its own context, which keeps the first
// caller's values but is cancelled only when every waiter has gone, so one
// session closing does not fail the read for the others.
type flights struct {
	mu    sync.Mutex
	calls map[string]*flight
}

type flight struct {
	done    chan struct{}
	val     any
	err     error
	waiters int
	cancel  context.CancelFunc
}

// do runs fn once for all concurrent callers with the same key. fn's answer
// reaches every waiter; a waiter whose ctx ends gets ctx's error.
func (g *flights) do(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	g.mu.Lock()
	f, ok := g.calls[key]
	if !ok {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel}
		g.calls[key] = f
		go g.run(fctx, key, f, fn)
	}
	f.waiters++
	g.mu.Unlock()

	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		g.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			// Nobody wants the answer any more: stop the fetch, and let the
			// next caller start afresh rather than join a cancelled one.
			f.cancel()
			g.forget(key, f)
		}
		g.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (g *flights) run(ctx context.Context, key string, f *flight, fn func(context.Context) (any, error)) {
	defer f.cancel()
	val, err := fn(ctx)
	g.mu.Lock()
	f.val, f.err = val, err
	g.forget(key, f)
	g.mu.Unlock()
	close(f.done)
}

// forget removes f if it is still the flight for key; g.mu is held.
func (g *flights) forget(key string, f *flight) {
	if g.calls[key] == f {
		delete(g.calls, key)
	}
}

// shared is do with the answer's type restored.
func shared[T any](ctx context.Context, g *flights, key string, fn func(context.Context) (T, error)) (T, error) {
	v, err := g.do(ctx, key, func(ctx context.Context) (any, error) { return fn(ctx) })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
