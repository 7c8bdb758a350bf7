package safetexttest

import (
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/safetext"
)

// The checks must catch what they look for, or the tests built on them
// could not fail.

func TestChecksCatchEveryClass(t *testing.T) {
	for _, c := range Classes() {
		in := "A" + c.Seq + "B"
		if len(Plain(in)) == 0 {
			t.Errorf("Plain misses %s: %q", c.Name, in)
		}
		if len(Styled(in)) == 0 {
			t.Errorf("Styled misses %s: %q", c.Name, in)
		}
		if got := safetext.Clean(in); got != "AB" {
			t.Errorf("Clean(%q) = %q, want AB", in, got)
		}
	}
	if len(Plain(Inject())) == 0 || len(Styled(Inject())) == 0 {
		t.Error("the checks miss Inject")
	}
}

func TestWrapCleansToTheWord(t *testing.T) {
	for _, w := range []string{"MERCHANT", "x", "", "كارفور", "スターバックス"} {
		if got := safetext.Clean(Wrap(w)); got != w {
			t.Errorf("Clean(Wrap(%q)) = %q", w, got)
		}
	}
	if got := safetext.Clean(Join("A", "B", "C")); got != "ABC" {
		t.Errorf("Clean(Join) = %q", got)
	}
}

func TestStyledAllowsOnlySGR(t *testing.T) {
	if p := Styled("\x1b[1;38;5;12mbold\x1b[m plain\nnext"); len(p) != 0 {
		t.Errorf("Styled refuses SGR: %v", p)
	}
	for _, s := range []string{"\x1b[2Jx", "\x1b[?25lx", "\x1b]2;t\x07", "\x1b7", "a\rb"} {
		if len(Styled(s)) == 0 {
			t.Errorf("Styled accepts %q", s)
		}
	}
}

func TestTerminal(t *testing.T) {
	// What the Bubble Tea renderer writes for a short session at 120×40.
	renderer := "\x1b[>4m\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b]2;carddesk\a\x1b[>4;2m\x1b[>1u\x1b[H\x1b[2J" +
		"\x1b[1mVaultsPay\x1b[m  \x1b[1;4m2\x1b[22m\n/ to filter\x1b[101X\x1b[113Gloading…\r\nLoading…\r\x1b[40d" +
		"\x1b[21X\x1b[40;107H\x1b[1m?\x1b[m help\x1b[?7lt\x1b[?7h\x1b[>4m\x1b[<1u\x1b[40;1H\x1b[?1049l\x1b[?25h" +
		"\x1b[?2004l\x1b]2;\a\x1b[?2026$p\x1b[?2027$p\x1b]11;?\a"
	if p := Terminal([]byte(renderer), 120, 40); len(p) != 0 {
		t.Errorf("Terminal refuses the renderer's own output: %v", p)
	}
	for _, s := range []string{
		Inject(), "\x1b]52;c;eA==\x07", "\x1b]52;c;eA==\x1b\\", "\x1bPq\x1b\\", "\x1b_x\x1b\\", "\x1b^x\x1b\\",
		"\x1bXx\x1b\\", "\x1b7", "\x1b[41;1H", "\x1b[1;121H", "\x1b[3J", "\x1b[6n", "\u009b2J", "\x9b2J", "\u202e",
		"\u200b", "a\bb", "\x1b]8;;http://x\x07", "\x1b]2;pwned\x07", "\x1bc",
	} {
		if len(Terminal([]byte(s), 120, 40)) == 0 {
			t.Errorf("Terminal accepts %q", s)
		}
	}
}

func TestCardNumbers(t *testing.T) {
	pans := []string{PAN(1), PANDashed(2), PANTight(3)}
	for i, pan := range pans {
		if !Luhn(strings.NewReplacer(" ", "", "-", "").Replace(pan)) {
			t.Fatalf("PAN %d (%s) fails Luhn", i, pan)
		}
		if len(CardNumbers("x "+pan+" y", pans)) == 0 {
			t.Errorf("CardNumbers misses %s", pan)
		}
		masked := safetext.Safe("x " + pan + " y")
		if p := CardNumbers(masked, pans); len(p) != 0 {
			t.Errorf("CardNumbers flags masked %q: %v", masked, p)
		}
	}
	if FindPAN("4111 1111 1111 1111") == "" || FindPAN("4111 1111 1111 1112") != "" {
		t.Error("FindPAN is wrong about 4111…")
	}
}
