package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain ASCII", "CARREFOUR CITY CENTRE DEIRA", "CARREFOUR CITY CENTRE DEIRA"},
		{"Arabic", "كارفور سيتي سنتر ديرة", "كارفور سيتي سنتر ديرة"},
		{"Japanese", "スターバックス 東京", "スターバックス 東京"},
		{"emoji with ZWJ and flag", "Café ☕ 👨‍👩‍👧 🇦🇪", "Café ☕ 👨‍👩‍👧 🇦🇪"},
		{"valid U+FFFD kept", "a\uFFFDb", "a\uFFFDb"},

		{"OSC 52 clipboard write with BEL", "\x1b]52;c;ZXZpbA==\a", ""},
		{"OSC 52 clipboard write with ST", "\x1b]52;c;ZXZpbA==\x1b\\", ""},
		{"OSC 52 inside a name", "PAY\x1b]52;c;cm0gLXJmIC8K\aNOW", "PAYNOW"},
		{"title set", "\x1b]0;pwned\x07Shop", "Shop"},
		{"title set with ST", "\x1b]2;pwned\x1b\\Shop", "Shop"},
		{"hyperlink", "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"cursor position", "a\x1b[10;20Hb", "ab"},
		{"cursor up and back", "Shop\x1b[A\x1b[5DX", "ShopX"},
		{"screen clear", "\x1b[2J\x1b[HShop", "Shop"},
		{"colour", "\x1b[31mRED\x1b[0m", "RED"},
		{"private mode", "\x1b[?1049h\x1b[?25lhidden", "hidden"},
		{"DCS", "\x1bP+q544e\x1b\\after", "after"},
		{"DCS with BEL inside", "\x1bPq\a#0\x1b\\after", "after"},
		{"SOS PM APC", "a\x1bXsos\x1b\\b\x1b^pm\x1b\\c\x1b_apc\x1b\\d", "abcd"},
		{"two-byte reset", "\x1bcShop", "Shop"},
		{"save and restore cursor", "\x1b7Shop\x1b8", "Shop"},
		{"charset designation", "\x1b(BShop\x1b)0", "Shop"},
		{"reverse index", "\x1bMShop", "Shop"},
		{"intermediate before P is a final", "\x1b PShop", "Shop"},

		{"8-bit CSI", "\u009b31mred\u009b0m", "red"},
		{"8-bit CSI screen clear", "\u009b2J", ""},
		{"8-bit OSC with 8-bit ST", "\u009d0;title\u009cShop", "Shop"},
		{"8-bit OSC with BEL", "\u009d52;c;eA==\aShop", "Shop"},
		{"8-bit DCS", "\u0090q#0\u009cShop", "Shop"},
		{"8-bit APC", "\u009fapc\x1b\\Shop", "Shop"},
		{"lone C1", "a\u0085b\u009cc\u0080d", "abcd"},

		{"lone ESC at the end", "Shop\x1b", "Shop"},
		{"CSI cut at the end", "Shop\x1b[", "Shop"},
		{"CSI parameters cut at the end", "Shop\x1b[31;4", "Shop"},
		{"OSC cut at the end", "Shop\x1b]0;title", "Shop"},
		{"ESC then ESC", "\x1b\x1b[2Jx", "x"},
		{"ESC then non-ASCII", "\x1bé", "é"},
		{"CSI aborted by ESC", "\x1b[31\x1b[0mx", "x"},
		{"CSI cancelled by CAN", "\x1b[31\x18x", "x"},
		{"CSI cancelled by SUB", "\x1b[31\x1ax", "x"},
		{"control inside CSI ignored", "\x1b[3\x002mx", "x"},
		{"OSC aborted by ESC", "\x1b]0;t\x1b[2Jx", "x"},
		{"OSC cancelled by CAN", "\x1b]0;t\x18x", "x"},
		{"CSI ended by non-ASCII", "\x1b[31é", "é"},

		{"NUL", "a\x00b", "ab"},
		{"BEL", "a\ab", "ab"},
		{"backspaces", "abc\b\b\bxyz", "abcxyz"},
		{"DEL", "a\x7fb", "ab"},
		{"form feed and vertical tab", "a\fb\vc", "abc"},
		{"tab", "a\tb", "a b"},
		{"newline", "line1\nline2", "line1 line2"},
		{"CRLF is one space", "a\r\nb", "a b"},
		{"blank lines are one space", "a\n\n\nb", "a b"},
		{"spaces around a newline kept", "a \n b", "a   b"},
		{"break runs across removed controls", "a\n\x1b[0m\x00\nb", "a b"},
		{"carriage return overwrite", "Refund approved\rDeclined", "Refund approved Declined"},
		{"only a newline", "\n", " "},

		{"RLO override", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"isolates", "\u2066x\u2067y\u2068z\u2069", "xyz"},
		{"embeddings and PDF", "\u202Aa\u202Bb\u202Cc\u202Dd", "abcd"},
		{"marks", "\u200Ea\u200Fb\u061Cc", "abc"},

		{"invalid byte", "a\xffb", "a\uFFFDb"},
		{"truncated sequence", "caf\xc3", "caf\uFFFD"},
		{"surrogate encoding", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"raw 8-bit CSI byte is not UTF-8", "\x9b31m", "\uFFFD31m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clean(tt.in)
			if got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Clean(got); again != got {
				t.Errorf("Clean is not idempotent on %q: %q then %q", tt.in, got, again)
			}
		})
	}
}

