package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/carddesk/carddesk/api/stats"
	"github.com/creack/pty"
)

// StartConfig is what `carddesk bench start` measures: Runs cold starts
// in a Width×Height pseudo-terminal.
type StartConfig struct {
	Runs          int
	Width, Height int

	// The program to start: this executable as `demo` unless Exe is set
	// (a test starts itself). No flag sets them.
	Exe  string
	Args []string
	Env  []string
}

func (f StartConfig) validate() error {
	if f.Runs < 1 || f.Runs > 1000 {
		return fmt.Errorf("--runs %d: want 1 to 1000", f.Runs)
	}
	return validateSize(f.Width, f.Height)
}

// startTimes is one run's times, from exec, and from q to the exit.
type startTimes struct {
	firstByte, firstFrame, usersShown, exit time.Duration
	// failed says how the program's exit failed, if it did: its status
	// and the last lines it wrote.
	failed string
}

// Start runs `carddesk bench start`: the demo started f.Runs times in a
// pseudo-terminal, each timed to its first frame and its exit; the report
// goes to out, the progress to errOut.
func Start(ctx context.Context, out, errOut io.Writer, f StartConfig) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench start: %w", err)
	}
	if f.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench start: find this executable: %w", err)
		}
		f.Exe, f.Args = exe, []string{"demo"}
	}
	var runs []startTimes
	var failed []string
	for i := range f.Runs {
		fmt.Fprintf(errOut, "bench: start %d of %d…\n", i+1, f.Runs)
		r, err := startOnce(ctx, f)
		if err != nil {
			return fmt.Errorf("bench start: run %d: %w", i+1, err)
		}
		runs = append(runs, r)
		if r.failed != "" {
			failed = append(failed, fmt.Sprintf("run %d: %s", i+1, r.failed))
		}
	}
	if err := writeStart(out, f, runs); err != nil {
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
func startOnce(ctx context.Context, f StartConfig) (startTimes, error) {
	tmp, err := os.MkdirTemp("", "carddesk-bench-start-")
	if err != nil {
		return startTimes{}, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(f.Exe, f.Args...)
	cmd.Env = append(os.Environ(), "TERM="+TermType, "TMPDIR="+tmp)
	cmd.Env = append(cmd.Env, f.Env...)

	start := time.Now()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(f.Width), Rows: uint16(f.Height)})
	if err != nil {
		return startTimes{}, fmt.Errorf("start %s in a pseudo-terminal: %w", f.Exe, err)
	}
	exited := make(chan struct{})
	var waitErr error // set before exited closes
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	t := NewTerm(ptmx, f.Width, f.Height)
	times := make(chan startTimes, 1)
	go func() { times <- readStart(ptmx, t, start) }()

	exit, err := quitOnFrame(ctx, t, exited)
	if err != nil {
		// Ask it to stop as ctrl+c in its own terminal would, give it time
		// to clean up, then kill it.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(quitWait):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	ptmx.Close()
	r := <-times // the reader ends with the program's output
	if err != nil {
		return startTimes{}, err
	}
	r.exit = exit
	if waitErr != nil {
		r.failed = fmt.Sprintf("%v: %s", waitErr, lastLines(t.ScreenText(), 4))
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
func quitOnFrame(ctx context.Context, t *Term, exited <-chan struct{}) (time.Duration, error) {
	step, cancel := context.WithTimeout(ctx, stepWait)
	defer cancel()
	if err := t.Await(step, "the first complete frame", CompleteFrame); err != nil {
		return 0, err
	}
	if err := t.Await(step, "the Users list", usersDrawn); err != nil {
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
func readStart(ptmx io.Reader, t *Term, start time.Time) startTimes {
	var r startTimes
	t.follow(ptmx, func(read time.Time) {
		at := read.Sub(start)
		if r.firstByte == 0 {
			r.firstByte = at
		}
		if r.firstFrame == 0 && t.shows(CompleteFrame) {
			r.firstFrame = at
		}
		if r.usersShown == 0 && t.shows(usersDrawn) {
			r.usersShown = at
		}
	})
	return r
}

func writeStart(out io.Writer, f StartConfig, runs []startTimes) error {
	fmt.Fprintf(out, "%s in a %d×%d pseudo-terminal (%s), %d run(s)\n\n",
		strings.Join(append([]string{"carddesk"}, f.Args...), " "), f.Width, f.Height, TermType, len(runs))
	row := func(name string, pick func(startTimes) time.Duration) []string {
		d := make([]time.Duration, len(runs))
		for i, r := range runs {
			d[i] = pick(r)
		}
		sp := stats.Summarize(d)
		return []string{name, millis(sp.P50), millis(sp.Max)}
	}
	return writeTable(out, []string{"", "p50", "max"}, [][]string{
		row("exec → first byte", func(r startTimes) time.Duration { return r.firstByte }),
		row("exec → first complete frame", func(r startTimes) time.Duration { return r.firstFrame }),
		row("exec → frame with Users rows", func(r startTimes) time.Duration { return r.usersShown }),
		row("q → exit", func(r startTimes) time.Duration { return r.exit }),
	})
}
