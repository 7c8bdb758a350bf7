package stack

import (
	"context"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// `demo --drift`: the drifting sandbox's webhooks, of types and states the
// references lack, are all taken by the relay and streamed, and the
// dialect's client reads the drifting book.
func TestStackDrift(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st, err := Start(ctx, Config{Dir: t.TempDir(), Provider: provider, Rate: 200, Seed: 3, Drift: true})
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- st.Run(ctx) }()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("run: %v", err)
				}
				if err := st.Shutdown(); err != nil {
					t.Errorf("shutdown: %v", err)
				}
			}()
			client, err := st.Client()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 100}}); err != nil {
				t.Fatalf("list drifting cards: %v", err)
			}
			sub := st.Subscribe(ctx)
			timeout := time.After(30 * time.Second)
			for {
				select {
				case recs := <-sub.Events():
					for _, r := range recs {
						ev, err := r.Decode()
						if err != nil {
							t.Fatalf("record %d: %v", r.Seq, err)
						}
						if !ev.Type.Known() && ev.ProviderType == "transaction.updated" && ev.Transaction != nil {
							return
						}
					}
				case <-timeout:
					t.Fatalf("no event of an unknown type reached the subscriber (state %s, err %v)", sub.State(), sub.Err())
				}
			}
		})
	}
}
