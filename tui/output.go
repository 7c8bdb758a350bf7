package tui

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api"
)

// Output is a dashboard's terminal output; pass it to the program
// (tea.WithOutput) and to the dashboard (Options.Output), and call Forget
// once the program has returned.
//
// A card's number and CVC never enter a frame. Bubble Tea's View is a
// string, and every frame's string, lipgloss's strings on the way to it,
// the renderer's last frame and cells, and its output buffer outlive the
// reveal dialog: some stay reachable until a later frame replaces them, all
// of them stay in memory the runtime has freed until it reuses it, and none
// can be wiped. So the dialog draws a placeholder glyph for each digit (see
// secretGlyph), and Output puts the digits in their place on the way to the
// terminal, in a buffer it zeroes once the write returns.
type Output struct {
	w io.Writer

	mu    sync.Mutex
	shown *api.CardSecrets // lent by the reveal dialog while it shows them; nil when hidden

	// wmu serialises writes, which the renderer and Bubble Tea's own
	// sequences may make at once, over buf. It is not mu, so that hide never
	// waits for a terminal that is slow to read.
	wmu sync.Mutex
	buf []byte // a frame with the digits in place; all zero between writes
}

// NewOutput returns an Output writing to w, the terminal: os.Stdout, or an
// SSH session.
func NewOutput(w io.Writer) *Output { return &Output{w: w} }

// show lends the values to the output until hide; the dialog wipes them
// only after hide has returned.
func (o *Output) show(s *api.CardSecrets) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.shown = s
}

// hide ends the loan: from now on a placeholder is written as "•". A write
// that has put the digits in its buffer already still sends them, then
// zeroes them.
func (o *Output) hide() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.shown = nil
}

// Forget wipes the values on show, if any, and ends the loan. Call it once
// the program has returned: a program ended from outside (its context, a
// client that hung up, an idle timeout, a shutdown) never closes its
// dialog, which would have wiped them. It clears the bytes and leaves the
// slices as they are, so that a dialog still drawing reads only their
// length.
func (o *Output) Forget() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.shown != nil {
		clear(o.shown.Number)
		clear(o.shown.CVC)
		o.shown = nil
	}
}

// Write sends p to the terminal, with the digits on show in place of their
// placeholders. A p with no placeholder (nearly every frame) goes through
// as it is.
func (o *Output) Write(p []byte) (int, error) {
	if !bytes.Contains(p, []byte(secretGlyphPrefix)) {
		return o.w.Write(p)
	}
	o.wmu.Lock()
	defer o.wmu.Unlock()
	if cap(o.buf) < len(p) {
		// A placeholder is four bytes and what replaces it at most three,
		// so the frame fits in len(p) and appending never moves it: a
		// move would leave a copy behind.
		o.buf = make([]byte, 0, len(p))
	}
	frame := o.fill(o.buf[:0], p)
	_, err := o.w.Write(frame)
	clear(frame)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// fill appends p to dst with each placeholder replaced by its digit, or by
// "•" when it has none on show.
func (o *Output) fill(dst, p []byte) []byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(p) > 0 {
		i := bytes.Index(p, []byte(secretGlyphPrefix))
		if i < 0 {
			return append(dst, p...)
		}
		dst = append(dst, p[:i]...)
		p = p[i:]
		field, pos, ok := parseSecretGlyph(p)
		if !ok {
			dst = append(dst, p[0])
			p = p[1:]
			continue
		}
		if d, ok := o.digit(field, pos); ok {
			dst = append(dst, d)
		} else {
			dst = append(dst, "•"...)
		}
		p = p[secretGlyphLen:]
	}
	return dst
}

// digit is the digit on show at pos of field.
func (o *Output) digit(field secretField, pos int) (byte, bool) {
	if o.shown == nil {
		return 0, false
	}
	var v []byte
	switch field {
	case fieldNumber:
		v = o.shown.Number
	case fieldCVC:
		v = o.shown.CVC
	}
	if pos >= len(v) {
		return 0, false
	}
	return v[pos], true
}

// Read, Close and Fd pass through to the terminal, so that Bubble Tea sees
// a terminal (its size, raw mode) behind an Output as it would without it.

func (o *Output) Read(p []byte) (int, error) {
	if r, ok := o.w.(io.Reader); ok {
		return r.Read(p)
	}
	return 0, io.EOF
}

func (o *Output) Close() error {
	if c, ok := o.w.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Fd is the terminal's file descriptor, or one no terminal has when the
// output is not a file.
func (o *Output) Fd() uintptr {
	if f, ok := o.w.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}

// secretField is which value a placeholder stands for.
type secretField int

const (
	fieldNumber secretField = iota
	fieldCVC
)

// Placeholders are code points of the last private use plane, which no
// text carddesk shows has a use for: U+10FC00 + 32×field + position. They
// are one cell wide, as digits are, so the renderer lays the frame out as
// the terminal will show it. All 64 share their first three UTF-8 bytes.
const (
	secretGlyphBase   = 0x10FC00
	secretGlyphLen    = 4
	secretGlyphPrefix = "\xf4\x8f\xb0"
	maxSecretDigits   = 32
)

// secretGlyph is the placeholder for position pos of field.
func secretGlyph(field secretField, pos int) rune {
	return rune(secretGlyphBase + int(field)*maxSecretDigits + pos)
}

// parseSecretGlyph reads a placeholder at the start of p.
func parseSecretGlyph(p []byte) (secretField, int, bool) {
	r, size := utf8.DecodeRune(p)
	n := int(r) - secretGlyphBase
	if size != secretGlyphLen || n < 0 || n >= 2*maxSecretDigits {
		return 0, 0, false
	}
	return secretField(n / maxSecretDigits), n % maxSecretDigits, true
}

// withoutSecretGlyphs is s with every placeholder removed.
func withoutSecretGlyphs(s string) string {
	if !strings.Contains(s, secretGlyphPrefix) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= secretGlyphBase && r < secretGlyphBase+2*maxSecretDigits {
			return -1
		}
		return r
	}, s)
}

// secretGlyphs is the placeholder text for a value of n digits, in groups
// of group digits separated by a space (0: one group).
func secretGlyphs(field secretField, n, group int) string {
	var sb []rune
	for i := range min(n, maxSecretDigits) {
		if group > 0 && i > 0 && i%group == 0 {
			sb = append(sb, ' ')
		}
		sb = append(sb, secretGlyph(field, i))
	}
	return string(sb)
}
