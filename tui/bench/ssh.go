package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/tui/stack"
)

// SSHConfig is what `carddesk bench ssh` measures: one SSH session on
// Live, at Width×Height, counted for Duration after Settle.
type SSHConfig struct {
	Stack         stack.Config // the in-process stack; Dir and hooks are the bench's own
	Duration      time.Duration
	Settle        time.Duration
	Width, Height int
	Logger        *slog.Logger // the server's warnings; nil discards
}

// validateSize checks a terminal size against the dashboard's
// smallest layout.
func validateSize(w, h int) error {
	switch {
	case w < 80 || w > 1000:
		return fmt.Errorf("--width %d: want 80 to 1000 columns (the dashboard's layout holds from 80×24)", w)
	case h < 24 || h > 500:
		return fmt.Errorf("--height %d: want 24 to 500 rows (the dashboard's layout holds from 80×24)", h)
	}
	return nil
}

func (f SSHConfig) validate() error {
	if err := f.Stack.Validate(); err != nil {
		return err
	}
	switch {
	case f.Duration < time.Second:
		return fmt.Errorf("--duration %v: must be at least 1s (it is counted per second)", f.Duration)
	case f.Settle < 0:
		return fmt.Errorf("--settle %v: must not be negative", f.Settle)
	}
	return validateSize(f.Width, f.Height)
}

// perSecond is what one second of the count saw.
type perSecond struct {
	bytes, frames, events float64
}

// sshResult is what `bench ssh` measured.
type sshResult struct {
	elapsed               time.Duration
	bytes, frames, events int64
	seconds               []perSecond
}

// SSH runs `carddesk bench ssh`: the stack and the SSH server in-process,
// one session on Live, counted per second; the report goes to out, the
// progress to errOut.
func SSH(ctx context.Context, out, errOut io.Writer, f SSHConfig) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench ssh: %w", err)
	}
	fmt.Fprintf(errOut, "bench: serve --demo in-process, one SSH session on Live, %v after %v settling…\n", f.Duration, f.Settle)
	var res sshResult
	err := withServer(ctx, serverConfig{stack: f.Stack, agents: 1, logger: f.Logger, warn: errOut},
		func(ctx context.Context, bs *server) error {
			var err error
			res, err = measureLive(ctx, bs, f)
			return err
		})
	if err != nil {
		return fmt.Errorf("bench ssh: %w", err)
	}
	return writeSSH(out, f, res)
}

// measureLive opens the session, brings up Live, and counts.
func measureLive(ctx context.Context, bs *server, f SSHConfig) (sshResult, error) {
	t, err := dial(ctx, bs, 0, f.Width, f.Height)
	if err != nil {
		return sshResult{}, err
	}
	defer t.close()
	step, cancel := context.WithTimeout(ctx, stepWait)
	defer cancel()
	if err := t.Await(step, "the Users view", usersListShown); err != nil {
		return sshResult{}, err
	}
	if err := t.press("3"); err != nil {
		return sshResult{}, err
	}
	if err := t.Await(step, "the Live view", liveShown); err != nil {
		return sshResult{}, err
	}
	if err := pause(ctx, f.Settle); err != nil {
		return sshResult{}, err
	}

	snap := func() (time.Time, perSecond) {
		b, fr := t.counts()
		return time.Now(), perSecond{bytes: float64(b), frames: float64(fr), events: float64(bs.events.Load())}
	}
	start, first := snap()
	prevAt, prev := start, first
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var res sshResult
	for range int(f.Duration / time.Second) {
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-t.ended:
			return res, fmt.Errorf("the session ended while counting: %v", t.endErr())
		case <-tick.C:
		}
		at, now := snap()
		secs := at.Sub(prevAt).Seconds()
		res.seconds = append(res.seconds, perSecond{
			bytes:  (now.bytes - prev.bytes) / secs,
			frames: (now.frames - prev.frames) / secs,
			events: (now.events - prev.events) / secs,
		})
		prevAt, prev = at, now
	}
	res.elapsed = prevAt.Sub(start)
	res.bytes = int64(prev.bytes - first.bytes)
	res.frames = int64(prev.frames - first.frames)
	res.events = int64(prev.events - first.events)
	return res, nil
}

func writeSSH(out io.Writer, f SSHConfig, r sshResult) error {
	fmt.Fprintf(out, "one SSH session on Live at %d×%d (%s), %s simulator at %s authorisations/s, %v counted after %v\n\n",
		f.Width, f.Height, TermType, f.Stack.Provider, strconv.FormatFloat(f.Stack.Rate, 'f', -1, 64),
		r.elapsed.Round(time.Millisecond), f.Settle)
	secs := r.elapsed.Seconds()
	row := func(name string, total int64, pick func(perSecond) float64) []string {
		per := make([]float64, len(r.seconds))
		for i, s := range r.seconds {
			per[i] = pick(s)
		}
		sp := stats.Summarize(per)
		return []string{name, stats.Thousands(float64(total)), stats.Thousands(float64(total) / secs),
			stats.Thousands(sp.P50), stats.Thousands(sp.P99), stats.Thousands(sp.Max)}
	}
	rows := [][]string{
		row("bytes", r.bytes, func(s perSecond) float64 { return s.bytes }),
		row("frames", r.frames, func(s perSecond) float64 { return s.frames }),
		row("events delivered", r.events, func(s perSecond) float64 { return s.events }),
	}
	if err := writeTable(out, []string{"per second", "total", "mean/s", "p50/s", "p99/s", "max/s"}, rows); err != nil {
		return err
	}
	if r.frames > 0 {
		fmt.Fprintf(out, "\n%s bytes per frame, %s bytes per event delivered\n",
			stats.Thousands(float64(r.bytes)/float64(r.frames)), perEvent(r.bytes, r.events))
	} else {
		fmt.Fprintln(out, "\nno frame was bracketed with synchronized output: frames not counted")
	}
	return nil
}

func perEvent(bytes, events int64) string {
	if events == 0 {
		return "—"
	}
	return stats.Thousands(float64(bytes) / float64(events))
}
