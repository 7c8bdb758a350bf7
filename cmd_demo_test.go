package main

import (
	"context"
	"strings"
	"testing"
)

func TestDemoFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--provider", "stripe"}, `--provider "stripe": want vaultspay or vydapay`},
		{[]string{"demo", "--rate", "-1"}, "--rate -1: must be zero or more"},
		{[]string{"demo", "extra"}, `unknown command "extra"`},
	}
	for _, tt := range tests {
		root := newRootCmd()
		root.SetArgs(tt.args)
		err := root.ExecuteContext(context.Background())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.want)
		}
	}
}
