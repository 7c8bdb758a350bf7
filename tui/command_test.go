package tui

import (
	"strings"
	"testing"
	"unicode"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line    string
		want    Command
		wantErr string
	}{
		{":users", Command{Kind: CmdUsers}, ""},
		{"cards", Command{Kind: CmdCards}, ""},
		{"  :live  ", Command{Kind: CmdLive}, ""},
		{":DECLINES", Command{Kind: CmdDeclines}, ""},
		{":user alice@example.com", Command{Kind: CmdUser, Arg: "alice@example.com"}, ""},
		{":user   Ana   Silva ", Command{Kind: CmdUser, Arg: "Ana Silva"}, ""},
		{":u 4821", Command{Kind: CmdUser, Arg: "4821"}, ""},
		{":card card_abc123", Command{Kind: CmdCard, Arg: "card_abc123"}, ""},
		{":card\t4821", Command{Kind: CmdCard, Arg: "4821"}, ""},
		{":q", Command{Kind: CmdQuit}, ""},
		{":quit", Command{Kind: CmdQuit}, ""},
		{":audit", Command{Kind: CmdAudit}, ""},
		{" :AUDIT ", Command{Kind: CmdAudit}, ""},
		{":audit today", Command{}, "takes no argument"},
		{"", Command{}, "empty command"},
		{":", Command{}, "empty command"},
		{":user", Command{}, "needs an argument"},
		{":card ", Command{}, "needs an argument"},
		{":users all", Command{}, "takes no argument"},
		{":frobnicate", Command{}, "unknown command :frobnicate"},
		{":user a\x1b[2Jb", Command{}, "control characters"},
		{":user \xff", Command{}, "not valid UTF-8"},
		{":user " + strings.Repeat("a", maxCommandLen), Command{}, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := ParseCommand(tt.line)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCommand(%q) = %+v, %v; want an error with %q", tt.line, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseCommand(%q) = %+v, %v; want %+v", tt.line, got, err, tt.want)
			}
		})
	}
}

// FuzzParseCommand: any line gives a command or an error, never a panic;
// a command's argument is trimmed, single-spaced and free of controls, and
// only the commands that take one have one.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{":users", ":cards", ":live", ":declines", ":user alice@example.com", ":card 4821",
		":card card_1", ":audit", ":q", ":quit", "", ":", "::", ":user", ":user \t x", ":x\x00", ":user \u202eevil", "\xff\xfe"} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add(":card " + "4929580173160424")
	f.Add(":user \x1b]52;c;eA==\x07x")
	f.Add(":user \u200bx\u200d")
	f.Fuzz(func(t *testing.T, line string) {
		c, err := ParseCommand(line)
		if err != nil {
			if c != (Command{}) {
				t.Fatalf("an error with a command: %+v", c)
			}
			return
		}
		if c.Kind < CmdUsers || c.Kind > CmdQuit {
			t.Fatalf("unknown kind %d", c.Kind)
		}
		takes := c.Kind == CmdUser || c.Kind == CmdCard
		if takes != (c.Arg != "") {
			t.Fatalf("kind %d with argument %q", c.Kind, c.Arg)
		}
		if c.Arg != strings.TrimSpace(c.Arg) || strings.Contains(c.Arg, "  ") {
			t.Fatalf("argument not normalised: %q", c.Arg)
		}
		for _, r := range c.Arg {
			if unicode.IsControl(r) {
				t.Fatalf("control character in %q", c.Arg)
			}
		}
	})
}
