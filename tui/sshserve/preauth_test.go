package sshserve

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// A connection that never speaks is closed once the handshake timeout
// passes; before, 3,000 of them were held for 15 minutes each.
func TestSilentConnectionTimesOut(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.HandshakeTimeout = 300 * time.Millisecond })
	c := rawDial(t, e.addr, "127.0.0.1")
	if !greeted(t, c) {
		t.Fatal("the server did not greet a new connection")
	}
	if !closedByServer(c) {
		t.Fatal("a connection that never started its handshake is still open")
	}
}

// Connections still in their handshake are capped per address, at
// accept: beyond the cap a connection from that address is closed before
// the server says a word, while an agent from another address gets in.
func TestUnauthenticatedCapPerAddress(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxUnauthenticatedPerAddr = 3 })
	for i := range 3 {
		if !greeted(t, rawDial(t, e.addr, "127.0.0.2")) {
			t.Fatalf("silent connection %d was refused; the cap is 3", i+1)
		}
	}
	if greeted(t, rawDial(t, e.addr, "127.0.0.2")) {
		t.Fatal("a fourth silent connection from one address was greeted")
	}
	cl, err := e.dialFrom("127.0.0.1", gossh.PublicKeys(e.signers["alice"]))
	if err != nil {
		t.Fatalf("an agent from another address was locked out: %v", err)
	}
	cl.Close()
}

// When every pre-authentication slot is taken, from however many
// addresses, a new connection takes the slot of the one that has waited
// longest, which is closed: silent connections cannot lock an agent out.
func TestUnauthenticatedCapInAll(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxUnauthenticated, c.MaxUnauthenticatedPerAddr = 4, 2 })
	var held []net.Conn
	for i, ip := range []string{"127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.4"} {
		c := rawDial(t, e.addr, ip)
		if !greeted(t, c) {
			t.Fatalf("silent connection %d from %s was refused; the cap is 4", i+1, ip)
		}
		held = append(held, c)
	}
	cl, err := e.dialFrom("127.0.0.5", gossh.PublicKeys(e.signers["alice"]))
	if err != nil {
		t.Fatalf("an agent was locked out by silent connections: %v", err)
	}
	cl.Close()
	if !closedByServer(held[0]) {
		t.Error("the oldest silent connection was not closed to make room")
	}
	if e.srv.gate.unauthenticated() > 4 {
		t.Errorf("%d connections hold pre-authentication slots; the cap is 4", e.srv.gate.unauthenticated())
	}
}

// A connection that authenticated gives its slot back: an agent's own
// connections never count against the cap.
func TestAuthenticatedConnectionsFreeTheirSlot(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxUnauthenticatedPerAddr = 2 })
	for i := range 4 {
		cl, err := e.dial(gossh.PublicKeys(e.signers["alice"]))
		if err != nil {
			t.Fatalf("connection %d: %v", i+1, err)
		}
		t.Cleanup(func() { cl.Close() })
	}
	for i := range 2 {
		if !greeted(t, rawDial(t, e.addr, "127.0.0.1")) {
			t.Fatalf("silent connection %d refused while only authenticated ones are open", i+1)
		}
	}
}

// New connections beyond the per-address rate are closed at accept, before
// any SSH is spoken (the limit used to run only once a key was accepted).
func TestConnectionRateAtAccept(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.ConnRate = 0.001; c.ConnBurst = 2 })
	for i := range 2 {
		if !greeted(t, rawDial(t, e.addr, "127.0.0.1")) {
			t.Fatalf("connection %d within the burst was refused", i+1)
		}
	}
	if greeted(t, rawDial(t, e.addr, "127.0.0.1")) {
		t.Fatal("a connection beyond the rate was greeted")
	}
	if !greeted(t, rawDial(t, e.addr, "127.0.0.2")) {
		t.Fatal("another address was refused: the rate is per address")
	}
}

