package sshserve

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// A revealed card number does not outlive its dialog in the serving
// process's memory. A supervisor reveals a card over SSH, the dialog
// closes (esc; for a second reveal, the countdown; for a third, the client
// hangs up), and each time the child process that serves the dashboard —
// a `carddesk serve` in all but its configuration — collects its garbage
// and searches all its writable memory for the number (countInMemory).
//
// The child runs twice. Plainly, the count includes memory the Go runtime
// has freed but not yet reused or returned to the system: it is not zeroed.
// With GODEBUG=clobberfree=1 the runtime overwrites each object it frees,
// so what is still found is held by something live.
//
// Live, nothing may hold the number once the dialog has closed. Freed, a
// reveal may leave maxFreedPerReveal copies: the frame that first draws
// the digits is copied twice by the SSH library's PTY writer
// (bytes.ReplaceAll of its newlines) after Output has put them in, and
// those copies are garbage nobody can wipe. Before the number was kept out
// of the frames, a reveal left 14 to 24 copies, one or two of them live.
//
// When the client hangs up with the number on show, the dashboard ends
// without its dialog closing: Output.Forget wipes the values. The frame
// that drew them stays in one live place: x/crypto/ssh keeps each
// channel's last packet in a buffer it reuses, and the SSH server keeps the
// session, its channel with it, in the connection's context until the
// connection closes; no write can reach a channel the client has closed.
// The test keeps its connection open, so that copy is allowed for.
func TestRevealedNumberLeavesMemory(t *testing.T) {
	if inMemChild() {
		runMemChild(t)
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/mem")
	}
	sb, err := sandbox.New(sandbox.Config{Seed: 7, RateLimit: -1})
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	ts := httptest.NewServer(sb.Handler())
	t.Cleanup(ts.Close)
	base, key := ts.URL+"/vaultspay/v1", sb.Config().VaultsPayKey
	client, err := vaultspay.New(vaultspay.Config{BaseURL: base, Key: key, Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := client.ListCards(context.Background(), api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: 1}})
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("list cards: %v (%d)", err, len(p.Items))
	}
	card := p.Items[0]
	secrets, err := client.RevealCard(context.Background(), card.ID, "the test needs to know what to look for")
	if err != nil {
		t.Fatalf("reveal in the test: %v", err)
	}
	n := memNumber{encoded: encodeDigits(secrets.Number), grouped: groupedDigits(secrets.Number), lastFour: card.LastFour}
	secrets.Wipe()

	for _, mode := range []memMode{{name: "plain"}, {name: "clobberfree", godebug: "clobberfree=1"}} {
		t.Run(mode.name, func(t *testing.T) {
			r := measureReveal(t, mode, base, key, card.ID, n)
			t.Logf("copies of the number in the serving process (%s): before any reveal %d; dialog open %d; "+
				"after esc %d; after a second reveal's countdown %d; after a third reveal's session ended %d",
				mode.name, r.before.total, r.shown.total, r.afterEsc.total, r.afterCountdown.total, r.afterHangup.total)
			for _, s := range []memSample{r.before, r.shown, r.afterEsc, r.afterCountdown, r.afterHangup} {
				t.Logf("%s: %s", s.when, s.summary)
				for _, h := range s.hits {
					t.Logf("  %s", h)
				}
			}
			if r.before.total != 0 {
				t.Errorf("%d copies before any reveal: the search finds something else", r.before.total)
			}
			if r.shown.total == 0 {
				t.Error("no copy while the dialog shows the number: the search cannot see this process's memory")
			}
			for _, c := range []struct {
				s       memSample
				reveals int // so far
				kept    int // live copies the SSH library keeps
			}{{r.afterEsc, 1, 0}, {r.afterCountdown, 2, 0}, {r.afterHangup, 3, 1}} {
				limit := c.kept
				if !mode.live() {
					limit += c.reveals * maxFreedPerReveal
				}
				if c.s.total > limit {
					t.Errorf("%s, %d copies of the number remain in the serving process (%s), want at most %d",
						c.s.when, c.s.total, mode.name, limit)
				}
			}
		})
	}
}

// maxFreedPerReveal bounds the copies a reveal may leave in freed memory
// (see TestRevealedNumberLeavesMemory).
const maxFreedPerReveal = 2

// memMode is how the child runs.
type memMode struct {
	name    string
	godebug string // added to GODEBUG
}

// live reports whether the child's count leaves freed memory out.
func (m memMode) live() bool { return strings.Contains(m.godebug, "clobberfree=1") }

