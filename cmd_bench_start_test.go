package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"

	"github.com/carddesk/carddesk/tui/bench"
)

// benchStartChildEnv carries the command line TestBenchStartChild runs.
const benchStartChildEnv = "CARDDESK_BENCH_START_CHILD"

// TestBenchStartChild is the program TestBenchStart starts: this test
// binary, run as carddesk with the command line in benchStartChildEnv.
func TestBenchStartChild(t *testing.T) {
	args := os.Getenv(benchStartChildEnv)
	if args == "" {
		t.Skip("the program TestBenchStart starts in a pseudo-terminal, not a test of its own")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	root.SetArgs(strings.Fields(args))
	if err := root.ExecuteContext(ctx); err != nil {
		t.Fatal(err)
	}
}

// bench start at a tiny scale: the demo starts in a pseudo-terminal,
// draws a complete frame, quits on q and removes its temporary directory
// (the run fails otherwise); its first byte comes no later than its first
// frame. The simulator runs, as in a user's demo: its webhooks in flight
// at quit must not stall the shutdown (a spare keep-alive connection once
// held it for five seconds, and the run failed).
func TestBenchStart(t *testing.T) {
	p, tty, err := pty.Open()
	if err != nil {
		t.Skipf("this system cannot open a pseudo-terminal: %v", err)
	}
	p.Close()
	tty.Close()

	f := bench.StartConfig{Runs: 1, Width: 120, Height: 40,
		Exe: os.Args[0], Args: []string{"-test.run=^TestBenchStartChild$"},
		Env: []string{benchStartChildEnv + "=demo"}}
	var out bytes.Buffer
	if err := bench.Start(context.Background(), &out, io.Discard, f); err != nil {
		t.Fatal(err)
	}
	first := benchRow(t, out.String(), "exec → first byte")
	frame := benchRow(t, out.String(), "exec → first complete frame")
	if len(first) != 2 || len(frame) != 2 {
		t.Fatalf("rows %v and %v, want p50 and max:\n%s", first, frame, out.String())
	}
	if first[0] <= 0 || first[0] > frame[0] {
		t.Errorf("first byte %v ms, first frame %v ms: want the byte first, after the exec", first[0], frame[0])
	}
}

func TestBenchStartFlags(t *testing.T) {
	wantBenchFlagErrors(t, []struct{ args, want string }{
		{"start --runs 0", "--runs 0: want 1 to 1000"},
		{"start --width 20", "--width 20: want 80 to 1000 columns"},
		{"start --height 2000", "--height 2000: want 24 to 500 rows"},
	})
}
