package loadtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vydapay"
)

func TestRunLosesNothingAndCountsAddUp(t *testing.T) {
	for _, durable := range []bool{true, false} {
		name := map[bool]string{true: "sqlite", false: "no-op"}[durable]
		t.Run(name, func(t *testing.T) {
			target, err := StartRelay(t.Context(), t.TempDir(), durable, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				if err := target.Close(ctx); err != nil {
					t.Errorf("close relay: %v", err)
				}
			})
			const subs = 2
			res, err := Run(t.Context(), Config{
				URL: target.URL, Token: target.Token, VydapaySecret: target.VydapaySecret,
				Rate: 200, Duration: time.Second, Concurrency: 4, Subscribers: subs, Size: 700,
				DrainWait: 30 * time.Second, HealthRate: 50,
			})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case res.Lost != 0:
				t.Errorf("lost %d events", res.Lost)
			case res.Sent == 0 || res.Accepted != res.Sent || res.Failed != 0 || res.Duplicates != 0:
				t.Errorf("sent %d, accepted %d, failed %d, duplicates %d", res.Sent, res.Accepted, res.Failed, res.Duplicates)
			case res.Post.N != int(res.Sent):
				t.Errorf("%d POST latency samples for %d POSTs", res.Post.N, res.Sent)
			case res.Delivery.N != int(res.Accepted)*subs:
				t.Errorf("%d delivery samples, want %d", res.Delivery.N, res.Accepted*subs)
			case res.Repeated != 0 || res.OutOfOrder != 0:
				t.Errorf("%d repeated, %d out of order", res.Repeated, res.OutOfOrder)
			case res.Post.P50 > res.Post.P99 || res.Post.P99 > res.Post.Max:
				t.Errorf("POST quantiles out of order: %+v", res.Post)
			case res.HealthAnswers == 0 || res.HealthElapsed <= 0:
				t.Errorf("the /healthz flood got %d answers in %v", res.HealthAnswers, res.HealthElapsed)
			}
			if len(res.Delivered) != subs {
				t.Fatalf("delivered %v, want one count per subscriber", res.Delivered)
			}
			for i, n := range res.Delivered {
				if n != res.Accepted {
					t.Errorf("subscriber %d received %d of %d events", i, n, res.Accepted)
				}
			}
		})
	}
}

func TestEventBodiesVerifyAndParse(t *testing.T) {
	m := newEventMaker("abc123", 1024, time.Date(2026, 4, 24, 14, 52, 3, 0, time.UTC))
	v, err := vydapay.NewVerifier("whsec_test")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int64{0, 1, 7, 99_999, 1 << 40} {
		body := m.body(nil, n)
		if len(body) < 1000 || len(body) > 1050 {
			t.Errorf("event %d is %d bytes, want about 1024", n, len(body))
		}
		ev, err := v.Parse(body)
		if err != nil {
			t.Fatalf("event %d: %v\n%s", n, err, body)
		}
		if got, ok := m.number(ev.ID); !ok || got != n || ev.Transaction == nil || ev.CardID() == "" {
			t.Errorf("event %d parsed as id %q (%d, %v), transaction %v", n, ev.ID, got, ok, ev.Transaction)
		}
	}
	if _, ok := m.number("evt_other_1"); ok {
		t.Error("another run's event taken for ours")
	}
}

func TestConfigRefusals(t *testing.T) {
	ok := Config{URL: "http://127.0.0.1:1", Token: "t", VydapaySecret: "s"}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no URL", func(c *Config) { c.URL = "" }, "relay URL"},
		{"ws URL", func(c *Config) { c.URL = "ws://x" }, "relay URL"},
		{"no secret", func(c *Config) { c.VydapaySecret = "" }, "secret"},
		{"no token", func(c *Config) { c.Token = "" }, "token"},
		{"negative rate", func(c *Config) { c.Rate = -1 }, "rate"},
		{"huge body", func(c *Config) { c.Size = 1 << 20 }, "size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			_, err := c.withDefaults()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := ok.withDefaults(); err != nil {
		t.Errorf("good config refused: %v", err)
	}
}
