package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/stack"
)

// TestFaultsFlagRefusesMalformedSpecs: sandbox and demo refuse a --faults
// they cannot read, saying which fault and why, before starting anything.
func TestFaultsFlagRefusesMalformedSpecs(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"429=1.5", `--faults: fault 1 ("429=1.5"): rate "1.5" is more than all requests`},
		{"latency=300ms,bogus=1", `--faults: fault 2 ("bogus=1"): unknown fault "bogus"`},
		{"reset=3", "write 3x"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := runSandbox(context.Background(), io.Discard, sandboxFlags{addr: "127.0.0.1:0", faults: tt.spec})
			if err == nil || !strings.HasPrefix(err.Error(), "sandbox: --faults: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("sandbox --faults %q: %v, want %q", tt.spec, err, tt.want)
			}
			err = stack.Config{Provider: vaultspay.Provider, Faults: tt.spec}.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("demo --faults %q: %v, want %q", tt.spec, err, tt.want)
			}
		})
	}
}
