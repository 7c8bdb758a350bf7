package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// TestDemoStack: the demo's sandbox delivers its signed webhooks to the
// in-process relay, which stores them and streams them to a subscriber,
// and the sandbox answers the chosen dialect's client — for both
// providers.
func TestDemoStack(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st, err := startDemoStack(ctx, t.TempDir(), demoFlags{provider: provider, rate: 50, seed: 3})
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
			page, err := client.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 1}})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("list cards at %s: %d cards, %v", st.baseURL, len(page.Items), err)
			}

			sub := live.Subscribe(ctx, live.SubscribeConfig{URL: st.streamURL, Token: st.token})
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
