package safetext

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// TestCleanHostileClasses: every class of hostile input a webhook string
// may carry, in a name, is removed whole, leaving the name readable.
func TestCleanHostileClasses(t *testing.T) {
	tests := []struct {
		class, in, want string
	}{
		{"OSC 52 clipboard write, BEL", "SHOP\x1b]52;c;ZWNobyBwd25lZA==\x07 DUBAI", "SHOP DUBAI"},
		{"OSC 52 clipboard write, ST", "SHOP\x1b]52;c;ZWNobyBwd25lZA==\x1b\\ DUBAI", "SHOP DUBAI"},
		{"OSC 52 clipboard read request", "\x1b]52;c;?\x07SHOP", "SHOP"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x07SHOP\x1b]8;;\x07", "SHOP"},
		{"C1 CSI U+009B", "\u009b2JSHOP\u009b10;10H", "SHOP"},
		{"C1 OSC U+009D with BEL", "\u009d52;c;ZXZpbA==\x07SHOP", "SHOP"},
		{"C1 OSC U+009D with C1 ST", "\u009d0;title\u009cSHOP", "SHOP"},
		{"C1 OSC U+009D with 7-bit ST", "\u009d0;title\x1b\\SHOP", "SHOP"},
		{"C1 DCS, SOS, PM, APC", "\u0090q\u009cA\u0098s\u009cB\u009ep\u009cC\u009fa\u009cD", "ABCD"},
		{"raw C1 bytes are not UTF-8", "\x9b2J\x9d0;x\x07", "\uFFFD2J\uFFFD0;x"},
		{"erase display", "\x1b[2JSHOP", "SHOP"},
		{"erase scrollback", "\x1b[3JSHOP", "SHOP"},
		{"cursor home", "\x1b[HSHOP", "SHOP"},
		{"cursor position", "SH\x1b[10;10HOP", "SHOP"},
		{"cursor up, down, forward, back", "S\x1b[5AH\x1b[5BO\x1b[5CP\x1b[5D", "SHOP"},
		{"erase line", "SHOP\x1b[2K\x1b[1G", "SHOP"},
		{"scroll region and alt screen", "\x1b[1;3r\x1b[?1049hSHOP", "SHOP"},
		{"device status report", "\x1b[6nSHOP", "SHOP"},
		{"full reset", "\x1bcSHOP", "SHOP"},
		{"DCS", "\x1bP1$r0m\x1b\\SHOP", "SHOP"},
		{"DCS sixel", "\x1bPq#0;2;0;0;0#0~~\x1b\\SHOP", "SHOP"},
		{"APC", "\x1b_Gf=100;AAAA\x1b\\SHOP", "SHOP"},
		{"PM", "\x1b^private\x1b\\SHOP", "SHOP"},
		{"SOS", "\x1bXstring\x1b\\SHOP", "SHOP"},
		{"LRE RLE PDF LRO RLO", "\u202aA\u202bB\u202cC\u202dD\u202eE", "ABCDE"},
		{"LRI RLI FSI PDI", "\u2066A\u2067B\u2068C\u2069D", "ABCD"},
		{"LRM RLM ALM", "A\u200eB\u200fC\u061cD", "ABCD"},
		{"zero width space", "SH\u200bOP", "SHOP"},
		{"word joiner and invisible operators", "S\u2060H\u2061O\u2064P", "SHOP"},
		{"BOM", "\ufeffSHOP", "SHOP"},
		{"soft hyphen", "SH\u00adOP", "SHOP"},
		{"Hangul filler", "\u3164\u3164SHOP", "SHOP"},
		{"tags", "SHOP\U000e0001\U000e0041\U000e007f", "SHOP"},
		{"zero width joiner between ASCII letters", "SH\u200dOP", "SHOP"},
		{"zero width non-joiner between ASCII letters", "SH\u200cOP", "SHOP"},
		{"joiner at the ends", "\u200dSHOP\u200c", "SHOP"},
		{"joiner between digits", "٤١١١\u200d١١١١", "٤١١١١١١١"},
		{"line and paragraph separators", "A\u2028B\u2029\u2028C", "A B C"},
		{"lone CR", "Approved\rDECLINED", "Approved DECLINED"},
		{"backspaces", "PAID\b\b\b\bUNPAID", "PAIDUNPAID"},
		{"DEL", "SH\x7fOP", "SHOP"},
		{"NUL and BEL", "S\x00H\x07OP", "SHOP"},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			got := Clean(tt.in)
			if got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Clean(got); again != got {
				t.Errorf("Clean is not idempotent on %q: %q then %q", tt.in, got, again)
			}
			for _, r := range got {
				if r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidiForTest(r) || isInvisibleForTest(r) {
					t.Errorf("Clean(%q) = %q keeps %U", tt.in, got, r)
				}
			}
		})
	}
}

