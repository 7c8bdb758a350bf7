package main

import (
	"strings"
	"testing"
)

// bench budget at a small scale: a short run against the sandbox at its
// real limit, one customer call; the report has its lanes, its calls and
// its rows, and no interactive read met a 429.
func TestBenchBudget(t *testing.T) {
	out := runBenchCmd(t, "budget", "--duration", "3s", "--warmup", "1s", "--call-every", "1h", "--rate", "25")
	interactive, background := benchRow(t, out, "interactive"), benchRow(t, out, "background")
	// requests, per minute, answered 429
	if len(interactive) != 3 || len(background) != 3 {
		t.Fatalf("lane rows %v and %v, want 3 figures each:\n%s", interactive, background, out)
	}
	if interactive[0] <= 0 || background[0] <= 0 {
		t.Errorf("interactive %v and background %v requests; want both lanes used (the call's reads, Live's cards):\n%s", interactive[0], background[0], out)
	}
	if interactive[2] != 0 {
		t.Errorf("interactive requests answered 429: %v:\n%s", interactive[2], out)
	}
	if !strings.Contains(out, "429s seen by interactive reads: 0\n") {
		t.Errorf("the report does not say interactive reads met no 429:\n%s", out)
	}
	// calls, steps, p50, p99, max
	if calls := benchRow(t, out, "step latency"); len(calls) != 5 || calls[0] != 1 || calls[1] != 11 {
		t.Errorf("step latency row %v; want one call of 11 steps:\n%s", calls, out)
	}
	if !strings.Contains(out, "Live rows showing their card after 1s: ") {
		t.Errorf("no share of Live rows in the report:\n%s", out)
	}
}

func TestBenchBudgetFlags(t *testing.T) {
	wantBenchFlagErrors(t, []struct{ args, want string }{
		{"budget --duration 0s", "--duration 0s: must be positive"},
		{"budget --duration 10s --warmup 10s", "--warmup 10s: want 0 or more and less than --duration 10s"},
		{"budget --call-every 0s", "--call-every 0s: must be positive"},
		{"budget --rate-limit 0", "--rate-limit 0: want at least 1"},
		{"budget --rate -1", "--rate -1: must be zero or more"},
		{"budget --provider stripe", `--provider "stripe": want vaultspay or vydapay`},
	})
}
