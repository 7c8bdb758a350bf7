package sshserve

import (
	"errors"
	"fmt"
	"net"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// connKey finds a connection's *conn in its ssh.Context.
type connKey struct{}

// connOf is the connection ctx belongs to, or nil.
func connOf(ctx ssh.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// errEvicted is why a connection still in its handshake was closed to
// make room for a new one.
var errEvicted = errors.New("closed to make room: every unauthenticated slot was taken")

// accept admits a new connection before any SSH is spoken (rate and
// pre-authentication caps), or closes it; an admitted one must finish its
// handshake within HandshakeTimeout.
func (srv *Server) accept(ctx ssh.Context, nc net.Conn) net.Conn {
	c := &conn{
		Conn:     nc,
		accepted: time.Now(),
		host:     hostOf(nc.RemoteAddr()),
		gate:     srv.gate,
		idle:     srv.idle + transportSlack,
		grace:    srv.cfg.NoDashboardTimeout,
		maxChan:  srv.cfg.MaxChannelsPerConn,
		log:      srv.strange,
	}
	evicted, why, ok := srv.gate.admit(c)
	if !ok {
		srv.strange.Info("ssh connection refused", "remote", nc.RemoteAddr().String(), "why", string(why))
		return nil // charm.land/ssh closes it
	}
	if evicted != nil {
		evicted.failed(errEvicted)
		_ = evicted.Close()
	}
	_ = nc.SetDeadline(time.Now().Add(srv.cfg.HandshakeTimeout))
	ctx.SetValue(connKey{}, c)
	return c
}

// serverConfig is each connection's handshake configuration: its
// authentication attempts are recorded, and a success ends its
// pre-authentication stage.
func (srv *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	c := connOf(ctx)
	return &gossh.ServerConfig{
		AuthLogCallback: func(md gossh.ConnMetadata, method string, err error) {
			if c == nil {
				return
			}
			if err == nil {
				c.authenticated()
				return
			}
			c.attempt(md.User(), method)
		},
	}
}

// pendingConn is the tracked connection behind the one charm.land/ssh
// reports a failed handshake on.
func (srv *Server) pendingConn(nc net.Conn) *conn {
	return srv.gate.pendingConn(nc.RemoteAddr().String())
}

// sessionChannel opens a session channel within the connection's cap, its
// requests filtered (see requestFilter), and runs charm.land/ssh's session
// handler on it.
func (srv *Server) sessionChannel(s *ssh.Server, sc *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	c := connOf(ctx)
	if c == nil {
		_ = nc.Reject(gossh.Prohibited, "carddesk: connection not tracked")
		return
	}
	if !c.openChannel() {
		_ = nc.Reject(gossh.ResourceShortage,
			fmt.Sprintf("carddesk: at most %d sessions on one connection", c.maxChan))
		return
	}
	defer c.closeChannel()
	ssh.DefaultSessionHandler(s, sc, filteredChannel{NewChannel: nc}, ctx)
}