// TestCleanKeepsJoinersThatJoin: the joiners stay where scripts and emoji
// need them, and Clean still returns such a string itself.
func TestCleanKeepsJoinersThatJoin(t *testing.T) {
	for _, s := range []string{
		"👨\u200d👩\u200d👧",     // family emoji
		"🏳\ufe0f\u200d🌈",      // rainbow flag
		"می\u200cخواهم",       // Persian: ZWNJ between letters
		"क्\u200dष",           // Devanagari: ZWJ after a virama
		"CAFE 👩\u200d💻 DUBAI", // joined emoji inside ASCII text
	} {
		got := Clean(s)
		if got != s {
			t.Errorf("Clean(%q) = %q, want it kept", s, got)
			continue
		}
		if unsafe.StringData(got) != unsafe.StringData(s) {
			t.Errorf("Clean(%q) did not return its argument itself", s)
		}
	}
}

// TestCleanJoinerNextToRemoved: a joiner is judged by what is left around
// it once the rest is cleaned, so cleaning twice changes nothing.
func TestCleanJoinerNextToRemoved(t *testing.T) {
	tests := []struct{ in, want string }{
		{"👨\u200d\u202e👩", "👨👩"},
		{"👨\u200d\x1b[0m👩", "👨👩"},
		{"👨\x1b[0m\u200d👩", "👨\u200d👩"},
		{"👨\u200d\u200d👩", "👨\u200d👩"},
		{"👨\u200d\xff", "👨\uFFFD"},
		{"\xff\u200d👨", "\uFFFD👨"},
		{"👨\u200d\u2028👩", "👨 👩"},
	}
	for _, tt := range tests {
		got := Clean(tt.in)
		if got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := Clean(got); again != got {
			t.Errorf("Clean is not idempotent on %q: %q then %q", tt.in, got, again)
		}
	}
}

// TestSafeCardNumberHiddenByInvisibles: characters that draw nothing, or
// escapes, between the digits of a card number do not hide it from Safe.
func TestSafeCardNumberHiddenByInvisibles(t *testing.T) {
	for _, s := range []string{
		"4111\u200b1111\u200b1111\u200b1111",
		"4111\u00ad1111\u00ad1111\u00ad1111",
		"4111\u200d1111\u200c1111\ufeff1111",
		"4111\u20601111\u20621111\U000e00201111",
		"4111\u20281111\u20291111\u20281111",
		"4111\x1b]52;c;eA==\x071111\u009b1m1111\x1b[0m1111",
		"\u202e4111 1111 1111 1111\u202c",
		"4111\x7f1111\b1111\x001111",
	} {
		got := Safe(s)
		if got != "•••• 1111" {
			t.Errorf("Safe(%q) = %q, want •••• 1111", s, got)
		}
	}
}

