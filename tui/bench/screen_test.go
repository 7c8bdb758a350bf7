package bench

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

var screenSeeds = flag.Int("benchscreen.seeds", 3,
	"random runs per terminal size in TestScreenFollowsRenderer (100 for a thorough check)")

// renderer is Bubble Tea's renderer as a full-screen program sets it
// up: the alternate screen, hard tabs, backspace, scroll optimisation.
type renderer struct {
	out  bytes.Buffer
	scr  *uv.TerminalRenderer
	cell uv.ScreenBuffer
}

func newRenderer(w, h int) *renderer {
	r := &renderer{cell: uv.NewScreenBuffer(w, h)}
	r.scr = uv.NewTerminalRenderer(&r.out, []string{"TERM=xterm-256color"})
	r.scr.SetTabStops(w)
	r.scr.SetBackspace(true)
	r.scr.SetScrollOptim(true)
	r.scr.Resize(w, h)
	r.scr.SaveCursor()
	r.out.WriteString(ansi.SetModeAltScreenSaveCursor)
	r.scr.SetFullscreen(true)
	r.scr.SetRelativeCursor(false)
	r.scr.Erase()
	return r
}

// frame renders content and returns the bytes the terminal would get.
func (r *renderer) frame(t *testing.T, content string) []byte {
	t.Helper()
	r.cell.Clear()
	uv.NewStyledString(content).Draw(r.cell, r.cell.Bounds())
	r.scr.Render(r.cell.RenderBuffer)
	if err := r.scr.Flush(); err != nil {
		t.Fatal(err)
	}
	b := bytes.Clone(r.out.Bytes())
	r.out.Reset()
	return b
}

// want is the screen the frame should leave, as Screen.Text gives it.
func (r *renderer) want() string {
	lines := make([]string, r.cell.Height())
	for y := range lines {
		lines[y] = strings.TrimRight(r.cell.Line(y).String(), " ")
	}
	return strings.Join(lines, "\n")
}

var words = []string{"Zephyr", "Kiosk", "£12.40", "declined", "•••• 4821", "›", "│", "世界", "café",
	"insufficient_funds", "JPY 1050", "", " ", "Loading…", "\x1b[31mred\x1b[0m", "\x1b[1;44m bold \x1b[m", "x"}

// randomLine is a random line, sometimes wider than the screen.
func randomLine(r *rand.Rand, w int) string {
	var b strings.Builder
	for ansi.StringWidth(b.String()) < r.IntN(w+8) {
		b.WriteString(words[r.IntN(len(words))])
		b.WriteString(strings.Repeat(" ", r.IntN(4)))
	}
	return b.String()
}

// randomEdit changes a screen's lines the way a dashboard does: rows
// arrive at the top and push the rest down, rows go, cells change, the
// whole view changes.
func randomEdit(r *rand.Rand, lines []string, w int) {
	h := len(lines)
	switch r.IntN(6) {
	case 0: // new rows at a random line, the bottom ones falling off
		at, n := r.IntN(h), 1+r.IntN(4)
		for range n {
			copy(lines[at+1:], lines[at:h-1])
			lines[at] = randomLine(r, w)
		}
	case 1: // rows removed
		at := r.IntN(h)
		copy(lines[at:], lines[at+1:])
		lines[h-1] = randomLine(r, w)
	case 2, 3: // a few lines change
		for range 1 + r.IntN(3) {
			lines[r.IntN(h)] = randomLine(r, w)
		}
	case 4: // a new view
		for i := range lines {
			lines[i] = randomLine(r, w)
		}
	case 5: // blank the middle (a dialog closing, a list emptying)
		for i := h / 3; i < 2*h/3; i++ {
			lines[i] = ""
		}
	}
}

