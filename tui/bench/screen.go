package bench

import (
	"io"
	"strings"

	"github.com/charmbracelet/x/vt"
)

// Screen is what a benchmark's terminal shows: the program's output
// run through a terminal emulator (charmbracelet/x/vt). The renderer
// writes only the cells that changed, so the byte stream alone cannot say
// which view is on screen; the benchmarks wait on this instead. The
// emulator's own answers to queries are dropped: the benchmark's terminal
// answers what it must itself. Close it when done. It is not safe for
// concurrent use.
type Screen struct {
	emu  *vt.Emulator
	w, h int
}

// newScreen is a blank w×h screen.
func newScreen(w, h int) *Screen {
	emu := vt.NewEmulator(w, h)
	// The emulator writes its answers to a pipe, and a write waits for a
	// reader: drained until Close.
	go func() { _, _ = io.Copy(io.Discard, emu) }()
	return &Screen{emu: emu, w: w, h: h}
}

// Write feeds output to the screen; a sequence may be split across writes.
func (s *Screen) Write(b []byte) (int, error) { return s.emu.Write(b) }

// Close ends the drain of the emulator's answers; what the screen shows
// stays readable. It closes the answers' pipe rather than calling the
// emulator's Close, which races with the drain's Read.
func (s *Screen) Close() error {
	if c, ok := s.emu.InputPipe().(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Line is row y as text, trailing blanks removed.
func (s *Screen) Line(y int) string {
	if y < 0 || y >= s.h {
		return ""
	}
	var b strings.Builder
	for x := 0; x < s.w; x++ {
		c := s.emu.CellAt(x, y)
		switch {
		case c == nil:
			b.WriteByte(' ')
		case c.Width == 0:
			// the right half of a wide rune
		case c.Content == "":
			b.WriteByte(' ')
		default:
			b.WriteString(c.Content)
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Text is the whole screen, one line per row.
func (s *Screen) Text() string {
	lines := make([]string, s.h)
	for y := range lines {
		lines[y] = s.Line(y)
	}
	return strings.Join(lines, "\n")
}

// Contains reports whether some row holds sub.
func (s *Screen) Contains(sub string) bool {
	return s.hasRow(sub)
}

// hasRow reports whether one row holds every word.
func (s *Screen) hasRow(words ...string) bool {
	for y := range s.h {
		line := s.Line(y)
		all := true
		for _, w := range words {
			if !strings.Contains(line, w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// loading reports whether anything on screen is still loading.
func (s *Screen) loading() bool {
	return strings.Contains(strings.ToLower(s.Text()), "loading")
}
