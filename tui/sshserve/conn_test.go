package sshserve

import (
	"errors"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// A connection that runs no dashboard is closed after the grace period,
// however it got there: it never opened a session (ssh -N), it opened one
// and never asked for a shell, or its dashboard ended and it stayed.
func TestConnectionWithoutDashboardIsClosed(t *testing.T) {
	tests := []struct {
		name string
		use  func(t *testing.T, cl *gossh.Client)
	}{
		{"no session", func(*testing.T, *gossh.Client) {}},
		{"session without a shell", func(t *testing.T, cl *gossh.Client) {
			if _, err := cl.NewSession(); err != nil {
				t.Fatalf("session: %v", err)
			}
		}},
		{"dashboard ended", func(t *testing.T, cl *gossh.Client) {
			tm := openTerm(t, cl)
			tm.out.waitFor(t, 0, "Email")
			tm.press(t, "q")
			_ = tm.waitEnd(t)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, func(c *Config) { c.NoDashboardTimeout = 200 * time.Millisecond })
			cl := e.connect(t, "alice")
			tc.use(t, cl)
			ended := make(chan error, 1)
			go func() { ended <- cl.Wait() }()
			select {
			case <-ended:
			case <-time.After(waitLimit):
				t.Fatal("a connection with no dashboard is still open")
			}
		})
	}
}

// A connection running a dashboard is not closed by the grace period.
func TestConnectionWithDashboardStays(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.NoDashboardTimeout = 100 * time.Millisecond })
	cl := e.connect(t, "alice")
	tm := openTerm(t, cl)
	tm.out.waitFor(t, 0, "Email")
	// A round trip on the connection after several grace periods: the
	// dashboard still answers keys.
	time.Sleep(500 * time.Millisecond) // lets the grace period pass five times; nothing is awaited
	m := tm.out.mark()
	tm.press(t, "2")
	tm.out.waitFor(t, m, "Expiry")
}

// One connection holds at most MaxChannelsPerConn session channels, with or
// without a dashboard in them: before, one connection opened 20,000.
func TestChannelsPerConnectionCapped(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxChannelsPerConn = 2 })
	cl := e.connect(t, "alice")
	for i := range 2 {
		if _, err := cl.NewSession(); err != nil {
			t.Fatalf("session %d within the cap: %v", i+1, err)
		}
	}
	_, err := cl.NewSession()
	var open *gossh.OpenChannelError
	if !errors.As(err, &open) || open.Reason != gossh.ResourceShortage {
		t.Fatalf("the third session: err = %v, want a resource shortage", err)
	}
	if !strings.Contains(open.Message, "at most 2 sessions") {
		t.Errorf("the refusal says %q", open.Message)
	}
}

// Requests the server does not serve are refused: agent and X11
// forwarding, environment variables that mean nothing to the dashboard;
// those that shape its drawing are taken.
func TestSessionRequestsRefused(t *testing.T) {
	e := newTestEnv(t, nil)
	cl := e.connect(t, "alice")
	s, err := cl.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	defer s.Close()
	if err := agent.RequestAgentForwarding(s); err == nil {
		t.Error("agent forwarding was accepted")
	}
	if ok, err := s.SendRequest("x11-req", true, gossh.Marshal(struct {
		Single        bool
		Proto, Cookie string
		Screen        uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00", 0})); err != nil || ok {
		t.Errorf("x11 forwarding: ok %v, err %v; want refused", ok, err)
	}
	for _, tc := range []struct {
		key, value string
		ok         bool
	}{
		{"LANG", "en_GB.UTF-8", true},
		{"LC_ALL", "C.UTF-8", true},
		{"COLORTERM", "truecolor", true},
		{"NO_COLOR", "1", true},
		{"LD_PRELOAD", "/tmp/x.so", false},
		{"PATH", "/tmp", false},
		{"LANG", strings.Repeat("x", maxEnvValue+1), false},
	} {
		err := s.Setenv(tc.key, tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("setenv %s: err %v, want accepted %v", tc.key, err, tc.ok)
		}
	}
}

// A session that asks to run a command is told the server runs only the
// dashboard, and exits 1, with or without a terminal; before, the command
// was ignored and the dashboard ran in its place.
func TestCommandsRefused(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, pty := range []bool{false, true} {
		s, err := e.connect(t, "alice").NewSession()
		if err != nil {
			t.Fatalf("session: %v", err)
		}
		if pty {
			if err := s.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
				t.Fatalf("pty: %v", err)
			}
		}
		out, err := s.CombinedOutput("cat /etc/passwd")
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
			t.Errorf("pty %v: err = %v, want exit status 1", pty, err)
		}
		if !strings.Contains(string(out), CommandMessage) {
			t.Errorf("pty %v: output %q lacks %q", pty, out, CommandMessage)
		}
	}
}

// Port forwarding either way and subsystems (sftp) are refused: the
// server is a dashboard, not a hop.
func TestForwardingAndSubsystemsRefused(t *testing.T) {
	e := newTestEnv(t, nil)
	cl := e.connect(t, "alice")
	if c, err := cl.Dial("tcp", e.addr); err == nil {
		c.Close()
		t.Error("a direct-tcpip channel (ssh -L) was opened")
	}
	if ln, err := cl.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
		t.Error("a tcpip-forward (ssh -R) was accepted")
	}
	s, err := cl.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	defer s.Close()
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Error("the sftp subsystem was accepted")
	}
}
