package bench

import (
	"strings"
	"testing"
)

// The frame is complete once the header's status line is on the top row
// and the footer's keys end the bottom row — not before.
func TestCompleteFrame(t *testing.T) {
	header := "VaultsPay  TEST  │ api up 1ms │ relay live"
	footer := "enter open user  tab next view     ? help  q quit"
	tests := []struct {
		name string
		rows []string
		want bool
	}{
		{"both", []string{header, "", "", footer}, true},
		{"live key", []string{strings.Replace(header, "TEST", "LIVE", 1), "", "", footer}, true},
		{"header only", []string{header, "", "", ""}, false},
		{"footer only", []string{"", "", "", footer}, false},
		{"footer cut short", []string{header, "", "", footer[:len(footer)-2]}, false},
		{"footer not at the bottom", []string{header, footer, "", ""}, false},
	}
	for _, tt := range tests {
		s := newScreen(120, 4)
		defer s.Close()
		s.Write([]byte(strings.Join(tt.rows, "\r\n")))
		if got := CompleteFrame(s); got != tt.want {
			t.Errorf("%s: complete %v, want %v", tt.name, got, tt.want)
		}
	}
}