// TestMaskPANsGaps pins what MaskPANs does not mask, as its documentation
// says; a change here must change the documentation too.
func TestMaskPANsGaps(t *testing.T) {
	for _, s := range []string{
		"4111.1111.1111.1111",
		"4111/1111/1111/1111",
		"4111_1111_1111_1111",
		"4111,1111,1111,1111",
		"4111  1111  1111  1111",
		"4111\u20091111\u20091111\u20091111",
		"4111\u30001111\u30001111\u30001111",
		"4111—1111—1111—1111",
		"4111−1111−1111−1111",
		"४१११११११११११११११",
		"𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏",
		"4111 1111 1111 11111",
		"0041111111111111111000000",
	} {
		if got := Safe(s); got != s {
			t.Errorf("Safe(%q) = %q: a documented gap is closed; update MaskPANs' documentation and this test", s, got)
		}
	}
	// Through Safe, tabs and line breaks become single spaces first.
	for _, s := range []string{"4111\t1111\t1111\t1111", "4111\r\n1111\n1111\n1111"} {
		if got := Safe(s); got != "•••• 1111" {
			t.Errorf("Safe(%q) = %q, want •••• 1111", s, got)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short", "pending", 24, "pending"},
		{"empty", "", 24, ""},
		{"cut", "2026-03-14 is not a time at all", 10, "2026-03-14…"},
		{"card number masked before the cut", "4111111111111111 is not a time", 12, "•••• 1111 is…"},
		{"card number longer than the cut", "4111 1111 1111 1111", 6, "•••• 1…"},
		{"escapes removed before the cut", "\x1b]52;c;ZXZpbA==\x07\x1b[2Jpending", 7, "pending"},
		{"bidi removed", "\u202edeliaf", 24, "deliaf"},
		{"runes, not bytes", "スターバックス東京駅", 3, "スター…"},
		{"zero", "x", 0, "…"},
		{"negative", "x", -1, "…"},
		{"zero and empty", "", 0, ""},
		{"a cut run that would pass for a card number", "A" + strings.Repeat("0", 20), 20, "A•••• 0000…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clip(tt.in, tt.n); got != tt.want {
				t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func FuzzClip(f *testing.F) {
	f.Add("4111 1111 1111 1111", 12)
	f.Add("\x1b]52;c;ZXZpbA==\x07", 3)
	f.Add("👨\u200d👩\u200d👧", 1)
	f.Add("\xff\xfe\xfd", 2)
	f.Add("", 0)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n %= 300
		got := Clip(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("Clip(%q, %d) = %q is not valid UTF-8", s, n, got)
		}
		if c := utf8.RuneCountInString(got); c > max(n, 0)+1 {
			t.Fatalf("Clip(%q, %d) = %q has %d characters", s, n, got, c)
		}
		if pan := findPAN(got); pan != "" {
			t.Fatalf("Clip(%q, %d) = %q holds card number %s", s, n, got, pan)
		}
		for _, r := range got {
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidiForTest(r) {
				t.Fatalf("Clip(%q, %d) = %q keeps %U", s, n, got, r)
			}
		}
	})
}

// FuzzCleanInvisible: whatever the input, Clean leaves nothing invisible
// and no joiner that does not sit between two visible non-digits.
func FuzzCleanInvisible(f *testing.F) {
	for _, s := range []string{
		"a\u200bb", "👨\u200d👩", "\u200d", "٤\u200c١", "\ufeff", "می\u200cخواهم", "\U000e0041",
		"\u00ad\u3164", "x\u2028y", "👨\u200d\u202e👩", "4111\u200b1111\u200b1111\u200b1111",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Clean(s)
		rs := []rune(got)
		for i, r := range rs {
			if isInvisibleForTest(r) {
				t.Fatalf("Clean(%q) = %q keeps %U", s, got, r)
			}
			if r == 0x200c || r == 0x200d {
				if i == 0 || i == len(rs)-1 || !visibleNonDigit(rs[i-1]) || !visibleNonDigit(rs[i+1]) {
					t.Fatalf("Clean(%q) = %q keeps a joiner that joins nothing at %d", s, got, i)
				}
			}
		}
		if again := Clean(got); again != got {
			t.Fatalf("Clean(Clean(%q)) = %q, want %q", s, again, got)
		}
	})
}

// isInvisibleForTest lists the characters that draw nothing, independently
// of the code under test.
func isInvisibleForTest(r rune) bool {
	return strings.ContainsRune("\u00ad\u034f\u115f\u1160\u3164\uffa0\u180e\u200b\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb\u2028\u2029", r) ||
		(r >= 0xe0000 && r <= 0xe007f)
}

func visibleNonDigit(r rune) bool {
	return r >= 0xa0 && r != utf8.RuneError && r != 0x200c && r != 0x200d && !isBidiForTest(r) &&
		!isInvisibleForTest(r) && !strings.ContainsRune("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", r)
}

// TestMaskingLogger: a logger handed to MaskingLogger masks whatever its
// own handler is, and one that already masks is not wrapped twice.
func TestMaskingLogger(t *testing.T) {
	var buf bytes.Buffer
	plain := slog.New(slog.NewJSONHandler(&buf, nil))
	l := MaskingLogger(plain)
	l.Warn("event \x1b]52;c;ZXZpbA==\x07", "id", "evt_\u202e4111111111111111", "err", "bad \x1b[2J time")
	line := buf.String()
	for _, leak := range []string{testPAN, `\u001b`, "\u202e", "52;c", "[2J"} {
		if strings.Contains(line, leak) {
			t.Errorf("log line holds %q: %s", leak, line)
		}
	}
	if !strings.Contains(line, `"id":"evt_•••• 1111"`) {
		t.Errorf("log line lost the masked id: %s", line)
	}
	if again := MaskingLogger(l); again != l {
		t.Error("MaskingLogger wrapped a masking logger again")
	}
	if MaskingLogger(nil) == nil {
		t.Error("MaskingLogger(nil) is nil")
	}
	MaskingLogger(nil).Error("discarded " + testPAN)
}
