package stack

import (
	"context"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// TestStack: the stack's sandbox delivers its signed webhooks to the
// in-process relay, which stores them and streams them to a subscriber,
// and the sandbox answers the chosen dialect's client — for both
// providers.
func TestStack(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st, err := Start(ctx, Config{Dir: t.TempDir(), Provider: provider, Rate: 50, Seed: 3})
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
			page, err := client.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 1}})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("list cards at %s: %d cards, %v", st.baseURL, len(page.Items), err)
			}

			sub := st.Subscribe(ctx)
			select {
			case recs := <-sub.Events():
				if len(recs) == 0 || recs[0].Provider != provider {
					t.Fatalf("first batch %+v, want %s events", recs, provider)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("no event reached the subscriber (state %s, err %v)", sub.State(), sub.Err())
			}
		})
	}
}
