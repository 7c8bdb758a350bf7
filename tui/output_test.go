package tui

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"github.com/carddesk/carddesk/api"
)

func testSecrets() *api.CardSecrets {
	return &api.CardSecrets{Number: []byte("4111111111111111"), CVC: []byte("737"), ExpMonth: 4, ExpYear: 2031}
}

// The placeholders are one cell wide, share the prefix Output looks for,
// and read back as the field and position they stand for.
func TestSecretGlyphs(t *testing.T) {
	for _, f := range []secretField{fieldNumber, fieldCVC} {
		for pos := range maxSecretDigits {
			r := secretGlyph(f, pos)
			b := []byte(string(r))
			if len(b) != secretGlyphLen || !bytes.HasPrefix(b, []byte(secretGlyphPrefix)) {
				t.Fatalf("glyph %U is %q, want %d bytes starting %q", r, b, secretGlyphLen, secretGlyphPrefix)
			}
			if w := ansi.StringWidth(string(r)); w != 1 {
				t.Fatalf("glyph %U is %d cells wide", r, w)
			}
			gf, gp, ok := parseSecretGlyph(b)
			if !ok || gf != f || gp != pos {
				t.Fatalf("glyph %U reads as %v %d %v", r, gf, gp, ok)
			}
		}
	}
	if g := secretGlyphs(fieldNumber, 16, 4); utf8.RuneCountInString(g) != 19 || strings.Count(g, " ") != 3 {
		t.Fatalf("a 16-digit number's placeholders are %q", g)
	}
	for _, p := range [][]byte{[]byte("\xf4\x8f\xb0"), []byte(string(rune(secretGlyphBase + 2*maxSecretDigits))), []byte("4")} {
		if _, _, ok := parseSecretGlyph(p); ok {
			t.Errorf("%q read as a placeholder", p)
		}
	}
}

// What the terminal receives: frames without placeholders as they are;
// placeholders as the digits on show, or as "•" when none are; and
// nothing of the digits left in Output's buffer once the write returns.
func TestOutputPutsTheDigitsInPlace(t *testing.T) {
	var term bytes.Buffer
	o := NewOutput(&term)
	frame := "\x1b[1mNumber \x1b[0m" + secretGlyphs(fieldNumber, 16, 4) + " CVC " + secretGlyphs(fieldCVC, 3, 0) + "\r\n"

	plain := []byte("no placeholder here \xf4\x8f")
	if n, err := o.Write(plain); err != nil || n != len(plain) || term.String() != string(plain) {
		t.Fatalf("a plain write gave %d %v %q", n, err, term.String())
	}

	term.Reset()
	if _, err := o.Write([]byte(frame)); err != nil {
		t.Fatal(err)
	}
	if got, want := term.String(), "\x1b[1mNumber \x1b[0m•••• •••• •••• •••• CVC •••\r\n"; got != want {
		t.Errorf("with nothing on show the terminal got %q, want %q", got, want)
	}

	s := testSecrets()
	o.show(s)
	term.Reset()
	n, err := o.Write([]byte(frame))
	if err != nil || n != len(frame) {
		t.Fatalf("write = %d, %v; want %d", n, err, len(frame))
	}
	if got, want := term.String(), "\x1b[1mNumber \x1b[0m4111 1111 1111 1111 CVC 737\r\n"; got != want {
		t.Errorf("the terminal got %q, want %q", got, want)
	}
	if cap(o.buf) == 0 {
		t.Fatal("the frame did not go through Output's buffer")
	}
	if i := bytes.IndexFunc(o.buf[:cap(o.buf)], func(r rune) bool { return r != 0 }); i >= 0 {
		t.Errorf("Output's buffer still holds %q at %d after the write", o.buf[:cap(o.buf)][i], i)
	}

	// A number shorter than its placeholders fills what it has.
	term.Reset()
	s.Number = s.Number[:12]
	_, _ = o.Write([]byte(secretGlyphs(fieldNumber, 16, 4)))
	if got := term.String(); got != "4111 1111 1111 ••••" {
		t.Errorf("a short number shows as %q", got)
	}

	o.hide()
	term.Reset()
	_, _ = o.Write([]byte(frame))
	if got, want := term.String(), "\x1b[1mNumber \x1b[0m•••• •••• •••• •••• CVC •••\r\n"; got != want {
		t.Errorf("after hide the terminal got %q, want %q", got, want)
	}
}