// The emulator shows what Bubble Tea's own renderer draws, frame after
// frame of random dashboard-like edits, whatever the renderer chose to
// send: scrolls, inserted and deleted lines and cells, erases, repeats.
func TestScreenFollowsRenderer(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {40, 12}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			for seed := range uint64(*screenSeeds) {
				r := rand.New(rand.NewPCG(seed, 7))
				rend := newRenderer(size.w, size.h)
				scr := newScreen(size.w, size.h)
				defer scr.Close()
				lines := make([]string, size.h)
				for i := range lines {
					lines[i] = randomLine(r, size.w)
				}
				for f := range 60 {
					out := rend.frame(t, strings.Join(lines, "\n"))
					// Feed it in random pieces: sequences split across writes.
					for len(out) > 0 {
						n := min(1+r.IntN(64), len(out))
						scr.Write(out[:n])
						out = out[n:]
					}
					if got, want := scr.Text(), rend.want(); got != want {
						t.Fatalf("seed %d frame %d: the screen shows\n%s\nwant\n%s", seed, f, got, want)
					}
					randomEdit(r, lines, size.w)
				}
			}
		})
	}
}

func TestScreenSequences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the screen's text, rows joined by |
	}{
		{"text and CR LF", "ab\r\ncd", "ab|cd|"},
		{"autowrap at the margin", "abcdefg", "abcde|fg|"},
		{"pending wrap undone by CR", "abcde\rX", "Xbcde||"},
		{"no autowrap", "\x1b[?7labcdefg", "abcdg||"},
		{"CUP and EL", "hello\x1b[1;3H\x1b[K", "he||"},
		{"ECH and REP", "hello\x1b[1;2H\x1b[2X\x1b[2;1Hz\x1b[3b", "h  lo|zzzz|"},
		{"ICH and DCH", "abcd\x1b[1;2H\x1b[2@\x1b[2;1Hwxyz\x1b[2;2H\x1b[P", "a  bcd|wyz|"},
		{"IL and DL", "1\r\n2\r\n3\x1b[2;1H\x1b[L\x1b[3;1H\x1b[M", "1||"},
		{"scroll region and RI", "1\r\n2\r\n3\x1b[2;3r\x1b[2;1H\x1bM", "1||2"},
		{"SU in the region", "1\r\n2\r\n3\x1b[2;3r\x1b[S", "1|3|"},
		{"ED below", "abc\r\ndef\r\nghi\x1b[2;2H\x1b[J", "abc|d|"},
		{"wide runes", "世界x\x1b[1;2Hy", " y界x||"},
		{"tabs", "a\tb", "a       b||"},
		{"alternate screen starts blank", "abc\x1b[?1049h", "||"},
		{"queries and colours ignored", "\x1b[?2026$p\x1b]11;?\x07\x1b[38;5;196mred\x1b[m", "red||"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := 5
			if strings.Contains(tc.name, "tabs") || strings.Contains(tc.name, "ICH") {
				w = 10
			}
			s := newScreen(w, 3)
			defer s.Close()
			s.Write([]byte(tc.in))
			got := strings.ReplaceAll(s.Text(), "\n", "|")
			if got != tc.want {
				t.Errorf("%q: screen %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzScreen: no output, however broken, makes the emulator fail or
// leave its screen's shape.
func FuzzScreen(f *testing.F) {
	f.Add([]byte("\x1b[2;3r\x1b[5S\x1bM\x1b[10L\x1b[99M"))
	f.Add([]byte("世界\x1b[1;120H世\x1b[?7l世界\x1b[b"))
	f.Add([]byte("\x1b[0;0H\x1b[0@\x1b[0P\x1b[0X\t\t\t\x1b[9Z"))
	f.Add([]byte("\x1bc\x1b7\x1b[40;120H\x1b8\x1b[s\x1b[u"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := newScreen(12, 4)
		defer s.Close()
		if _, err := s.Write(b); err != nil {
			t.Fatalf("write: %v", err)
		}
		text := s.Text()
		if rows := strings.Count(text, "\n") + 1; rows != 4 {
			t.Fatalf("%d rows", rows)
		}
		for y := range 4 {
			if w := ansi.StringWidth(s.Line(y)); w > 12 {
				t.Fatalf("row %d is %d cells wide", y, w)
			}
		}
	})
}
