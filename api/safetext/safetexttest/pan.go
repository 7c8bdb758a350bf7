package safetexttest

import (
	"fmt"
	"regexp"
	"strings"
)

// PAN is a Luhn-valid 16-digit card number distinct for each i (0–99),
// written in groups of four: "4929 58ii 7316 042c". Its first twelve digits
// are what masking must hide; see Hidden.
func PAN(i int) string {
	digits := fmt.Sprintf("492958%02d7316042", i%100)
	return group(digits + string(rune('0'+checkDigit(digits))))
}

// PANDashed is PAN(i) written with dashes.
func PANDashed(i int) string { return strings.ReplaceAll(PAN(i), " ", "-") }

// PANTight is PAN(i) written without separators.
func PANTight(i int) string { return strings.ReplaceAll(PAN(i), " ", "") }

// Hidden lists the forms of the first twelve digits of pan (as PAN writes
// it) that must never be seen once it is masked: together, grouped with
// spaces and with dashes.
func Hidden(pan string) []string {
	digits := strings.NewReplacer(" ", "", "-", "").Replace(pan)
	first := digits[:12]
	return []string{first, group(first), strings.ReplaceAll(group(first), " ", "-")}
}

// LastFour is the last four digits of pan.
func LastFour(pan string) string { return pan[len(pan)-4:] }

func group(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(digits[i:min(i+4, len(digits))])
	}
	return b.String()
}

// checkDigit is the Luhn check digit that completes digits.
func checkDigit(digits string) int {
	sum := 0
	double := true // the check digit is not doubled, so the last given digit is
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

// Luhn reports whether ASCII digits pass the Luhn check; it is written
// apart from the code under test.
func Luhn(digits string) bool {
	return len(digits) > 1 && checkDigit(digits[:len(digits)-1]) == int(digits[len(digits)-1]-'0')
}

var (
	runPattern   = regexp.MustCompile(`[0-9]+(?:[ -][0-9]+)*`)
	groupPattern = regexp.MustCompile(`[0-9]+`)
)

// FindPAN returns the first card number in s — 13 to 19 ASCII digits made
// of whole consecutive groups of a run of groups separated by single
// spaces or dashes, passing Luhn — or "". It is written apart from the
// code under test.
func FindPAN(s string) string {
	for _, run := range runPattern.FindAllString(s, -1) {
		groups := groupPattern.FindAllString(run, -1)
		for i := range groups {
			digits := ""
			for _, g := range groups[i:] {
				digits += g
				if len(digits) > 19 {
					break
				}
				if len(digits) >= 13 && Luhn(digits) {
					return digits
				}
			}
		}
	}
	return ""
}
