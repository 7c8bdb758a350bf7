package sshserve

import (
	"net"
	"time"

	"charm.land/ssh"
)

// idleConn closes a connection with no traffic either way for idle: every
// read and write pushes its deadline back.
//
// wish.WithIdleTimeout does the same inside charm.land/ssh v0.4.1, but
// there the handshake goroutine writes a field the connection's read loop
// reads without a lock (a data race the race detector reports), so the
// server sets the deadline itself; net.Conn.SetDeadline is safe for
// concurrent use.
type idleConn struct {
	net.Conn
	idle time.Duration
}

func (c idleConn) Read(b []byte) (int, error) {
	_ = c.SetDeadline(time.Now().Add(c.idle))
	return c.Conn.Read(b)
}

func (c idleConn) Write(b []byte) (int, error) {
	_ = c.SetDeadline(time.Now().Add(c.idle))
	return c.Conn.Write(b)
}

// withIdleConn wraps each new connection in an idleConn.
func withIdleConn(idle time.Duration) ssh.Option {
	return func(s *ssh.Server) error {
		s.ConnCallback = func(_ ssh.Context, c net.Conn) net.Conn {
			return idleConn{Conn: c, idle: idle}
		}
		return nil
	}
}
