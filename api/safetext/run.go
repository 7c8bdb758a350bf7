package safetext

import (
	"strings"
	"unicode/utf8"
)

// digitRun holds one maximal run of digit groups joined by single
// separators, as found by scan, and the card numbers in it. It is reused
// from run to run; scan and findPANs take and return it by value so that
// its slices can live on the caller's stack.
type digitRun struct {
	src    string
	digits []digit
	groups []group
	spans  []span
}

type digit struct {
	value      int
	start, end int // byte offsets in s
}

// group is digits[first:last] written together with no separator.
type group struct{ first, last int }

// span is a card number found in the run: digits[first:last], written as
// s[start:end].
type span struct {
	first, last int
	start, end  int
}

// scan reads the run that starts with the digit at s[i] and returns it with
// the offset just after it.
func (r digitRun) scan(s string, i int) (digitRun, int) {
	r.src, r.digits, r.groups = s, r.digits[:0], r.groups[:0]
	first := 0
	for i < len(s) {
		c, size := utf8.DecodeRuneInString(s[i:])
		if v, ok := digitValue(c); ok {
			r.digits = append(r.digits, digit{value: v, start: i, end: i + size})
			i += size
			continue
		}
		if !isSeparator(c) || i+size >= len(s) {
			break
		}
		next, _ := utf8.DecodeRuneInString(s[i+size:])
		if _, ok := digitValue(next); !ok {
			break
		}
		r.groups = append(r.groups, group{first, len(r.digits)})
		first = len(r.digits)
		i += size
	}
	r.groups = append(r.groups, group{first, len(r.digits)})
	return r, i
}

// findPANs returns r with r.spans set to its card numbers, left to right.
// From each group it takes the longest card number made of whole groups
// starting there; when there is none it moves on to the next group.
//
// A masked card number leaves its last four digits in the text, and they
// join the groups that follow it into a run again. So after a card number
// the next candidate starts at those four digits; a card number found from
// there is merged into the one before, and the result holds none at all.
func (r digitRun) findPANs() digitRun {
	r.spans = r.spans[:0]
	if len(r.digits) < minPAN {
		return r
	}
	afterPAN := false // the candidate starts with the last four digits shown
	for g := 0; g < len(r.groups); {
		from := r.groups[g].first
		if afterPAN {
			from -= 4
		}
		end := -1 // the last group of the longest card number from `from`
		for h := g; h < len(r.groups); h++ {
			n := r.groups[h].last - from
			if n > maxPAN {
				break
			}
			if n >= minPAN && r.luhn(from, r.groups[h].last) {
				end = h
			}
		}
		switch {
		case end >= 0 && afterPAN:
			prev := &r.spans[len(r.spans)-1]
			*prev = r.span(prev.first, r.groups[end].last)
			g = end + 1
		case end >= 0:
			r.spans = append(r.spans, r.span(from, r.groups[end].last))
			afterPAN = true
			g = end + 1
		case afterPAN:
			afterPAN = false // try again from group g itself
		default:
			g++
		}
	}
	return r
}

// luhn runs the Luhn check over digits[first:last].
func (r digitRun) luhn(first, last int) bool {
	sum := 0
	double := false
	for k := last - 1; k >= first; k-- {
		sum += luhnDigit(r.digits[k].value, double)
		double = !double
	}
	return sum%10 == 0
}

// span describes digits[first:last] as a card number.
func (r digitRun) span(first, last int) span {
	return span{first: first, last: last, start: r.digits[first].start, end: r.digits[last-1].end}
}

// writeMasked writes sp as it shows once masked: "•••• " and its last four
// digits as they were written.
func (r digitRun) writeMasked(b *strings.Builder, sp span) {
	b.WriteString(maskPrefix)
	for _, d := range r.digits[sp.last-4 : sp.last] {
		b.WriteString(r.src[d.start:d.end])
	}
}
