package sshserve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// The process whose memory is searched for a revealed number holds what a
// `carddesk serve` process holds — the VaultsPay client, the backend, the
// SSH server and its dashboards — and nothing else: the sandbox that
// issued the card and the SSH client that shows it run in the parent, the
// test, which drives this child through its standard input.

// What the parent hands its child, in the environment.
const (
	memChildEnv   = "CARDDESK_REVEALMEM_CHILD" // set: this process is the child
	memAPIEnv     = "CARDDESK_REVEALMEM_API"   // the sandbox's VaultsPay base URL
	memKeyEnv     = "CARDDESK_REVEALMEM_KEY"   // its API key
	memHostEnv    = "CARDDESK_REVEALMEM_HOST"  // the host key's file
	memAgentEnv   = "CARDDESK_REVEALMEM_AGENT" // the supervisor's public key, authorized_keys form
	memLinePrefix = "revealmem: "              // the child's answers on its standard output
)

func inMemChild() bool { return os.Getenv(memChildEnv) != "" }

// runMemChild serves the dashboard over SSH and answers the parent's
// lines: "count <encoded number>" settles memory and counts the copies
// (see countInMemory); "advance <duration>" moves the sessions' clock on;
// "closed" waits for the server to have closed a session. It ends when its
// standard input does.
func runMemChild(t *testing.T) {
	client, err := vaultspay.New(vaultspay.Config{BaseURL: os.Getenv(memAPIEnv), Key: os.Getenv(memKeyEnv),
		Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	agentKey, _, _, _, err := gossh.ParseAuthorizedKey([]byte(os.Getenv(memAgentEnv)))
	if err != nil {
		t.Fatalf("agent key: %v", err)
	}
	hostPEM, err := os.ReadFile(os.Getenv(memHostEnv))
	if err != nil {
		t.Fatalf("host key: %v", err)
	}
	clock := &offsetClock{}
	closed := make(chan struct{}, 16)
	_, addr, stop := serve(t, Config{
		Logger:     slog.New(closedHandler{closed}),
		Backend:    backend.New(backend.Config{Client: client, Relay: &fakeRelay{ch: make(chan []live.Record)}}),
		Agents:     []Agent{{Name: "alice", Role: backend.RoleSupervisor, Keys: []gossh.PublicKey{agentKey}}},
		HostKeyPEM: hostPEM,
		Now:        clock.now,
	})
	defer stop()
	fmt.Printf("%slistening %s\n", memLinePrefix, addr)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		verb, arg, _ := strings.Cut(in.Text(), " ")
		switch verb {
		case "count":
			settleMemory()
			c, err := countInMemory(arg)
			if err != nil {
				fmt.Printf("%serror %v\n", memLinePrefix, err)
				continue
			}
			for _, h := range c.hits {
				fmt.Printf("%shit %s at %#x in %s: %q\n", memLinePrefix, h.form, h.addr, h.region, h.around)
			}
			fmt.Printf("%scount %d %s (%d MiB in %d regions, %d unreadable)\n", memLinePrefix,
				c.total(), c.byForm(), c.scanned>>20, c.regions, c.skipped)
		case "closed":
			select {
			case <-closed:
				fmt.Printf("%sclosed\n", memLinePrefix)
			case <-time.After(waitLimit):
				fmt.Printf("%serror no session closed within %s\n", memLinePrefix, waitLimit)
			}
		case "advance":
			d, err := time.ParseDuration(arg)
			if err != nil {
				fmt.Printf("%serror %v\n", memLinePrefix, err)
				continue
			}
			clock.advance(d)
			fmt.Printf("%sadvanced\n", memLinePrefix)
		default:
			fmt.Printf("%serror unknown command %q\n", memLinePrefix, verb)
		}
	}
}

// closedHandler is a logger that only tells when the server has closed a
// session: it logs that once the session's dashboard has ended.
type closedHandler struct{ closed chan<- struct{} }

func (h closedHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h closedHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h closedHandler) WithGroup(string) slog.Handler            { return h }

func (h closedHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "ssh session closed" {
		h.closed <- struct{}{}
	}
	return nil
}

// offsetClock is the wall clock moved on by what advance added.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// memChild is the serving process, driven through its standard input.
type memChild struct {
	addr  string
	in    io.WriteCloser
	lines chan string // its answers, without memLinePrefix
	other []string    // the rest of its output, read once lines is closed
}

// startMemChild runs this test again in a child process of this test
// binary (built the same, with or without the race detector).
func startMemChild(t *testing.T, mode memMode, env []string) *memChild {
	t.Helper()
	args := []string{"-test.run=^TestRevealedNumberLeavesMemory$", "-test.count=1"}
	if d, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(d).Round(time.Second).String())
	}
	// Not under t.Context(): that ends before the cleanup below, which
	// lets the child finish by closing its input.
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), memChildEnv+"=1"), env...)
	if mode.godebug != "" {
		cmd.Env = append(cmd.Env, "GODEBUG="+strings.Trim(os.Getenv("GODEBUG")+","+mode.godebug, ","))
	}
	cmd.Stderr = os.Stderr // a panic's trace
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the serving process: %v", err)
	}
	c := &memChild{in: in, lines: make(chan string, 1024)}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), memLinePrefix); ok {
				c.lines <- rest
			} else {
				c.other = append(c.other, sc.Text())
			}
		}
	}()
	t.Cleanup(func() {
		in.Close()
		stuck := time.AfterFunc(2*waitLimit, func() { _ = cmd.Process.Kill() })
		defer stuck.Stop()
		for range c.lines {
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("the serving process: %v; its output:\n%s", err, strings.Join(c.other, "\n"))
		}
	})
	c.addr = strings.TrimPrefix(c.next(t), "listening ")
	return c
}

// next is the child's next answer.
func (c *memChild) next(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-c.lines:
		if !ok {
			t.Fatal("the serving process ended")
		}
		if rest, ok := strings.CutPrefix(l, "error "); ok {
			t.Fatalf("the serving process: %s", rest)
		}
		return l
	case <-time.After(2 * waitLimit):
		t.Fatal("the serving process did not answer")
		return ""
	}
}

// ask sends a command and returns the answers up to the one starting with
// final.
func (c *memChild) ask(t *testing.T, command, final string) []string {
	t.Helper()
	if _, err := fmt.Fprintln(c.in, command); err != nil {
		t.Fatalf("tell the serving process: %v", err)
	}
	var got []string
	for {
		l := c.next(t)
		got = append(got, l)
		if strings.HasPrefix(l, final) {
			return got
		}
	}
}

// count has the child count the copies of the encoded number.
func (c *memChild) count(t *testing.T, when, encoded string) memSample {
	t.Helper()
	lines := c.ask(t, "count "+encoded, "count ")
	last := strings.TrimPrefix(lines[len(lines)-1], "count ")
	num, summary, _ := strings.Cut(last, " ")
	total, err := strconv.Atoi(num)
	if err != nil {
		t.Fatalf("the serving process counted %q", last)
	}
	return memSample{when: when, total: total, summary: summary, hits: lines[:len(lines)-1]}
}