// memNumber is the number the test looks for, as the child is told it
// (encoded) and as the screen shows it (grouped).
type memNumber struct {
	encoded, grouped, lastFour string
}

// encodeDigits writes each digit d as the letter 'a'+d (see countInMemory).
func encodeDigits(digits []byte) string {
	b := make([]byte, len(digits))
	for i, d := range digits {
		b[i] = 'a' + d - '0'
	}
	return string(b)
}

// groupedDigits is the number in groups of four, as the dialog shows it.
func groupedDigits(digits []byte) string {
	var sb strings.Builder
	for i, d := range digits {
		if i > 0 && i%4 == 0 {
			sb.WriteByte(' ')
		}
		sb.WriteByte(d)
	}
	return sb.String()
}

// memSample is one count by the child.
type memSample struct {
	when    string
	total   int
	summary string
	hits    []string
}

// memRun is the counts of one child.
type memRun struct {
	before, shown, afterEsc, afterCountdown, afterHangup memSample
}

// measureReveal starts a child in mode, reveals the card twice over SSH
// and has the child count the copies at each step.
func measureReveal(t *testing.T, mode memMode, base, key, cardID string, n memNumber) memRun {
	t.Helper()
	dir := t.TempDir()
	hostPath := filepath.Join(dir, "host_key")
	hostPEM, err := LoadOrCreateHostKey(hostPath)
	if err != nil {
		t.Fatalf("host key: %v", err)
	}
	hostSigner, err := gossh.ParsePrivateKey(hostPEM)
	if err != nil {
		t.Fatal(err)
	}
	agent := newSigner(t)
	child := startMemChild(t, mode, []string{
		memAPIEnv + "=" + base, memKeyEnv + "=" + key, memHostEnv + "=" + hostPath,
		memAgentEnv + "=" + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(agent.PublicKey()))),
	})
	cl, err := gossh.Dial("tcp", child.addr, &gossh.ClientConfig{User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(agent)},
		HostKeyCallback: gossh.FixedHostKey(hostSigner.PublicKey()), Timeout: waitLimit})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { cl.Close() })
	scr, keys, hangup := openScreen(t, cl, 120, 40)
	await := func(what string, cond func(string) bool) {
		t.Helper()
		if err := scr.await(what, cond); err != nil {
			t.Fatal(err)
		}
	}
	press := func(s string) {
		t.Helper()
		if _, err := keys.Write([]byte(s)); err != nil {
			t.Fatalf("send keys: %v", err)
		}
	}
	has := func(words ...string) func(string) bool {
		return func(s string) bool {
			for _, w := range words {
				if !strings.Contains(s, w) {
					return false
				}
			}
			return true
		}
	}
	hidden := func(s string) bool { return !strings.Contains(s, "Hides in") && !strings.Contains(s, n.grouped) }
	reveal := func(reason string) {
		t.Helper()
		press("r")
		await("the reveal dialog", has("Reason:"))
		press(reason + "\r")
		await("the revealed number", has("Hides in", n.grouped))
	}

	var r memRun
	await("the dashboard", has("Email"))
	r.before = child.count(t, "before any reveal", n.encoded)
	press(":card " + cardID + "\r")
	await("the card", has("Transactions", n.lastFour))
	reveal("caller verified by security questions")
	r.shown = child.count(t, "dialog open", n.encoded)
	press("\x1b")
	await("the dialog to close on esc", hidden)
	r.afterEsc = child.count(t, "after esc", n.encoded)
	reveal("cardholder asked again")
	child.ask(t, "advance 31s", "advanced")
	await("the countdown to hide the number", func(s string) bool { return hidden(s) && strings.Contains(s, "details hidden") })
	r.afterCountdown = child.count(t, "after the countdown", n.encoded)
	reveal("the line dropped, calling back")
	hangup()
	child.ask(t, "closed", "closed")
	r.afterHangup = child.count(t, "after the session ended with the number on show", n.encoded)
	return r
}

// openScreen starts a shell with a width×height PTY on cl whose output an
// emulated terminal shows; keys go to its input, and hangup closes it.
func openScreen(t *testing.T, cl *gossh.Client, width, height int) (_ *vtScreen, keys io.Writer, hangup func()) {
	t.Helper()
	s, err := cl.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.RequestPty("xterm-256color", height, width, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	scr := newVTScreen(width, height)
	t.Cleanup(func() { scr.Close() })
	s.Stdout = scr
	in, err := s.StdinPipe()
	if err != nil {
		t.Fatalf("stdin: %v", err)
	}
	if err := s.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	return scr, in, func() { s.Close() }
}
