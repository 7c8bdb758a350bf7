package safetext

import (
	"strings"
	"unicode/utf8"
)

// Card numbers (PANs) have 13 to 19 digits.
const (
	minPAN = 13
	maxPAN = 19
)

// maskPrefix replaces all but the last four digits of a card number.
const maskPrefix = "•••• "

// MaskPANs replaces every card number in s by "•••• " and its last four
// digits: "card 4111 1111 1111 1111 declined" becomes
// "card •••• 1111 declined".
//
// A card number is a run of 13 to 19 digits, written together or in groups
// separated by a single space or dash (as people write them), that passes
// the Luhn check. Letters around it do not protect it: "ref4111111111111111"
// is masked too. A run that fails Luhn, or has fewer than 13 or more than 19
// digits and no card number inside, is left as it is: an order number is not
// a card number.
//
// When a run of groups is not itself a card number, MaskPANs also looks for
// one made of whole consecutive groups inside it, so a number followed by
// its CVC or preceded by a quantity ("4111 1111 1111 1111 123") is still
// masked. The result never contains a card number, including one formed by
// the four digits left showing and the digits after them. Arabic-Indic and
// fullwidth digits count as digits.
//
// What it does not catch, by design or for now (each pinned by a test, so
// that a change is deliberate):
//   - other separators: dots, slashes, underscores, commas, tabs and line
//     breaks, two spaces in a row, thin, figure or ideographic spaces, em
//     dashes and minus signs ("4111.1111.1111.1111"). [Safe] turns tabs and
//     line breaks into single spaces first, so through Safe those are
//     caught;
//   - digits of other scripts (Devanagari, Bengali, mathematical digits…);
//   - a card number that is only part of a group ("4111 1111 1111 11111",
//     or 16 digits inside a 23-digit run): whole groups or nothing;
//   - characters between the digits that draw nothing (zero width space,
//     soft hyphen): [Clean] removes them, so through Safe they are caught;
//   - a number split over two values that are masked separately (two
//     metadata values, two cells) and shown side by side.
//
// When s has fewer than 13 digits MaskPANs returns s itself without
// allocating.
func MaskPANs(s string) string {
	if !mayHoldPAN(s) {
		return s
	}
	return mask(s)
}

// Luhn reports whether digits, a string of ASCII digits, passes the Luhn
// (mod 10) check that every card number carries in its last digit. It is
// false for an empty string or one with any other character.
func Luhn(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += luhnDigit(int(c-'0'), double)
		double = !double
	}
	return sum%10 == 0
}

func luhnDigit(d int, double bool) int {
	if !double {
		return d
	}
	d *= 2
	if d > 9 {
		d -= 9
	}
	return d
}

// mayHoldPAN is the fast path: it reports whether s has at least 13 of the
// digits MaskPANs recognises, looking at bytes without decoding runes.
func mayHoldPAN(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c-'0' < 10 || (c >= 0x80 && isNonASCIIDigitAt(s, i)) {
			n++
			if n >= minPAN {
				return true
			}
		}
	}
	return false
}

// isNonASCIIDigitAt reports whether one of the non-ASCII digits digitValue
// accepts is encoded at s[i].
func isNonASCIIDigitAt(s string, i int) bool {
	switch s[i] {
	case 0xd9: // U+0660–U+0669 are D9 A0–A9
		return i+1 < len(s) && s[i+1]-0xa0 < 10
	case 0xdb: // U+06F0–U+06F9 are DB B0–B9
		return i+1 < len(s) && s[i+1]-0xb0 < 10
	case 0xef: // U+FF10–U+FF19 are EF BC 90–99
		return i+2 < len(s) && s[i+1] == 0xbc && s[i+2]-0x90 < 10
	}
	return false
}

// digitValue returns the value of r if it is a digit MaskPANs recognises.
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= 0x0660 && r <= 0x0669: // Arabic-Indic
		return int(r - 0x0660), true
	case r >= 0x06f0 && r <= 0x06f9: // Extended Arabic-Indic (Persian, Urdu)
		return int(r - 0x06f0), true
	case r >= 0xff10 && r <= 0xff19: // fullwidth
		return int(r - 0xff10), true
	}
	return 0, false
}

// isSeparator reports whether r may stand alone between two digit groups of
// one card number: a space or a dash, including the no-break and Unicode
// forms word processors substitute for them.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '-', 0x00a0, 0x202f, 0x2010, 0x2011, 0x2012, 0x2013:
		return true
	}
	return false
}

// mask masks the card numbers of s, run by run.
func mask(s string) string {
	var b strings.Builder
	// Backing arrays big enough for the runs of ordinary text, so that
	// masking them does not allocate beyond the result.
	var (
		digits [2 * maxPAN]digit
		groups [8]group
		spans  [2]span
	)
	r := digitRun{digits: digits[:0], groups: groups[:0], spans: spans[:0]}
	last := 0 // s[:last] has been written to b (or is still a prefix of s)
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := digitValue(c); !ok {
			i += size
			continue
		}
		var end int
		r, end = r.scan(s, i)
		r = r.findPANs()
		for _, sp := range r.spans {
			if last == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:sp.start])
			r.writeMasked(&b, sp)
			last = sp.end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
