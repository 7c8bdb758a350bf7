package httpserve

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// FreshConns tracks the connections of an http.Server that have not yet
// sent a request. http.Server.Shutdown counts such a connection idle only
// after five seconds, so a client that dialled a spare keep-alive
// connection (Go's transport does) holds every shutdown for that long.
// Closing them loses nothing: no request was read from them, and a client
// whose request was on its way sees the connection close before any answer
// and tries again.
type FreshConns struct {
	srv     *http.Server
	mu      sync.Mutex
	closing bool
	conns   map[net.Conn]struct{}
}

// TrackFresh installs the tracker on srv, keeping any ConnState hook srv
// already has. Call it before srv serves.
func TrackFresh(srv *http.Server) *FreshConns {
	f := &FreshConns{srv: srv, conns: make(map[net.Conn]struct{})}
	next := srv.ConnState
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		f.observe(c, st)
		if next != nil {
			next(c, st)
		}
	}
	return f
}

func (f *FreshConns) observe(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st != http.StateNew {
		delete(f.conns, c)
		return
	}
	if f.closing {
		_ = c.Close()
		return
	}
	f.conns[c] = struct{}{}
}

// Shutdown closes the connections that have sent nothing, then shuts the
// server down gracefully: requests in flight finish within ctx.
func (f *FreshConns) Shutdown(ctx context.Context) error {
	f.mu.Lock()
	f.closing = true
	for c := range f.conns {
		_ = c.Close()
	}
	clear(f.conns)
	f.mu.Unlock()
	return f.srv.Shutdown(ctx)
}
