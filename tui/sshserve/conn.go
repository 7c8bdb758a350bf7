package sshserve

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// conn is one client connection as the server tracks it. Until it
// authenticates it holds a pre-authentication slot of the gate and must
// finish its handshake by a deadline; once authenticated, it must carry
// traffic (either way) at least once per transport idle period, may hold
// a bounded number of session channels, and is closed when it has run no
// dashboard for the grace period: a connection that authenticates and
// then does nothing, or runs `ssh -N`, does not stay for ever.
//
// The server owns the connection's deadlines: charm.land/ssh's own
// handshake and idle timeouts clear or race on them (it writes a field
// its read loop reads without a lock), so they stay off and SetDeadline
// from the library is ignored.
type conn struct {
	net.Conn
	host    string // the remote host, the gate's unit
	gate    *gate
	idle    time.Duration
	grace   time.Duration
	maxChan int
	log     *ratedLog

	accepted time.Time
	authed   atomic.Bool
	slot     atomic.Bool // holds a pre-authentication slot of the gate

	mu         sync.Mutex
	closed     bool
	channels   int
	dashboards int
	timer      *time.Timer // ends a connection with no dashboard
	auth       authAttempts
	failure    error // why the handshake failed, when it did
}

// Read pushes the transport idle deadline back once authenticated; before
// that, the handshake deadline set at accept stands.
func (c *conn) Read(b []byte) (int, error) {
	if c.authed.Load() {
		_ = c.Conn.SetDeadline(time.Now().Add(c.idle))
	}
	return c.Conn.Read(b)
}

// Write is Read's twin: traffic either way keeps the connection.
func (c *conn) Write(b []byte) (int, error) {
	if c.authed.Load() {
		_ = c.Conn.SetDeadline(time.Now().Add(c.idle))
	}
	return c.Conn.Write(b)
}

// SetDeadline and its kin are the library's: ignored (see conn).
func (c *conn) SetDeadline(time.Time) error      { return nil }
func (c *conn) SetReadDeadline(time.Time) error  { return nil }
func (c *conn) SetWriteDeadline(time.Time) error { return nil }

// Close closes the connection, gives back its pre-authentication slot and
// logs a failed handshake (at a bounded rate). Safe to call more than once.
func (c *conn) Close() error {
	c.mu.Lock()
	first := !c.closed
	c.closed = true
	if c.timer != nil {
		c.timer.Stop()
	}
	auth, failure := c.auth, c.failure
	c.mu.Unlock()
	c.releaseSlot()
	if first && !c.authed.Load() {
		c.logUnauthenticated(auth, failure)
	}
	return c.Conn.Close()
}

func (c *conn) releaseSlot() { c.gate.release(c) }

// authenticated marks the end of a successful handshake: the slot goes
// back to the gate, the handshake deadline gives way to the idle one, and
// the connection has the grace period to start a dashboard.
func (c *conn) authenticated() {
	if c.authed.Swap(true) {
		return
	}
	c.releaseSlot()
	_ = c.Conn.SetDeadline(time.Now().Add(c.idle))
	c.mu.Lock()
	c.armLocked()
	c.mu.Unlock()
}

// armLocked starts the no-dashboard timer if nothing runs.
func (c *conn) armLocked() {
	if c.closed || c.dashboards > 0 {
		return
	}
	if c.timer == nil {
		c.timer = time.AfterFunc(c.grace, c.expire)
		return
	}
	c.timer.Reset(c.grace)
}

// expire closes a connection that still runs no dashboard.
func (c *conn) expire() {
	c.mu.Lock()
	idle := !c.closed && c.dashboards == 0
	c.mu.Unlock()
	if !idle {
		return
	}
	c.log.Info("ssh connection closed: no dashboard", "remote", c.RemoteAddr().String(),
		"grace", c.grace.String())
	_ = c.Close()
}

// openChannel counts a new session channel, or refuses it when the
// connection holds as many as it may.
func (c *conn) openChannel() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.channels >= c.maxChan {
		return false
	}
	c.channels++
	return true
}

// closeChannel forgets a session channel that closed.
func (c *conn) closeChannel() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.channels--
}

// dashboardStarted stops the no-dashboard timer while one runs.
func (c *conn) dashboardStarted() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dashboards++
	if c.timer != nil {
		c.timer.Stop()
	}
}

// dashboardEnded restarts the timer when the last dashboard ended.
func (c *conn) dashboardEnded() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dashboards--
	c.armLocked()
}

// failed records why the handshake failed, for the log line at Close.
func (c *conn) failed(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failure = err
}
