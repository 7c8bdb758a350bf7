package main

import (
	"testing"
)

// bench agents at a tiny scale: two agents, and one, each run the
// browsing script to its end over real SSH sessions, with no simulated
// traffic, so the sandbox requests come from browsing (and the health
// ping). The two share the one cache: they cost the sandbox what one agent
// does (the same reads are needed) and less than twice that, which two
// dashboards with caches of their own would cost.
func TestBenchAgents(t *testing.T) {
	out := runBenchCmd(t, "agents", "--agents", "2", "--duration", "1ms", "--rate", "0")
	one, two := benchRow(t, out, "1"), benchRow(t, out, "2")
	// scripts run, sandbox requests, per agent, answered 429
	if len(one) != 4 || len(two) != 4 {
		t.Fatalf("rows %v and %v, want 4 figures each:\n%s", one, two, out)
	}
	if one[0] < 1 || two[0] < 2 {
		t.Errorf("scripts run: %v by one agent, %v by two; want every agent to finish one:\n%s", one[0], two[0], out)
	}
	if one[1] <= 0 {
		t.Fatalf("one agent's browsing reached the sandbox %v times:\n%s", one[1], out)
	}
	// The backend's health ping (at start, then every 15 s) may fall
	// either side of the count's start: one request either way.
	if two[1] < one[1]-1 || two[1] >= 2*(one[1]-1) {
		t.Errorf("two agents made %v requests, one made %v: want as many (±1) and fewer than twice:\n%s", two[1], one[1], out)
	}
	if one[3] != 0 || two[3] != 0 {
		t.Errorf("requests refused with 429:\n%s", out)
	}
}

func TestBenchAgentsFlags(t *testing.T) {
	wantBenchFlagErrors(t, []struct{ args, want string }{
		{"agents --agents 1", "--agents 1: want 2 to 200"},
		{"agents --agents 201", "--agents 201: want 2 to 200"},
		{"agents --duration 0s", "--duration 0s: must be positive"},
		{"agents --rate -1", "--rate -1: must be zero or more"},
		{"agents --provider stripe", `--provider "stripe": want vaultspay or vydapay`},
	})
}
