package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// sshSession is an agent's SSH session with the dashboard.
type sshSession struct {
	*Term
	client *gossh.Client
}

// dial connects to bs as agent i and opens the dashboard in a w×h
// PTY.
func dial(ctx context.Context, bs *server, agent, w, h int) (*sshSession, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", bs.addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", bs.addr, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, chans, reqs, err := gossh.NewClientConn(conn, bs.addr, &gossh.ClientConfig{
		User:            fmt.Sprintf("agent%02d", agent+1),
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(bs.agents[agent])},
		HostKeyCallback: gossh.FixedHostKey(bs.hostKey),
	})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("ssh handshake: %w", err)
	}
	client := gossh.NewClient(c, chans, reqs)
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("ssh session: %w", err)
	}
	fail := func(what string, err error) (*sshSession, error) {
		client.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := sess.RequestPty(TermType, h, w, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		return fail("request a PTY", err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		return fail("stdin", err)
	}
	t := &sshSession{Term: NewTerm(in, w, h), client: client}
	sess.Stdout, sess.Stderr = t.Term, io.Discard
	if err := sess.Shell(); err != nil {
		return fail("start the dashboard", err)
	}
	go func() { t.end(sess.Wait()) }()
	return t, nil
}

// quitWait bounds how long a session gets to end after the quit key
// before its connection is closed under it.
const quitWait = 5 * time.Second

// close quits the dashboard and closes the connection.
func (t *sshSession) close() {
	if t.press("q") == nil {
		select {
		case <-t.ended:
		case <-time.After(quitWait):
		}
	}
	t.client.Close()
}
