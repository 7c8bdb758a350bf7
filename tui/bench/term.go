package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Bubble Tea asks the terminal whether it supports synchronized output
// (mode 2026) and, when told it does, brackets every frame it writes with
// the mode's set and reset. A Term answers as a terminal that
// supports it (most current ones do), so frames can be counted.
const (
	syncQuery  = "\x1b[?2026$p"
	syncReply  = "\x1b[?2026;2$y" // supported, currently reset
	frameStart = "\x1b[?2026h"
)

// TermType is the terminal the benchmarks' clients say they are.
const TermType = "xterm-256color"

// Term is a terminal on the far end of something that draws the
// dashboard — an SSH session or a pseudo-terminal. Output goes to a
// Screen; bytes and frames are counted; waiters are woken on every
// write.
type Term struct {
	in io.Writer // keys and replies to the program

	mu      sync.Mutex
	screen  *Screen
	bytes   int64
	frames  marker
	queries marker
	changed chan struct{}
	ended   chan struct{} // closed when the output ends
	err     error         // why it ended
}

// NewTerm is a w×h terminal whose keys and answers go to in; feed it the
// program's output with Write or Follow.
func NewTerm(in io.Writer, w, h int) *Term {
	return &Term{
		in:      in,
		screen:  newScreen(w, h),
		frames:  marker{seq: []byte(frameStart)},
		queries: marker{seq: []byte(syncQuery)},
		changed: make(chan struct{}),
		ended:   make(chan struct{}),
	}
}

// Write takes the program's output.
func (t *Term) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.bytes += int64(len(p))
	t.frames.feed(p)
	asked := t.queries.feed(p)
	t.screen.Write(p)
	close(t.changed)
	t.changed = make(chan struct{})
	t.mu.Unlock()
	for range asked {
		if _, err := io.WriteString(t.in, syncReply); err != nil {
			return 0, fmt.Errorf("answer the terminal query: %w", err)
		}
	}
	return len(p), nil
}

// Follow copies a program's output from r to the screen until r ends (a
// pseudo-terminal's master, an SSH session's stdout), then records why.
func (t *Term) Follow(r io.Reader) { t.follow(r, nil) }

// follow is Follow, telling read when each piece of output was read,
// once the screen shows it.
func (t *Term) follow(r io.Reader, read func(at time.Time)) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			at := time.Now()
			t.Write(buf[:n])
			if read != nil {
				read(at)
			}
		}
		if err != nil {
			t.end(err)
			return
		}
	}
}

// end records that the output ended, and why.
func (t *Term) end(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.ended:
	default:
		t.err = err
		close(t.ended)
		_ = t.screen.Close() // what it shows stays readable
	}
}

// endErr is why the output ended, once it has.
func (t *Term) endErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// shows reports whether the screen satisfies ok now.
func (t *Term) shows(ok func(*Screen) bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return ok(t.screen)
}

// ScreenText is what the screen shows now.
func (t *Term) ScreenText() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.screen.Text()
}

// counts are the bytes and frames received so far.
func (t *Term) counts() (bytes, frames int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bytes, t.frames.n
}

// press types keys.
func (t *Term) press(keys string) error {
	if _, err := io.WriteString(t.in, keys); err != nil {
		return fmt.Errorf("type %q: %w", keys, err)
	}
	return nil
}

// Await waits until the screen satisfies ok, and says what it was waiting
// for — and what the screen showed — when ctx ends or the output does
// first.
func (t *Term) Await(ctx context.Context, what string, ok func(*Screen) bool) error {
	for {
		t.mu.Lock()
		done := ok(t.screen)
		changed := t.changed
		t.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-t.ended:
			t.mu.Lock()
			defer t.mu.Unlock()
			if ok(t.screen) {
				return nil
			}
			return fmt.Errorf("waiting for %s: the session ended (%v); the screen shows:\n%s", what, t.err, t.screen.Text())
		case <-ctx.Done():
			if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("waiting for %s: %w", what, ctx.Err()) // interrupted
			}
			t.mu.Lock()
			defer t.mu.Unlock()
			return fmt.Errorf("waiting for %s: %w; the screen shows:\n%s", what, ctx.Err(), t.screen.Text())
		}
	}
}

// marker counts a byte sequence in a stream written in pieces.
type marker struct {
	seq  []byte
	tail []byte // the end of the stream so far, shorter than seq
	n    int64
}

// feed counts the sequences that end in p and returns how many.
func (m *marker) feed(p []byte) int {
	found := bytes.Count(p, m.seq)
	// Those that start in the tail and end in p.
	if len(m.tail) > 0 {
		head := p[:min(len(p), len(m.seq)-1)]
		joined := append(bytes.Clone(m.tail), head...)
		for i := range m.tail {
			if bytes.HasPrefix(joined[i:], m.seq) {
				found++
			}
		}
	}
	keep := len(m.seq) - 1
	if len(p) >= keep {
		m.tail = append(m.tail[:0], p[len(p)-keep:]...)
	} else {
		m.tail = append(m.tail, p...)
		m.tail = m.tail[max(len(m.tail)-keep, 0):]
	}
	m.n += int64(found)
	return found
}
