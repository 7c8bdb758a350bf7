package live

import (
	"strconv"
	"testing"

	"github.com/carddesk/carddesk/api/safetext/safetexttest"
)

// FuzzParseAfter: a subscriber's after= parameter parses to exactly the
// number it writes, or is refused with an answer that quotes it safely.
func FuzzParseAfter(f *testing.F) {
	for _, s := range []string{"", "0", "42", "007", "18446744073709551615", "18446744073709551616", "-1", "1e3",
		"4929580173160424", "4929 5801 7316 0424", "\x1b]52;c;eA==\x07", "\u202e12", "١٢", " 1"} {
		f.Add(s, false)
	}
	f.Add("1", true)
	f.Fuzz(func(t *testing.T, v string, twice bool) {
		values := []string{v}
		if twice {
			values = append(values, v)
		}
		n, err := parseAfter(values)
		if err != nil {
			if p := append(safetexttest.Controls(err.Error()), safetexttest.CardNumbers(err.Error(), nil)...); len(p) > 0 {
				t.Fatalf("parseAfter(%q) error %q: %v", v, err, p)
			}
			return
		}
		if twice {
			t.Fatalf("parseAfter accepted after given twice")
		}
		want, perr := strconv.ParseUint(v, 10, 64)
		if perr != nil || want != n {
			t.Fatalf("parseAfter(%q) = %d, want %d (%v)", v, n, want, perr)
		}
	})
}
