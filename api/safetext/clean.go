package safetext

import (
	"strings"
	"unicode/utf8"
)

// Bytes with a meaning inside escape sequences.
const (
	esc = 0x1b // starts an escape sequence; aborts one in progress
	bel = 0x07 // terminates an OSC string
	can = 0x18 // cancels a sequence in progress
	sub = 0x1a // cancels a sequence in progress
)

// Clean returns s with everything a terminal would act on removed:
//   - C0 controls (U+0000–U+001F), DEL and C1 controls (U+0080–U+009F);
//     a run of \t, \n and \r becomes a single space, so a multi-line value
//     still reads as words on one line;
//   - whole escape sequences, not only their ESC: CSI (ESC [ … final byte),
//     OSC (ESC ] … BEL or ST), DCS, SOS, PM and APC strings (ESC P, X, ^,
//     _ … ST), two-byte ESC sequences, and their 8-bit forms (U+009B CSI,
//     U+009D OSC, U+0090 DCS, U+0098 SOS, U+009E PM, U+009F APC);
//     an unterminated sequence is removed up to the end of s;
//   - bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
//     U+2066–U+2069), which can make text read differently from what it is.
//
// Invalid UTF-8 bytes become U+FFFD. Printable text in any script, emoji
// included, passes unchanged, and when nothing needs cleaning Clean returns s
// itself without allocating. The result never needs cleaning again:
// Clean(Clean(s)) == Clean(s).
func Clean(s string) string {
	i := firstUnsafe(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	brk := false // the last thing written is the space for a line break or tab
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
			brk = false
			i++
			continue
		}
		switch c {
		case '\t', '\n', '\r':
			if !brk {
				b.WriteByte(' ')
				brk = true
			}
			i++
			continue
		case esc:
			i = skipEscape(s, i+1)
			continue
		}
		if c < 0x80 { // other C0 controls and DEL
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			brk = false
		case r == 0x9b:
			i = skipCSI(s, i)
		case r == 0x9d:
			i = skipString(s, i, true)
		case r == 0x90, r == 0x98, r == 0x9e, r == 0x9f:
			i = skipString(s, i, false)
		case r <= 0x9f, isBidi(r):
			// dropped
		default:
			b.WriteString(s[i-size : i])
			brk = false
		}
	}
	return b.String()
}

// firstUnsafe returns the byte offset of the first thing in s that Clean
// would change, or len(s) when there is none.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < 0x80 {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r <= 0x9f || isBidi(r) {
			return i
		}
		i += size
	}
	return len(s)
}

// isBidi reports whether r is a bidirectional formatting control.
func isBidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
