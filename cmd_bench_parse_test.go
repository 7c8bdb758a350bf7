package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
)

// runBenchCmd runs `carddesk bench args…` and returns what it printed.
func runBenchCmd(t *testing.T, args ...string) string {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"bench"}, args...))
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("bench %v: %v\nit printed:\n%s%s", args, err, out.String(), errOut.String())
	}
	return out.String()
}

// benchRow is the numbers of the report's row that starts with name, in
// order, thousands separators and units dropped.
func benchRow(t *testing.T, out, name string) []float64 {
	t.Helper()
	for line := range strings.SplitSeq(out, "\n") {
		if !strings.HasPrefix(line, name+"  ") {
			continue
		}
		var nums []float64
		for _, f := range strings.Fields(strings.TrimPrefix(line, name)) {
			if f == "ms" {
				continue
			}
			v, err := strconv.ParseFloat(strings.ReplaceAll(f, ",", ""), 64)
			if err != nil {
				t.Fatalf("row %q: %q is no number:\n%s", name, f, out)
			}
			nums = append(nums, v)
		}
		return nums
	}
	t.Fatalf("no %q row in the report:\n%s", name, out)
	return nil
}

// wantBenchFlagErrors runs each bad command line and checks its error.
func wantBenchFlagErrors(t *testing.T, tests []struct{ args, want string }) {
	t.Helper()
	for _, tt := range tests {
		root := newRootCmd()
		root.SetOut(&bytes.Buffer{})
		root.SetErr(&bytes.Buffer{})
		root.SetArgs(append([]string{"bench"}, strings.Fields(tt.args)...))
		err := root.ExecuteContext(context.Background())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("bench %s: error %v, want %q", tt.args, err, tt.want)
		}
	}
}
