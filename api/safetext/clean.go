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
//     U+2066–U+2069), which can make text read differently from what it is;
//   - characters that draw nothing (see isInvisible): zero width space, word
//     joiner, BOM, soft hyphen, tags, fillers and the like, which could hide
//     a card number from MaskPANs ("4111\u200b1111…") or make two different
//     names look the same. The zero width joiner and non-joiner (U+200D,
//     U+200C) are kept only between two visible non-ASCII characters other
//     than digits, where emoji sequences ("👨‍👩‍👧") and Persian and Indic
//     words need them; anywhere else they are removed;
//   - the line and paragraph separators U+2028 and U+2029, which become a
//     space like a line break.
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
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
			brk, prev = false, rune(c)
			i++
			continue
		}
		switch c {
		case '\t', '\n', '\r':
			if !brk {
				b.WriteByte(' ')
				brk, prev = true, ' '
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
			brk, prev = false, utf8.RuneError
		case r == 0x9b:
			i = skipCSI(s, i)
		case r == 0x9d:
			i = skipString(s, i, true)
		case r == 0x90, r == 0x98, r == 0x9e, r == 0x9f:
			i = skipString(s, i, false)
		case r == 0x2028, r == 0x2029:
			if !brk {
				b.WriteByte(' ')
				brk, prev = true, ' '
			}
		case isJoiner(r):
			if joins(prev, s[i:]) {
				b.WriteString(s[i-size : i])
				brk, prev = false, r
			}
		case r <= 0x9f, isBidi(r), isInvisible(r):
			// dropped
		default:
			b.WriteString(s[i-size : i])
			brk, prev = false, r
		}
	}
	return b.String()
}

// firstUnsafe returns the byte offset of the first thing in s that Clean
// would change, or len(s) when there is none.
func firstUnsafe(s string) int {
	prev := rune(-1)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			prev = rune(c)
			i++
			continue
		}
		if c < 0x80 {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case (r == utf8.RuneError && size == 1) || r <= 0x9f || isBidi(r) || isInvisible(r) || r == 0x2028 || r == 0x2029:
			return i
		case isJoiner(r) && !joins(prev, s[i+size:]):
			return i
		}
		prev = r
		i += size
	}
	return len(s)
}

// isBidi reports whether r is a bidirectional formatting control.
func isBidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// isInvisible reports whether r is a character that draws nothing and that
// no name, place or message needs: it could only hide what is around it.
func isInvisible(r rune) bool {
	switch {
	case r == 0x00ad, // soft hyphen
		r == 0x034f,              // combining grapheme joiner
		r == 0x115f, r == 0x1160, // Hangul choseong and jungseong fillers
		r == 0x3164, r == 0xffa0, // Hangul fillers, drawn as blanks
		r == 0x180e,                  // Mongolian vowel separator
		r == 0x200b,                  // zero width space
		r >= 0x2060 && r <= 0x2064,   // word joiner, invisible operators
		r >= 0x206a && r <= 0x206f,   // deprecated format controls
		r == 0xfeff,                  // zero width no-break space (BOM)
		r >= 0xfff9 && r <= 0xfffb,   // interlinear annotation
		r >= 0xe0000 && r <= 0xe007f: // tags
		return true
	}
	return false
}

// isJoiner reports whether r is the zero width non-joiner or joiner.
func isJoiner(r rune) bool { return r == 0x200c || r == 0x200d }

// joins reports whether a joiner between prev (the last rune written) and
// the start of rest should stay: both must be visible non-ASCII characters
// that Clean keeps as they are, and not digits, so that a joiner can
// neither stand alone nor split a card number.
func joins(prev rune, rest string) bool {
	if !joinable(prev) || rest == "" {
		return false
	}
	next, size := utf8.DecodeRuneInString(rest)
	return !(next == utf8.RuneError && size == 1) && joinable(next)
}

func joinable(r rune) bool {
	if r < 0xa0 || r == utf8.RuneError || isBidi(r) || isInvisible(r) || isJoiner(r) || r == 0x2028 || r == 0x2029 {
		return false
	}
	_, digit := digitValue(r)
	return !digit
}
