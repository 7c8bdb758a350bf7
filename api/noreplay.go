package api

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http/httptrace"
	"sync/atomic"
)

// errReplayStopped ends an attempt whose connection broke and which
// net/http was about to send again on a connection of its own choosing.
var errReplayStopped = errors.New("the connection broke before the answer")

// oneRequestPerAttempt keeps an attempt to one request on the wire. When a
// reused HTTP/1.1 connection breaks before the answer, http.Transport sends
// a GET, or a request carrying an Idempotency-Key, again by itself on
// another connection (its documented retry), outside MaxAttempts and the
// backoff between attempts: under a storm of connection resets a provider
// would see more attempts than the client allows. The returned context
// closes any second HTTP/1.1 connection the attempt is handed before a
// byte is written to it and ends the attempt with errReplayStopped, so
// that Do decides on the retry within its budget. stopped reports whether
// it did. HTTP/2 is left alone: it only retries requests the server
// refused unprocessed, and its connections are shared.
func oneRequestPerAttempt(ctx context.Context) (_ context.Context, stopped func() bool) {
	ctx, cancel := context.WithCancelCause(ctx)
	var conns, stop atomic.Int32
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if conns.Add(1) == 1 || isHTTP2(info) {
			return
		}
		stop.Store(1)
		cancel(errReplayStopped)
		_ = info.Conn.Close()
	}}
	return httptrace.WithClientTrace(ctx, trace), func() bool { return stop.Load() == 1 }
}

// isHTTP2 says whether the connection speaks HTTP/2 (negotiated over TLS).
func isHTTP2(info httptrace.GotConnInfo) bool {
	tc, ok := info.Conn.(interface{ ConnectionState() tls.ConnectionState })
	return ok && tc.ConnectionState().NegotiatedProtocol == "h2"
}