func TestCleanLong(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"long clean", strings.Repeat("MERCHANT ", 1<<13), strings.Repeat("MERCHANT ", 1<<13)},
		{"long coloured", strings.Repeat("\x1b[31mx", 10000), strings.Repeat("x", 10000)},
		{"long unterminated OSC", "Shop\x1b]52;c;" + strings.Repeat("A", 1<<16), "Shop"},
		{"many invalid bytes", strings.Repeat("\xff", 5000), strings.Repeat("\uFFFD", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%d bytes) gave %d bytes, want %d", len(tt.in), len(got), len(tt.want))
			}
		})
	}
}

func TestCleanFastPathDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"", "AMAZON.AE*2K4 MARKETPLACE", "طلبات Talabat", "スターバックス ☕"} {
		if got := Clean(s); unsafe.StringData(got) != unsafe.StringData(s) {
			t.Errorf("Clean(%q) did not return its argument itself", s)
		}
		if allocs := testing.AllocsPerRun(100, func() { _ = Clean(s) }); allocs != 0 {
			t.Errorf("Clean(%q) allocated %v times, want 0", s, allocs)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"", "CARREFOUR", "\x1b]52;c;ZXZpbA==\a", "\x1b[2J", "\x1b]0;t\x1b\\", "\x1bPq\x1b\\",
		"\u009b31m", "\u009d0;t\u009c", "a\u202Eb", "a\x00b", "x\x1b", "\xff\xfe", "a\r\n\tb",
		"\x1b\x1b[", "\x1b[31\x18", "كارفور", "👨‍👩‍👧", "\x1b(B", "\x1b P",
	} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("4111\u200b1111\u200b1111\u200b1111")
	f.Add("👨\u200d\u202e👩\u200d")
	f.Add("\u00ad\u3164\U000e0041\u2028")
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		got := Clean(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Clean(%q) = %q is not valid UTF-8", s, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiForTest(r) {
				t.Fatalf("Clean(%q) = %q keeps %U", s, got, r)
			}
		}
		if again := Clean(got); again != got {
			t.Fatalf("Clean(Clean(%q)) = %q, want %q", s, again, got)
		}
	})
}

// isBidiForTest lists the bidi controls independently of the code under test.
func isBidiForTest(r rune) bool {
	return strings.ContainsRune("\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069", r)
}
