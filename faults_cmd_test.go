package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
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
			err = demoFlags{provider: vaultspay.Provider, faults: tt.spec}.validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("demo --faults %q: %v, want %q", tt.spec, err, tt.want)
			}
		})
	}
}

// TestFaultsFlagPutsTheFrontBeforeTheDemoSandbox: with --faults, the
// demo's client meets the faults (a 503 on reading a card) while what the
// rules leave alone still works. The wiring is the same for both
// providers; the faults package's tests cover each provider's answers.
func TestFaultsFlagPutsTheFrontBeforeTheDemoSandbox(t *testing.T) {
	for _, provider := range []string{vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			ctx := context.Background()
			st, err := startDemoStack(ctx, t.TempDir(), demoFlags{provider: provider, seed: 3,
				faults: "503=1:GET:/cards/*"})
			if err != nil {
				t.Fatal(err)
			}
			if st.stopFault == nil {
				t.Fatal("no fault front")
			}
			client, err := st.client(provider)
			if err != nil {
				t.Fatal(err)
			}
			page, err := client.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 1}})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("list cards: %d, %v", len(page.Items), err)
			}
			_, err = client.GetCard(ctx, page.Items[0].ID)
			if e, ok := api.AsError(err); !ok || e.Status != 503 || !errors.Is(err, api.ErrServer) || !strings.HasPrefix(e.RequestID, "req_fault_") {
				t.Fatalf("get card through the front: %v, want the injected 503", err)
			}
			if err := st.shutdown(); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
		})
	}
}
