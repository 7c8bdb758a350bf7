package faults

import (
	"net"
	"net/http"
)

// reset takes the connection from the server and closes it with
// SO_LINGER 0: the kernel sends RST, and the client reads ECONNRESET
// rather than an answer or a clean end of stream. Where the connection
// cannot be taken (HTTP/2), the handler aborts, which ends the stream.
func (f *Front) reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := rawConn(conn).(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// rawConn unwraps a TLS connection to the TCP one beneath it.
func rawConn(c net.Conn) net.Conn {
	if u, ok := c.(interface{ NetConn() net.Conn }); ok {
		return u.NetConn()
	}
	return c
}
