package safetext

import "unicode/utf8"

// Clip returns s made Safe and cut to at most n characters, ending with
// "…" when anything was cut: the form in which an error message or a log
// line quotes a value from outside (a timestamp that does not parse, an
// unknown status, a header). Card numbers are masked before the cut, so a
// cut can never leave the digits of one unmasked, and what is left after
// the cut is masked again, so that it never looks like one either. n of
// zero or less gives "" for an empty s and "…" otherwise.
func Clip(s string, n int) string {
	s = Safe(s)
	if utf8.RuneCountInString(s) <= max(n, 0) {
		return s
	}
	if n <= 0 {
		return ellipsis
	}
	cut, count := 0, 0
	for i := range s {
		if count == n {
			cut = i
			break
		}
		count++
	}
	// Masked again: a cut can leave 13 to 19 digits of a longer run, which
	// is no card number, looking like one.
	return MaskPANs(s[:cut]) + ellipsis
}
