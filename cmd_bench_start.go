package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api/stats"
)

type benchStartFlags struct {
	runs          int
	width, height int

	// The program to start: this executable as `demo` unless a test says
	// otherwise. No flag sets them.
	exe  string
	args []string
	env  []string
}

func newBenchStartCmd() *cobra.Command {
	var f benchStartFlags
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Measure the demo's cold start to its first complete frame",
		Long: `Start this executable as ` + "`carddesk demo`" + ` in a --width × --height
pseudo-terminal (TERM=xterm-256color), --runs times one after another, and
time each run from exec to the first byte of output and to the first
complete frame: the first moment the screen's top row shows the status
line (the provider and its TEST or LIVE badge) and its bottom row the
footer's keys ending in "q quit" — and to the Users list drawn with its
rows. Then it presses q and times the exit, and checks that the demo
removed its temporary directory.

It reports the p50 and the maximum of each. The demo seeds the sandbox's
book and opens a SQLite store before it draws, so this is the start a user
of ` + "`carddesk demo`" + ` waits for.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchStart(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.runs, "runs", 5, "starts to time, one after another")
	fl.IntVar(&f.width, "width", 120, "terminal columns")
	fl.IntVar(&f.height, "height", 40, "terminal rows")
	return cmd
}

func (f benchStartFlags) validate() error {
	if f.runs < 1 || f.runs > 1000 {
		return fmt.Errorf("--runs %d: want 1 to 1000", f.runs)
	}
	return validateBenchSize(f.width, f.height)
}

// benchStart is one run's times, from exec, and from q to the exit.
type benchStart struct {
	firstByte, firstFrame, usersShown, exit time.Duration
	// failed says how the program's exit failed, if it did: its status
	// and the last lines it wrote.
	failed string
}

func runBenchStart(ctx context.Context, out, errOut io.Writer, f benchStartFlags) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench start: %w", err)
	}
	if f.exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench start: find this executable: %w", err)
		}
		f.exe, f.args = exe, []string{"demo"}
	}
	var runs []benchStart
	var failed []string
	for i := range f.runs {
		fmt.Fprintf(errOut, "bench: start %d of %d…\n", i+1, f.runs)
		r, err := startOnce(ctx, f)
		if err != nil {
			return fmt.Errorf("bench start: run %d: %w", i+1, err)
		}
		runs = append(runs, r)
		if r.failed != "" {
			failed = append(failed, fmt.Sprintf("run %d: %s", i+1, r.failed))
		}
	}
	if err := writeBenchStart(out, f, runs); err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("bench start: %d of %d runs exited with an error:\n%s", len(failed), len(runs), strings.Join(failed, "\n"))
	}
	return nil
}

// startOnce runs the program once in a fresh pseudo-terminal with a
// temporary directory of its own, which must be empty once it has quit.
// A run that never draws, or that does not quit on q, is an error; one
// whose exit fails is timed and reported as failed.
func startOnce(ctx context.Context, f benchStartFlags) (benchStart, error) {
	tmp, err := os.MkdirTemp("", "carddesk-bench-start-")
	if err != nil {
		return benchStart{}, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(f.exe, f.args...)
	cmd.Env = append(os.Environ(), "TERM="+benchTermType, "TMPDIR="+tmp)
	cmd.Env = append(cmd.Env, f.env...)

	start := time.Now()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(f.width), Rows: uint16(f.height)})
	if err != nil {
		return benchStart{}, fmt.Errorf("start %s in a pseudo-terminal: %w", f.exe, err)
	}
	exited := make(chan struct{})
	var waitErr error // set before exited closes
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	t := newBenchTerm(ptmx, f.width, f.height)
	times := make(chan benchStart, 1)
	go func() { times <- readStart(ptmx, t, start) }()

	exit, err := quitOnFrame(ctx, t, exited)
	if err != nil {
		// Ask it to stop as ctrl+c in its own terminal would, give it time
		// to clean up, then kill it.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(benchQuitWait):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	ptmx.Close()
	r := <-times // the reader ends with the program's output
	if err != nil {
		return benchStart{}, err
	}
	r.exit = exit
	if waitErr != nil {
		r.failed = fmt.Sprintf("%v: %s", waitErr, lastLines(t.screenText(), 4))
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		return r, fmt.Errorf("read the temporary directory: %w", err)
	}
	if len(left) > 0 {
		names := make([]string, len(left))
		for i, e := range left {
			names[i] = e.Name()
		}
		return r, fmt.Errorf("the program left %s in its temporary directory", strings.Join(names, ", "))
	}
	return r, nil
}

// quitOnFrame waits for the first complete frame and the Users list's
// rows, presses q and returns how long the program took to exit.
func quitOnFrame(ctx context.Context, t *benchTerm, exited <-chan struct{}) (time.Duration, error) {
	step, cancel := context.WithTimeout(ctx, benchStepWait)
	defer cancel()
	if err := t.await(step, "the first complete frame", completeFrame); err != nil {
		return 0, err
	}
	if err := t.await(step, "the Users list", usersDrawn); err != nil {
		return 0, err
	}
	if err := t.press("q"); err != nil {
		return 0, err
	}
	quit := time.Now()
	select {
	case <-exited:
		return time.Since(quit), nil
	case <-step.Done():
		return 0, fmt.Errorf("waiting for the program to quit: %w", step.Err())
	}
}

// lastLines is the last n non-blank lines of text, joined by " / ".
func lastLines(text string, n int) string {
	var out []string
	for l := range strings.SplitSeq(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out[max(len(out)-n, 0):], " / ")
}

// readStart copies the program's output into t until it ends, and returns
// how long after start the first byte arrived, the first complete frame
// and the Users list's rows were on screen (zero if never).
func readStart(ptmx io.Reader, t *benchTerm, start time.Time) benchStart {
	var r benchStart
	buf := make([]byte, 32<<10)
	for {
		n, err := ptmx.Read(buf)
		if n > 0 {
			at := time.Since(start)
			if r.firstByte == 0 {
				r.firstByte = at
			}
			t.Write(buf[:n])
			if r.firstFrame == 0 && t.shows(completeFrame) {
				r.firstFrame = at
			}
			if r.usersShown == 0 && t.shows(usersDrawn) {
				r.usersShown = at
			}
		}
		if err != nil {
			t.end(err)
			return r
		}
	}
}

func writeBenchStart(out io.Writer, f benchStartFlags, runs []benchStart) error {
	fmt.Fprintf(out, "%s in a %d×%d pseudo-terminal (%s), %d run(s)\n\n",
		strings.Join(append([]string{"carddesk"}, f.args...), " "), f.width, f.height, benchTermType, len(runs))
	row := func(name string, pick func(benchStart) time.Duration) []string {
		d := make([]time.Duration, len(runs))
		for i, r := range runs {
			d[i] = pick(r)
		}
		sp := stats.Summarize(d)
		return []string{name, benchMs(sp.P50), benchMs(sp.Max)}
	}
	return writeBenchTable(out, []string{"", "p50", "max"}, [][]string{
		row("exec → first byte", func(r benchStart) time.Duration { return r.firstByte }),
		row("exec → first complete frame", func(r benchStart) time.Duration { return r.firstFrame }),
		row("exec → frame with Users rows", func(r benchStart) time.Duration { return r.usersShown }),
		row("q → exit", func(r benchStart) time.Duration { return r.exit }),
	})
}
