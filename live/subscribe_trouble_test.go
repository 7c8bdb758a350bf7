package live_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// awaitTrouble waits until sub has failed with an error of kind want.
func awaitTrouble(t *testing.T, sub *live.Subscription, want live.TroubleKind) live.Trouble {
	t.Helper()
	timeout := time.NewTimer(awaitTimeout)
	defer timeout.Stop()
	for {
		if tr := live.TroubleOf(sub.Err()); tr.Kind == want {
			return tr
		}
		select {
		case <-sub.States():
		case <-timeout.C:
			t.Fatalf("no %q trouble: state %v, err %v", want, sub.State(), sub.Err())
		}
	}
}

// A subscription says why it is not live in an operator's terms — a token
// refused, a path with no stream, a relay gone — and since when it has not
// been live. All three read "relay offline" before.
func TestSubscriptionSaysWhyItIsNotLive(t *testing.T) {
	tests := []struct {
		name        string
		path, token string // "" is the fixture's
		stop        bool   // shut the relay down once live
		want        live.TroubleKind
		cause       string
	}{
		{name: "wrong token", token: "not-the-token-0123456789", want: live.TroubleTokenRefused, cause: "401 unauthorized"},
		{name: "wrong path", path: "/v1/streams", want: live.TroubleNotFound, cause: "404 not found"},
		{name: "relay gone", stop: true, want: live.TroubleUnreachable, cause: "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newRelayFixture(t)
			// A server of its own, which the test can close.
			srv := httptest.NewServer(f.relay.Handler())
			t.Cleanup(srv.Close)
			path, token := "/v1/stream", f.token
			if tt.path != "" {
				path = tt.path
			}
			if tt.token != "" {
				token = tt.token
			}
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			started := time.Now()
			sub := live.Subscribe(ctx, live.SubscribeConfig{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + path, Token: token,
				MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
			if tt.stop {
				for sub.State() != live.StateLive {
					<-sub.States()
				}
				if !sub.Down().IsZero() {
					t.Fatalf("live, yet down since %v", sub.Down())
				}
				started = time.Now()
				shut, done := context.WithTimeout(context.Background(), awaitTimeout)
				defer done()
				if err := f.relay.Shutdown(shut); err != nil {
					t.Fatal(err)
				}
				srv.Close()
			}
			tr := awaitTrouble(t, sub, tt.want)
			if !strings.HasPrefix(tr.Cause, tt.cause) {
				t.Errorf("cause %q, want %q", tr.Cause, tt.cause)
			}
			if down := sub.Down(); down.IsZero() || down.After(time.Now()) || (tt.stop && down.Before(started)) {
				t.Errorf("down since %v (started %v)", down, started)
			}
		})
	}
}