// hide does not wait for a write stuck on a terminal that reads slowly: the
// dialog can always close.
func TestOutputHideDoesNotWaitForTheTerminal(t *testing.T) {
	w := &stuckWriter{entered: make(chan struct{}), release: make(chan struct{})}
	o := NewOutput(w)
	o.show(testSecrets())
	wrote := make(chan error, 1)
	go func() {
		_, err := o.Write([]byte(secretGlyphs(fieldNumber, 16, 4)))
		wrote <- err
	}()
	<-w.entered
	hidden := make(chan struct{})
	go func() { o.hide(); close(hidden) }()
	select {
	case <-hidden:
	case <-time.After(10 * time.Second):
		t.Fatal("hide waited for the stuck write")
	}
	close(w.release)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
}

type stuckWriter struct{ entered, release chan struct{} }

func (w *stuckWriter) Write(p []byte) (int, error) {
	close(w.entered)
	<-w.release
	return len(p), nil
}

// Behind an Output, Bubble Tea still sees the terminal: the program gets
// the terminal's own size from it.
func TestOutputPassesTheTerminalThrough(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 101, Rows: 33}); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, ptmx) }() // what the program draws
	o := NewOutput(tty)
	if o.Fd() != tty.Fd() {
		t.Fatalf("Fd = %d, want the terminal's %d", o.Fd(), tty.Fd())
	}
	if NewOutput(&bytes.Buffer{}).Fd() != ^uintptr(0) {
		t.Fatal("an Output over a buffer claims a file descriptor")
	}
	sized := make(chan tea.WindowSizeMsg, 1)
	p := tea.NewProgram(sizeModel{sized}, tea.WithInput(tty), tea.WithOutput(o), tea.WithoutSignals())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	select {
	case got := <-sized:
		if got.Width != 101 || got.Height != 33 {
			t.Errorf("the program got the size %dx%d, want the terminal's 101x33", got.Width, got.Height)
		}
	case <-time.After(10 * time.Second):
		t.Error("the program got no size")
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Errorf("the program: %v", err)
	}
}

// sizeModel reports the first size it is given and draws nothing.
type sizeModel struct{ sized chan tea.WindowSizeMsg }

func (m sizeModel) Init() tea.Cmd { return nil }

func (m sizeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(tea.WindowSizeMsg); ok {
		select {
		case m.sized <- s:
		default:
		}
	}
	return m, nil
}

func (m sizeModel) View() tea.View { return tea.NewView("") }

// Forget wipes what is on show, for a program that ended without closing
// its dialog, and leaves the slices' length for a dialog still drawing.
func TestOutputForgetWipes(t *testing.T) {
	var term bytes.Buffer
	o := NewOutput(&term)
	s := testSecrets()
	o.show(s)
	o.Forget()
	if !bytes.Equal(s.Number, make([]byte, 16)) || !bytes.Equal(s.CVC, make([]byte, 3)) {
		t.Fatalf("Forget left number %q and CVC %q", s.Number, s.CVC)
	}
	_, _ = o.Write([]byte(secretGlyphs(fieldCVC, 3, 0)))
	if got := term.String(); got != "•••" {
		t.Errorf("after Forget the terminal got %q", got)
	}
	o.Forget() // nothing on show: nothing to do
}

// Outside text never carries a placeholder to the screen: a merchant name
// holding one would show a digit of the number while the dialog is open.
func TestSafeDropsPlaceholders(t *testing.T) {
	name := "ACME" + secretGlyphs(fieldNumber, 4, 0) + " Ltd" + string(rune(secretGlyphBase+2*maxSecretDigits))
	if got, want := safe(name), "ACME Ltd"+string(rune(secretGlyphBase+2*maxSecretDigits)); got != want {
		t.Errorf("safe(%q) = %q, want %q", name, got, want)
	}
}
