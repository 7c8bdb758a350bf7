package safetext

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestSafe(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"clean merchant", "NOON.COM DUBAI", "NOON.COM DUBAI"},
		{"coloured card number", "\x1b[31m4111 1111 1111 1111\x1b[0m", "•••• 1111"},
		{"card number over lines", "4111\n1111\r\n1111\t1111", "•••• 1111"},
		{"card number split by an escape", "4111\x1b[0m111111111111", "•••• 1111"},
		{"card number in a clipboard write", "\x1b]52;c;4111111111111111\aok", "ok"},
		{"card number behind a bidi override", "\u202E4111111111111111", "•••• 1111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Safe(tt.in); got != tt.want {
				t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"fits", "hello", 10, "hello"},
		{"exact", "hello", 5, "hello"},
		{"cut", "hello world", 5, "hell…"},
		{"width one", "ab", 1, "…"},
		{"width zero", "hello", 0, ""},
		{"negative width", "hello", -3, ""},
		{"empty", "", 4, ""},
		{"wide characters are not split", "日本語テキスト", 6, "日本…"},
		{"wide character at the edge", "日本語テキスト", 5, "日本…"},
		{"emoji", "☕☕☕☕", 5, "☕☕…"},
		{"Arabic", "كارفور سيتي سنتر", 7, "كارفور…"},
		{"styling kept intact", "\x1b[1mbold text\x1b[0m", 5, "\x1b[1mbold…\x1b[0m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
			if w := ansi.StringWidth(got); w > max(tt.width, 0) {
				t.Errorf("Truncate(%q, %d) is %d cells wide", tt.in, tt.width, w)
			}
		})
	}
}
