package main

import (
	"testing"
)

// bench ssh at a tiny scale: one second of Live over a real SSH session
// is counted, in bytes, bracketed frames and delivered events, and the
// per-second figures agree with the totals.
func TestBenchSSH(t *testing.T) {
	out := runBenchCmd(t, "ssh", "--duration", "1s", "--settle", "0s", "--rate", "50")
	bytes := benchRow(t, out, "bytes")
	frames := benchRow(t, out, "frames")
	events := benchRow(t, out, "events delivered")
	// total, mean/s, p50/s, p99/s, max/s
	for name, row := range map[string][]float64{"bytes": bytes, "frames": frames, "events delivered": events} {
		if len(row) != 5 {
			t.Fatalf("%s: %v, want 5 figures:\n%s", name, row, out)
		}
		if row[0] <= 0 {
			t.Errorf("%s: none counted in a second of Live:\n%s", name, out)
		}
		if row[2] > row[3] || row[3] > row[4] {
			t.Errorf("%s: p50 %v, p99 %v, max %v out of order", name, row[2], row[3], row[4])
		}
	}
	// Every frame is bracketed output, so it takes bytes: at least the
	// brackets' 16 per frame.
	if bytes[0] < 16*frames[0] {
		t.Errorf("%v bytes for %v frames", bytes[0], frames[0])
	}
}

func TestBenchSSHFlags(t *testing.T) {
	wantBenchFlagErrors(t, []struct{ args, want string }{
		{"ssh --duration 500ms", "--duration 500ms: must be at least 1s"},
		{"ssh --settle -1s", "--settle -1s: must not be negative"},
		{"ssh --width 79", "--width 79: want 80 to 1000 columns"},
		{"ssh --height 23", "--height 23: want 24 to 500 rows"},
		{"ssh --rate -1", "--rate -1: must be zero or more"},
		{"ssh --provider stripe", `--provider "stripe": want vaultspay or vydapay`},
		{"ssh extra", `unknown command "extra"`},
	})
}
