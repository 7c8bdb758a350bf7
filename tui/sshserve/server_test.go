package sshserve

import (
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// An authorised key gets its own dashboard, with its agent and role in the
// header, and drives it.
func TestAuthorisedKeyGetsDashboard(t *testing.T) {
	e := newTestEnv(t, nil)
	tests := []struct{ agent, role string }{
		{"alice", "supervisor"}, {"vic", "viewer"},
	}
	for _, tc := range tests {
		t.Run(tc.agent, func(t *testing.T) {
			tm := openTerm(t, e.connect(t, tc.agent))
			tm.out.waitFor(t, 0, "Email") // the Users table
			tm.out.waitFor(t, 0, tc.agent)
			tm.out.waitFor(t, 0, tc.role)
			m := tm.out.mark()
			tm.press(t, "2")
			tm.out.waitFor(t, m, "Expiry") // the Cards table
			tm.press(t, "q")
			if err := tm.waitEnd(t); err != nil {
				t.Errorf("quitting ended the session with %v", err)
			}
		})
	}
}

// Only the configured keys, by public key, get in: not an unknown key, not
// a password, not keyboard-interactive, and not a client that offers an
// agent's public key but signs with another private key.
func TestAuthRefusals(t *testing.T) {
	e := newTestEnv(t, nil)
	stranger := newSigner(t)
	tests := []struct {
		name string
		auth []gossh.AuthMethod
		// want is in the error; a bad signature ends the handshake
		// without an authentication reply, so any error does.
		want string
	}{
		{"unknown key", []gossh.AuthMethod{gossh.PublicKeys(stranger)}, "unable to authenticate"},
		{"password", []gossh.AuthMethod{gossh.Password("alice")}, "unable to authenticate"},
		{"keyboard-interactive", []gossh.AuthMethod{gossh.KeyboardInteractive(
			func(string, string, []string, []bool) ([]string, error) { return []string{"alice"}, nil })}, "unable to authenticate"},
		{"offers alice's key, signs with another", []gossh.AuthMethod{gossh.PublicKeys(
			mismatchedSigner{pub: e.signers["alice"].PublicKey(), priv: stranger})}, ""},
		{"no auth at all", nil, "unable to authenticate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cl, err := e.dial(tc.auth...)
			if err == nil {
				cl.Close()
				t.Fatal("the connection was accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// mismatchedSigner presents one public key and signs with another key.
type mismatchedSigner struct {
	pub  gossh.PublicKey
	priv gossh.Signer
}

func (s mismatchedSigner) PublicKey() gossh.PublicKey { return s.pub }
func (s mismatchedSigner) Sign(r io.Reader, data []byte) (*gossh.Signature, error) {
	return s.priv.Sign(r, data)
}

// A session without a PTY is told to use ssh -t and exits 1.
func TestNoPTYRefused(t *testing.T) {
	e := newTestEnv(t, nil)
	s, err := e.connect(t, "alice").NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	defer s.Close()
	out, err := s.CombinedOutput("")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("err = %v, want exit status 1", err)
	}
	if !strings.Contains(string(out), NoPTYMessage) {
		t.Errorf("output %q lacks %q", out, NoPTYMessage)
	}
}

// A viewer's freeze is refused: the dashboard says why, and the backend
// refuses it where it executes, so nothing reaches the sandbox.
func TestViewerCannotFreeze(t *testing.T) {
	e := newTestEnv(t, nil)
	tm := openTerm(t, e.connect(t, "vic"))
	tm.out.waitFor(t, 0, "Email")
	m := tm.out.mark()
	tm.press(t, "2")
	tm.out.waitFor(t, m, "active")
	m = tm.out.mark()
	tm.press(t, "f")
	tm.out.waitFor(t, m, "cannot freeze")

	card := firstCard(t, e)
	viewer := backend.Actor{Agent: "vic", Session: "s1", Role: backend.RoleViewer}
	if _, err := e.backend.Freeze(context.Background(), viewer, card.ID); err == nil {
		t.Error("the backend froze a card for a viewer")
	}
	if n := e.mutations.Load(); n != 0 {
		t.Errorf("%d mutating requests reached the sandbox", n)
	}
}

func firstCard(t *testing.T, e *testEnv) api.Card {
	t.Helper()
	p, err := e.client.ListCards(context.Background(), api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: 1}})
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("list cards: %v (%d)", err, len(p.Items))
	}
	return p.Items[0]
}

// Two agents' sessions both show an event the relay delivers once.
func TestSessionsShareLiveEvents(t *testing.T) {
	e := newTestEnv(t, nil)
	card := firstCard(t, e)
	var terms []*term
	for _, agent := range []string{"alice", "bob"} {
		tm := openTerm(t, e.connect(t, agent))
		tm.out.waitFor(t, 0, "Email")
		tm.press(t, "3")
		tm.out.waitFor(t, 0, "Merchant") // the Live table
		terms = append(terms, tm)
	}
	marks := []int{terms[0].out.mark(), terms[1].out.mark()}
	now := time.Now()
	ev := api.Event{ID: "evt_ssh_shared", Provider: "vaultspay", Type: api.EventTxAuthorized, CreatedAt: now,
		Transaction: &api.Transaction{ID: "txn_ssh_shared", CardID: card.ID, UserID: card.UserID,
			Amount: api.Money{Amount: 1234, Currency: "USD"}, Status: api.TxPending, Type: api.TxPurchase,
			Merchant: api.Merchant{Name: "Zephyr Kiosk", Category: "5812"}, CreatedAt: now}}
	rec, err := live.NewRecord(ev, now)
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	rec.Seq = 1
	e.relay.send(t, rec)
	for i, tm := range terms {
		tm.out.waitFor(t, marks[i], "Zephyr Kiosk")
	}
}

// A session with no input for the idle timeout is told and disconnected.
func TestIdleTimeout(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.IdleTimeout = 300 * time.Millisecond })
	tm := openTerm(t, e.connect(t, "alice"))
	tm.waitEnd(t)
	if got := tm.out.text(); !strings.Contains(got, "no input for 300ms; disconnected") {
		t.Errorf("the idle session was not told why; output ends:\n%s", tail(got))
	}
}

