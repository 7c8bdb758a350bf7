package stack

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vydapay"
)

// TestFaultsPutTheFrontBeforeTheSandbox: with Faults (demo --faults), the
// stack's client meets the faults (a 503 on reading a card) while what
// the rules leave alone still works. The wiring is the same for both
// providers; the faults package's tests cover each provider's answers.
func TestFaultsPutTheFrontBeforeTheSandbox(t *testing.T) {
	for _, provider := range []string{vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			ctx := context.Background()
			st, err := Start(ctx, Config{Dir: t.TempDir(), Provider: provider, Seed: 3,
				Faults: "503=1:GET:/cards/*"})
			if err != nil {
				t.Fatal(err)
			}
			if st.stopFault == nil {
				t.Fatal("no fault front")
			}
			client, err := st.Client()
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
			if err := st.Shutdown(); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
		})
	}
}
