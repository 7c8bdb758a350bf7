package sshserve

import (
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/tui/backend"
)

// NoPTYMessage is what a session without a terminal is told before it is
// closed with exit status 1.
const NoPTYMessage = "carddesk needs an interactive terminal (ssh -t)"

// ShutdownMessage is what connected agents are told when the server stops.
const ShutdownMessage = "carddesk is shutting down"

// CommandMessage is what a session that asks to run a command is told
// before it is closed with exit status 1.
const CommandMessage = "carddesk runs only its dashboard, not commands: connect with ssh -t and no command"

// refuseCommands ends a session that asked to run a command (ssh host
// cmd) rather than a shell: it says so instead of running the dashboard
// in place of the command.
func refuseCommands() wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			if sess.RawCommand() != "" {
				wish.Fatalln(sess, CommandMessage)
				return
			}
			next(sess)
		}
	}
}

// requirePTY ends sessions with no terminal. It is activeterm's check with
// a message that says what to do about it.
func requirePTY() wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			if _, _, ok := sess.Pty(); !ok {
				wish.Println(sess, NoPTYMessage)
				_ = sess.Exit(1)
				return
			}
			next(sess)
		}
	}
}

// track identifies the agent from the key the connection authenticated
// with, enforces the per-agent session cap, registers the session for the
// program handler and for shutdown, runs the rest, then says why the
// session ended when the server ended it.
func (srv *Server) track() wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			// The key the handshake verified, not one merely offered to the
			// auth callback: a client may offer keys it cannot sign with.
			key := sess.PublicKey()
			agent, ok := srv.agents.lookup(key)
			if !ok {
				wish.Fatalln(sess, "carddesk: this key is not an agent's")
				return
			}
			actor := backend.Actor{
				Agent:       agent.Name,
				Fingerprint: gossh.FingerprintSHA256(key),
				Session:     srv.newID(),
				Role:        agent.Role,
			}
			s, err := srv.reg.open(sess, actor)
			if err != nil {
				wish.Fatalln(sess, "carddesk: "+err.Error())
				return
			}
			if c := connOf(sess.Context()); c != nil {
				c.dashboardStarted()
				defer c.dashboardEnded()
			}
			srv.log.Info("ssh session opened", "agent", actor.Agent, "role", actor.Role,
				"fingerprint", actor.Fingerprint, "session", actor.Session, "remote", sess.RemoteAddr().String())
			start := time.Now()
			next(sess)
			srv.reg.close(sess)
			reason := "ended"
			switch {
			case s.idle.Load():
				reason = "idle"
				wish.Printf(sess, "carddesk: no input for %s; disconnected\r\n", srv.idle)
			case srv.reg.isClosing():
				reason = "shutdown"
				wish.Println(sess, ShutdownMessage)
			}
			srv.log.Info("ssh session closed", "agent", actor.Agent, "session", actor.Session,
				"reason", reason, "duration", time.Since(start).Round(time.Second).String())
			_ = sess.Exit(0)
		}
	}
}
