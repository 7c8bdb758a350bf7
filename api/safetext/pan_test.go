package safetext

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestMaskPANs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"no digits", "CARREFOUR DEIRA", "CARREFOUR DEIRA"},
		{"spaces", "card 4111 1111 1111 1111 declined", "card •••• 1111 declined"},
		{"together", "4111111111111111", "•••• 1111"},
		{"dashes", "4111-1111-1111-1111", "•••• 1111"},
		{"mixed separators", "pan 5555 5555-5555 4444.", "pan •••• 4444."},
		{"Amex grouping", "3782 822463 10005", "•••• 0005"},
		{"13 digits", "4222222222222", "•••• 2222"},
		{"19 digits", "4000000000000000006", "•••• 0006"},
		{"no-break spaces", "4111\u00a01111\u00a01111\u00a01111", "•••• 1111"},
		{"Arabic-Indic digits", "بطاقة ٤١١١١١١١١١١١١١١١", "بطاقة •••• ١١١١"},
		{"fullwidth digits", "４１１１１１１１１１１１１１１１", "•••• １１１１"},

		{"Luhn-invalid", "card 4111 1111 1111 1112", "card 4111 1111 1111 1112"},
		{"order number", "Order 1234567890123 shipped", "Order 1234567890123 shipped"},
		{"12 digits, Luhn-valid", "ref 411111111117", "ref 411111111117"},
		{"20 digits, Luhn-valid", "ref 41111111111111111115", "ref 41111111111111111115"},
		{"double spaces split the run", "4111  1111  1111  1111", "4111  1111  1111  1111"},
		{"space and dash split the run", "4111 -1111 -1111 -1111", "4111 -1111 -1111 -1111"},
		{"phone number", "+971 50 123 4567", "+971 50 123 4567"},
		{"amount", "AED 1,234,567,890.12", "AED 1,234,567,890.12"},

		{"several", "from 4111111111111111 to 5555555555554444", "from •••• 1111 to •••• 4444"},
		{"several separated by two spaces", "4111111111111111  5555555555554444", "•••• 1111  •••• 4444"},
		{"adjacent to letters", "ref4111111111111111x", "ref•••• 1111x"},
		{"trailing separator", "4111111111111111- ok", "•••• 1111- ok"},
		{"followed by its CVC", "4111 1111 1111 1111 123", "•••• 1111 123"},
		{"after a quantity", "qty 2 4111 1111 1111 1111", "qty 2 •••• 1111"},
		{"a card number inside a longer grouped run", "4111 1111 1111 1111 1111", "•••• 1111 1111"},
		// "1111 123456786" is Luhn-valid: the four digits left showing must
		// not make a card number with the group after them.
		{"last four digits and the next group", "4111 1111 1111 1111 123456786", "•••• 6786"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPANs(tt.in); got != tt.want {
				t.Errorf("MaskPANs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"", false},
		{"0", true},
		{"79927398713", true},
		{"79927398710", false},
		{"4111111111111111", true},
		{"4111111111111112", false},
		{"378282246310005", true},
		{"4111 1111 1111 1111", false},
		{"4111-1111-1111-1111", false},
		{"abc", false},
		{"٤١١١", false},
	}
	for _, tt := range tests {
		if got := Luhn(tt.digits); got != tt.want {
			t.Errorf("Luhn(%q) = %v, want %v", tt.digits, got, tt.want)
		}
	}
}

func TestMaskPANsFastPathDoesNotAllocate(t *testing.T) {
	for _, s := range []string{
		"", "AMAZON.AE*2K4 MARKETPLACE", "+971 50 123 4567", "Order 123456789012",
		"كارفور سيتي سنتر ديرة فرع ١٢", "ｃａｆｅ　１２３４５６",
	} {
		if got := MaskPANs(s); unsafe.StringData(got) != unsafe.StringData(s) {
			t.Errorf("MaskPANs(%q) did not return its argument itself", s)
		}
		if allocs := testing.AllocsPerRun(100, func() { _ = MaskPANs(s) }); allocs != 0 {
			t.Errorf("MaskPANs(%q) allocated %v times, want 0", s, allocs)
		}
	}
}

// Written independently of run.go: a maximal run of digit groups, and the
// digit classes and separators MaskPANs documents.
var (
	runPattern   = regexp.MustCompile(`[0-9٠-٩۰-۹０-９]+(?:[ \-\x{00a0}\x{202f}\x{2010}-\x{2013}][0-9٠-٩۰-۹０-９]+)*`)
	groupPattern = regexp.MustCompile(`[0-9٠-٩۰-۹０-９]+`)
)

// asciiDigits rewrites the digits MaskPANs recognises as ASCII digits.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		for _, zero := range []rune{'0', 0x0660, 0x06f0, 0xff10} {
			if r >= zero && r <= zero+9 {
				return '0' + r - zero
			}
		}
		return r
	}, s)
}

// findPAN returns a Luhn-valid run of 13–19 digits made of whole consecutive
// groups of a run in s, or "".
func findPAN(s string) string {
	for _, run := range runPattern.FindAllString(s, -1) {
		groups := groupPattern.FindAllString(asciiDigits(run), -1)
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

func FuzzMaskPANs(f *testing.F) {
	for _, s := range []string{
		"", "4111111111111111", "card 4111 1111 1111 1111 declined", "4111-1111-1111-1111",
		"4111111111111112", "411111111117", "41111111111111111115", "4111 1111 1111 1111 1111",
		"4111 1111 1111 1111 123", "qty 2 4111 1111 1111 1111", "٤١١١١١١١١١١١١١١١",
		"1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9", "0000000000000 0000000000000",
		"4111 1111 1111 1111 123456786", "\xd9\xa0\xdb\xb9\xef\xbc\x90\xef\xbc", "١٢٣٤٥٦٧٨٩٠١٢",
	} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f" + "4929 5801 7316 0424")
	f.Add("4929-5801-7316-0424 4929580173160424")
	f.Add("0041111111111111111000000")
	f.Fuzz(func(t *testing.T, s string) {
		digits := strings.Join(groupPattern.FindAllString(s, -1), "")
		if want := utf8.RuneCountInString(digits) >= 13; mayHoldPAN(s) != want {
			t.Fatalf("mayHoldPAN(%q) = %v, want %v (digits %q)", s, !want, want, digits)
		}
		got := MaskPANs(s)
		if pan := findPAN(got); pan != "" {
			t.Fatalf("MaskPANs(%q) = %q still holds card number %s", s, got, pan)
		}
		if findPAN(s) == "" && got != s {
			t.Fatalf("MaskPANs(%q) = %q changed a string without a card number", s, got)
		}
	})
}