// An agent's session beyond the cap is refused with a message; the
// others' sessions are unaffected, and closing one frees a place.
func TestSessionCap(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxSessionsPerAgent = 2 })
	cl := e.connect(t, "bob")
	first := openTerm(t, cl)
	first.out.waitFor(t, 0, "Email")
	second := openTerm(t, e.connect(t, "bob"))
	second.out.waitFor(t, 0, "Email")

	third := openTerm(t, cl)
	err := third.waitEnd(t)
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("the third session ended with %v, want exit status 1", err)
	}
	third.out.waitFor(t, 0, "already has 2 carddesk sessions open")

	other := openTerm(t, e.connect(t, "alice"))
	other.out.waitFor(t, 0, "Email")

	first.press(t, "q")
	first.waitEnd(t)
	again := openTerm(t, cl)
	again.out.waitFor(t, 0, "Email")
}

// Shutting the server down tells connected agents and ends their sessions.
func TestShutdownTellsAgents(t *testing.T) {
	e := newTestEnv(t, nil)
	tm := openTerm(t, e.connect(t, "alice"))
	tm.out.waitFor(t, 0, "Email")
	m := tm.out.mark()
	go e.stop()
	tm.waitEnd(t)
	tm.out.waitFor(t, m, ShutdownMessage)
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// A supervisor terminates a card over SSH: find it by its last four, type
// them again in the dialog, pick a reason, press Terminate. The sandbox has
// it terminated after exactly one mutating request.
func TestSupervisorTerminatesOverSSH(t *testing.T) {
	e := newTestEnv(t, nil)
	card := firstCard(t, e)
	tm := openTerm(t, e.connect(t, "alice"))
	tm.out.waitFor(t, 0, "Email")
	m := tm.out.mark()
	tm.press(t, "2")
	tm.out.waitFor(t, m, "Expiry")
	tm.press(t, "/")
	tm.press(t, card.LastFour+"\r")
	tm.waitScreen(t, "1 card")
	m = tm.out.mark()
	tm.press(t, "\r")
	tm.out.waitFor(t, m, "Transactions")
	m = tm.out.mark()
	tm.press(t, "t")
	tm.out.waitFor(t, m, "Last four")
	tm.press(t, card.LastFour)
	tm.press(t, "\x1b[B") // down: "stolen"
	tm.press(t, "\r")     // pick it; the buttons come next with No focused
	tm.press(t, "\x1b[C") // right: Terminate
	m = tm.out.mark()
	tm.press(t, "\r")
	tm.out.waitFor(t, m, "terminated")

	got, err := e.client.GetCard(context.Background(), card.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != api.CardTerminated {
		t.Errorf("the sandbox has the card %s, want terminated", got.Status)
	}
	if n := e.mutations.Load(); n != 1 {
		t.Errorf("%d mutating requests reached the sandbox, want the terminate alone", n)
	}
}

// A server stopped as soon as it starts stops cleanly: its shutdown waits
// until the library has registered the listener (it raced on the
// library's wait group, and could leave the listener open).
func TestServeStoppedAtOnce(t *testing.T) {
	e := newTestEnv(t, nil)
	hostPEM, err := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host_key"))
	if err != nil {
		t.Fatal(err)
	}
	for range 30 {
		srv, err := New(Config{Backend: e.backend, HostKeyPEM: hostPEM,
			Agents: []Agent{{Name: "alice", Role: backend.RoleSupervisor, Keys: []gossh.PublicKey{e.signers["alice"].PublicKey()}}}})
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := srv.Serve(ctx, ln); err != nil {
			t.Fatalf("serve: %v", err)
		}
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			c.Close()
			t.Fatal("the listener is still open after Serve returned")
		}
	}
}
