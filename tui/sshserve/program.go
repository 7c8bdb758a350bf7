package sshserve

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"

	"github.com/carddesk/carddesk/tui"
)

// program builds one session's dashboard: the client's own window size,
// terminal and colour profile (MakeOptions), the session's actor and
// context, and an idle timer that input resets.
func (srv *Server) program(sess ssh.Session) (*tea.Program, *tui.Output) {
	s := srv.reg.get(sess)
	if s == nil {
		return nil, nil // track refused it already
	}
	out := tui.NewOutput(terminal(sess))
	m := tui.New(tui.Options{
		Backend: srv.backend,
		Actor:   s.actor,
		Keys:    srv.keys,
		Screens: tui.LiveScreens,
		Context: s.ctx,
		Now:     srv.now,
		Output:  out,
	})
	timer := time.AfterFunc(srv.idle, func() {
		s.idle.Store(true)
		s.quit()
	})
	context.AfterFunc(s.ctx, func() { timer.Stop() })
	opts := append(bubbletea.MakeOptions(sess),
		tea.WithContext(s.ctx),
		// Replaces MakeOptions' filter, so it keeps its job (a session
		// cannot be suspended) and adds the idle timer's reset.
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			switch msg.(type) {
			case tea.SuspendMsg:
				return tea.ResumeMsg{}
			case tea.KeyPressMsg, tea.MouseMsg, tea.PasteMsg:
				timer.Reset(srv.idle)
			}
			return msg
		}),
	)
	if sess.EmulatedPty() {
		// Replaces MakeOptions' input (the session itself) with one that
		// notices the client closing it.
		opts = append(opts, tea.WithInput(&hangupReader{r: sess, hangup: s.quit}))
	}
	// Replaces MakeOptions' output with the same terminal behind the
	// dashboard's Output.
	opts = append(opts, tea.WithOutput(out))
	p := tea.NewProgram(m, opts...)
	srv.reg.attach(s, p)
	return p, out
}

// terminal is where MakeOptions sends a session's output: the session
// itself, or the server-side PTY when one was allocated.
func terminal(sess ssh.Session) io.Writer {
	if pty, _, ok := sess.Pty(); ok && !sess.EmulatedPty() && pty.Slave != nil {
		return pty.Slave
	}
	return sess
}

// hangupReader is a session's input that ends its dashboard when the
// client closes the session (or its input) while the connection stays up,
// as a multiplexing client does. Bubble Tea takes the end of its input as
// nothing more to read and runs on, so the dashboard would hold its feed
// and Live ring, drawing for nobody, until the idle timer ended it.
type hangupReader struct {
	r      io.Reader
	once   sync.Once
	hangup func()
}

func (h *hangupReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err != nil {
		h.once.Do(h.hangup)
	}
	return n, err
}

// runProgram runs each session's dashboard (built by program) and passes
// the terminal's size changes to it, as wish's bubbletea middleware does,
// but logs through the server's logger and takes a dashboard ended by the
// server (shutdown, idle, the session's end) as the normal end it is.
func (srv *Server) runProgram() wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			p, out := srv.program(sess)
			if p == nil {
				next(sess)
				return
			}
			_, windows, _ := sess.Pty() // requirePTY let only PTY sessions here
			ctx, cancel := context.WithCancel(sess.Context())
			go func() {
				for {
					select {
					case <-ctx.Done():
						p.Quit()
						return
					case w := <-windows:
						p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
					}
				}
			}()
			if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
				srv.log.Warn("dashboard ended with an error", "err", err.Error())
			}
			p.Kill() // restores the terminal if the program failed
			out.Forget()
			cancel()
			next(sess)
		}
	}
}
