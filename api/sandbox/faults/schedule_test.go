package faults

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// fates plans n GETs of path and names each request's fault ("-" for
// none, "+1ms" for latency added to a fault).
func fates(rules []Rule, seed int64, n int, path string) []string {
	s := newSchedule(rules, seed)
	out := make([]string, n)
	for i := range out {
		provider, sub := splitPath(path)
		p := s.decide(provider, http.MethodGet, sub, path)
		out[i] = "-"
		switch {
		case p.fault != "":
			out[i] = string(p.fault)
		case p.delay > 0:
			out[i] = "latency"
		}
		if p.status != 0 {
			out[i] += fmt.Sprint(p.status)
		}
		if p.fault != "" && p.delay > 0 {
			out[i] += "+" + p.delay.String()
		}
	}
	return out
}

func TestScheduleIsDeterministicPerSeed(t *testing.T) {
	rules := []Rule{{Kind: RateLimit, Rate: 0.2}, {Kind: ServerError, Rate: 0.1}, {Kind: Reset, Rate: 0.05}}
	const path = "/vaultspay/v1/cards"
	a, b := fates(rules, 7, 500, path), fates(rules, 7, 500, path)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave two schedules")
	}
	if slices.Equal(a, fates(rules, 8, 500, path)) {
		t.Fatal("seeds 7 and 8 gave the same 500 fates")
	}
	count := map[string]int{}
	for _, f := range a {
		count[f[:min(len(f), 3)]]++
	}
	// 20% of 500, then 10% of what is left, then 5% of the rest: the
	// seeded draws land near those shares (a fixed outcome for seed 7).
	if count["429"] < 70 || count["429"] > 130 || count["5xx"] < 20 || count["5xx"] > 60 || count["res"] < 5 || count["res"] > 35 {
		t.Fatalf("shares of 500 requests far from 20%%/8%%/3.6%%: %v", count)
	}
}

func TestScheduleCountsAndOrder(t *testing.T) {
	tests := []struct {
		name  string
		rules []Rule
		path  string
		want  []string
	}{
		{"first two", []Rule{{Kind: Reset, First: 2}}, "/vaultspay/v1/cards", []string{"reset", "reset", "-", "-"}},
		{"each count in turn", []Rule{{Kind: RateLimit, First: 1}, {Kind: ServerError, Status: 503, First: 1}, {Kind: Truncate, First: 1}},
			"/vydapay/v1/cards", []string{"429", "5xx503", "truncate", "-"}},
		{"latency adds to a fault", []Rule{{Kind: Latency, Delay: time.Millisecond, First: 3}, {Kind: Reset, First: 1}},
			"/vaultspay/v1/cards", []string{"reset+1ms", "latency", "latency", "-"}},
		{"path below the root", []Rule{{Kind: Reset, Path: "/cards/*/freeze"}}, "/vaultspay/v1/cards/card_1/freeze", []string{"reset", "reset"}},
		{"whole path", []Rule{{Kind: Reset, Path: "/vydapay/v1/cards"}}, "/vydapay/v1/cards", []string{"reset"}},
		{"path elsewhere", []Rule{{Kind: Reset, Path: "/cards/*/freeze"}}, "/vaultspay/v1/cards/card_1", []string{"-"}},
		{"other provider", []Rule{{Kind: Reset, Provider: "vydapay"}}, "/vaultspay/v1/cards", []string{"-"}},
		{"other method", []Rule{{Kind: Reset, Method: "POST"}}, "/vaultspay/v1/cards", []string{"-"}},
		{"no provider root", []Rule{{Kind: Reset, Provider: "vaultspay"}}, "/vaultspayx/v1/cards", []string{"-"}},
		{"5xx draws a status", []Rule{{Kind: ServerError, First: 60}}, "/vaultspay/v1/ping", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(tt.want)
			if tt.want == nil {
				n = 60
			}
			got := fates(tt.rules, 1, n, tt.path)
			if tt.want == nil {
				seen := map[string]bool{}
				for _, f := range got {
					seen[f] = true
				}
				if !seen["5xx500"] || !seen["5xx502"] || !seen["5xx503"] || len(seen) != 3 {
					t.Fatalf("60 draws gave %v, want 500, 502 and 503 only", seen)
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("fates %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSplitPath(t *testing.T) {
	for _, tt := range []struct{ path, provider, sub string }{
		{"/vaultspay/v1/cards/c1", "vaultspay", "/cards/c1"},
		{"/vydapay/v1", "vydapay", ""},
		{"/vydapay/v10/cards", "", "/vydapay/v10/cards"},
		{"/other", "", "/other"},
	} {
		if p, s := splitPath(tt.path); p != tt.provider || s != tt.sub {
			t.Errorf("splitPath(%q) = %q, %q", tt.path, p, s)
		}
	}
}
