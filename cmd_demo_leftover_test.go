package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/carddesk/carddesk/tui/bench"
)

// demoChild is carddesk run as a child process — this test binary, as
// TestBenchStartChild runs it — with a temporary directory of its own.
type demoChild struct {
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // the exit's, set before exited closes
	ready  func(context.Context) error
	// shown is what the child's terminal shows (tty) or printed so far.
	shown func() string
}

// startDemoChild starts `carddesk args` with TMPDIR=tmp, in a
// pseudo-terminal when tty (the dashboard needs one). It is ready once it
// prints how to connect (serve --demo) or draws its first complete frame.
func startDemoChild(t *testing.T, tmp, args string, tty bool) *demoChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchStartChild$")
	cmd.Env = append(os.Environ(), benchStartChildEnv+"="+args, "TMPDIR="+tmp, "TERM="+bench.TermType)
	c := &demoChild{cmd: cmd, exited: make(chan struct{})}
	if tty {
		ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
		if err != nil {
			t.Skipf("this system cannot start a program in a pseudo-terminal: %v", err)
		}
		term := bench.NewTerm(ptmx, 120, 40)
		go term.Follow(ptmx)
		t.Cleanup(func() { ptmx.Close() })
		c.ready = func(ctx context.Context) error {
			return term.Await(ctx, "the first complete frame", bench.CompleteFrame)
		}
		c.shown = term.ScreenText
	} else {
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		out := &signalBuffer{re: regexp.MustCompile(`ssh -p \d+ -i (\S+) localhost`), match: make(chan string, 1)}
		go func() { _, _ = io.Copy(out, stdout) }()
		c.shown = out.String
		c.ready = func(ctx context.Context) error {
			select {
			case <-out.match:
				return nil
			case <-c.exited:
				return fmt.Errorf("exited before it was ready (%v):\n%s", c.err, out)
			case <-ctx.Done():
				return fmt.Errorf("waiting for the connect line: %w:\n%s", ctx.Err(), out)
			}
		}
	}
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.exited
	})
	return c
}

// awaitReady waits until the child is ready, or fails the test.
func (c *demoChild) awaitReady(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := c.ready(ctx); err != nil {
		t.Fatal(err)
	}
}

// stop signals the child and waits for it to exit.
func (c *demoChild) stop(sig syscall.Signal) error {
	if err := c.cmd.Process.Signal(sig); err != nil {
		return err
	}
	<-c.exited
	return c.err
}

// A demo killed with SIGKILL cannot remove its directory (for serve
// --demo, the demo supervisor's private key); the next demo removes it at
// start, and removes its own on a clean exit.
func TestDemoKilledLeavesNothingAfterTheNextStart(t *testing.T) {
	tests := []struct {
		name, args string
		tty        bool
	}{
		{"serve --demo", "serve --demo --rate 0", false},
		{"demo", "demo --rate 0", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			first := startDemoChild(t, tmp, tt.args, tt.tty)
			first.awaitReady(t)
			left := entries(t, tmp)
			if len(left) != 1 {
				t.Fatalf("the first run made %v in its temporary directory, want one directory", left)
			}
			leftover := filepath.Join(tmp, left[0])
			if err := first.stop(syscall.SIGKILL); err == nil {
				t.Fatal("the first run exited cleanly; it should have been killed")
			}
			if len(entries(t, leftover)) == 0 {
				t.Fatalf("the killed run left %s empty: nothing to clean up, and the test shows nothing", leftover)
			}

			second := startDemoChild(t, tmp, tt.args, tt.tty)
			second.awaitReady(t)
			if _, err := os.Lstat(leftover); err == nil {
				t.Errorf("the killed run's %s is still there once the next run has started: %v", leftover, entries(t, leftover))
			}
			if err := second.stop(syscall.SIGTERM); err != nil {
				t.Errorf("the second run, stopped: %v; it shows:\n%s", err, second.shown())
			}
			if left := entries(t, tmp); len(left) != 0 {
				t.Errorf("left after a clean exit: %v", left)
			}
		})
	}
}

// entries are the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name()
	}
	return names
}