// A failed authentication is logged with the user name and the offered
// key's fingerprint, escapes stripped; a flood of them is logged at a
// bounded rate, saying how many lines were left out.
func TestFailedAuthenticationLogged(t *testing.T) {
	var logs logBuffer
	e := newTestEnv(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		c.ConnRate, c.ConnBurst = 1000, 1000
	})
	stranger := newSigner(t)
	_, err := gossh.Dial("tcp", e.addr, &gossh.ClientConfig{
		User: "mallory\x1b]52;c;aGk=\x07", Auth: []gossh.AuthMethod{gossh.PublicKeys(stranger)},
		HostKeyCallback: gossh.FixedHostKey(e.hostPub), Timeout: waitLimit,
	})
	if err == nil {
		t.Fatal("a stranger's key was accepted")
	}
	line := logs.await(t, "ssh authentication failed")
	for _, want := range []string{gossh.FingerprintSHA256(stranger.PublicKey()), "mallory", "publickey"} {
		if !strings.Contains(line, want) {
			t.Errorf("the log line lacks %q:\n%s", want, line)
		}
	}
	if strings.ContainsRune(line, 0x1b) {
		t.Errorf("the log line holds an escape: %q", line)
	}

	start := time.Now()
	const floods = 60
	for range floods {
		if _, err := e.dial(gossh.PublicKeys(stranger)); err == nil {
			t.Fatal("a stranger's key was accepted")
		}
	}
	e.stop() // every connection has been logged or counted
	elapsed := time.Since(start)
	if got := logs.count(t, floods+1); got != floods+1 {
		t.Errorf("%d failed authentications, but %d were logged or counted as left out:\n%s", floods+1, got, logs.String())
	}
	lines := strings.Count(logs.String(), "ssh authentication failed")
	allowed := logBurst + int(math.Ceil(elapsed.Seconds()*logRate)) + 1
	if lines > allowed {
		t.Errorf("%d failed authentications made %d log lines; want at most %d", floods+1, lines, allowed)
	}
	t.Logf("%d failed authentications, %d log lines", floods+1, lines)
}

// rawDial opens a TCP connection to addr from the local address ip.
func rawDial(t *testing.T, addr, ip string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: waitLimit}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", ip, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// greeted reports whether the server sent its SSH version on c, rather
// than closing it unanswered.
func greeted(t *testing.T, c net.Conn) bool {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(waitLimit))
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, 8)
	n, err := io.ReadFull(c, buf)
	if err != nil && n == 0 {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the server neither greeted nor closed the connection within %s", waitLimit)
		}
		return false
	}
	return bytes.HasPrefix(buf[:n], []byte("SSH-2.0"))
}

// closedByServer reads c until the server closes it, for at most waitLimit.
func closedByServer(c net.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(waitLimit))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// dialFrom is dial from the local address ip.
func (e *testEnv) dialFrom(ip string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: waitLimit}
	nc, err := d.Dial("tcp", e.addr)
	if err != nil {
		return nil, err
	}
	cc, chans, reqs, err := gossh.NewClientConn(nc, e.addr, &gossh.ClientConfig{
		User: "support", Auth: auth, HostKeyCallback: gossh.FixedHostKey(e.hostPub), Timeout: waitLimit,
	})
	if err != nil {
		nc.Close()
		return nil, err
	}
	return gossh.NewClient(cc, chans, reqs), nil
}

// logBuffer collects log lines from the server's goroutines.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// count waits until the failed authentications logged plus those counted
// as left out reach want, and returns that sum.
func (l *logBuffer) count(t *testing.T, want int) int {
	t.Helper()
	var n int
	deadline := time.After(waitLimit)
	for {
		l.mu.Lock()
		n = 0
		for line := range strings.Lines(l.buf.String()) {
			if strings.Contains(line, "ssh authentication failed") {
				n++
			}
			if _, rest, ok := strings.Cut(line, "left out at the rate limit\" count="); ok {
				k, _ := strconv.Atoi(strings.TrimSpace(rest))
				n += k
			}
		}
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		if n >= want {
			return n
		}
		select {
		case <-changed:
		case <-deadline:
			return n
		}
	}
}

// await returns the first line holding token, waiting for it.
func (l *logBuffer) await(t *testing.T, token string) string {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		l.mu.Lock()
		for line := range strings.Lines(l.buf.String()) {
			if strings.Contains(line, token) {
				l.mu.Unlock()
				return line
			}
		}
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no %q in the log within %s:\n%s", token, waitLimit, l.String())
		}
	}
}
