package safetext

// The skip functions follow the ECMA-48 / VT500 parser closely enough that
// what a terminal would swallow as one sequence is removed as one sequence.
// Each takes the offset just after the sequence's introducer and returns the
// offset where ordinary text resumes. A sequence cut short by another ESC
// ends there and the ESC is parsed afresh; CAN and SUB cancel it.

// skipEscape skips the rest of a sequence that began with ESC at i-1.
func skipEscape(s string, i int) int {
	intermediate := false
	for i < len(s) {
		c := s[i]
		switch {
		case !intermediate && c == '[':
			return skipCSI(s, i+1)
		case !intermediate && c == ']':
			return skipString(s, i+1, true)
		case !intermediate && (c == 'P' || c == 'X' || c == '^' || c == '_'):
			return skipString(s, i+1, false)
		case c >= 0x20 && c <= 0x2f: // intermediate bytes, e.g. ESC ( B
			intermediate = true
		case c >= 0x30 && c <= 0x7e: // final byte: ESC 7, ESC c, ESC \ ...
			return i + 1
		case c == esc:
			return i
		case c == can || c == sub:
			return i + 1
		case c >= 0x80: // not part of an escape: a lone ESC
			return i
		}
		// Other C0 controls and DEL are ignored inside a sequence.
		i++
	}
	return i
}

// skipCSI skips the parameters, intermediates and final byte of a control
// sequence (ESC [ or U+009B).
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f: // parameter and intermediate bytes
		case c >= 0x40 && c <= 0x7e: // final byte
			return i + 1
		case c == esc:
			return i
		case c == can || c == sub:
			return i + 1
		case c >= 0x80:
			return i
		}
		i++
	}
	return i
}

// skipString skips the body of an OSC, DCS, SOS, PM or APC string up to and
// including its terminator: ST (ESC \ or U+009C), or BEL for OSC, which is
// how most programs end a title or clipboard write. Without a terminator the
// rest of s is the string.
func skipString(s string, i int, osc bool) int {
	for i < len(s) {
		switch c := s[i]; {
		case c == bel && osc:
			return i + 1
		case c == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case c == can || c == sub:
			return i + 1
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C, 8-bit ST
			return i + 2
		}
		i++
	}
	return i
}
