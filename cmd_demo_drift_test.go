package main

import (
	"context"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// `demo --drift`: the drifting sandbox's webhooks, of types and states the
// references lack, are all taken by the relay and streamed, and the
// dialect's client reads the drifting book.
func TestDemoStackDrift(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st, err := startDemoStack(ctx, t.TempDir(), demoFlags{provider: provider, rate: 200, seed: 3, drift: true})
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 2)
			go func() { done <- st.sandbox.Run(ctx) }()
			go func() { done <- st.relay.Run(ctx) }()
			defer func() {
				cancel()
				for range 2 {
					if err := <-done; err != nil {
						t.Errorf("run: %v", err)
					}
				}
				if err := st.shutdown(); err != nil {
					t.Errorf("shutdown: %v", err)
				}
			}()
			client, err := st.client(provider)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 100}}); err != nil {
				t.Fatalf("list drifting cards: %v", err)
			}
			sub := live.Subscribe(ctx, live.SubscribeConfig{URL: st.streamURL, Token: st.token})
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
