package tui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/monitor"
)

// nolossRig is the whole pipeline of a no-loss run: the sandbox (its
// simulator and webhook delivery) into a restartable relay, a witness of
// what the sandbox emitted, and the dashboard subscribed to the relay
// through a proxy that cuts connections.
type nolossRig struct {
	t       *testing.T
	relay   *nolossRelay
	proxy   *nolossProxy
	witness *nolossWitness
	sub     *live.Subscription
	session *session
	// halt stops the sandbox's simulator and delivery and waits for them.
	halt func()
}

// newNolossRig builds the pipeline and starts the traffic once the
// dashboard listens.
func newNolossRig(t *testing.T, run nolossRun, seed uint64) *nolossRig {
	t.Helper()
	vpSecret, vySecret := vaultspay.NewSecret(), vydapay.NewSecret()
	vp, err := vaultspay.NewVerifier(vpSecret)
	if err != nil {
		t.Fatal(err)
	}
	vy, err := vydapay.NewVerifier(vySecret)
	if err != nil {
		t.Fatal(err)
	}
	schemes := map[string]api.WebhookScheme{vaultspay.Provider: vp, vydapay.Provider: vy}
	const token = "noloss-stream-token-0123456789"

	r := &nolossRig{t: t, relay: newNolossRelay(t, token, schemes), witness: newNolossWitness(schemes)}
	r.proxy = startNolossProxy(t, r.relay.addr)
	witnessSrv := httptest.NewServer(r.witness)
	t.Cleanup(witnessSrv.Close)

	sb, err := sandbox.New(testSandbox(sandbox.Config{
		Seed: int64(seed >> 1), Rate: run.rate, RateLimit: -1, DeliveryBackoff: nolossDeliveryBackoff,
		VaultsPayWebhookSecret: vpSecret, VydapayWebhookSecret: vySecret,
		VaultsPayWebhookURLs: []string{r.relay.URL() + "/webhooks/vaultspay", witnessSrv.URL + "/vaultspay"},
		VydapayWebhookURLs:   []string{r.relay.URL() + "/webhooks/vydapay", witnessSrv.URL + "/vydapay"},
	}))
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	apiSrv := httptest.NewServer(sb.Handler())
	t.Cleanup(apiSrv.Close)
	client, err := vaultspay.New(vaultspay.Config{BaseURL: apiSrv.URL + "/vaultspay/v1", Key: sb.Config().VaultsPayKey})
	if err != nil {
		t.Fatal(err)
	}

	// The dashboard's subscription, as relayFeed makes it, through the
	// proxy; only the reconnect backoff is shorter than the default, so
	// that a run with many cuts stays short.
	subCtx, stopSub := context.WithCancel(context.Background())
	t.Cleanup(stopSub)
	r.sub = live.Subscribe(subCtx, live.SubscribeConfig{URL: r.proxy.URL(), Token: token,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 250 * time.Millisecond})
	r.session = startNolossDashboard(t, backend.New(backend.Config{Client: client, Relay: r.sub}), run.capacity)
	r.session.tm.Send(press("3")) // the Live view, as a monitoring agent watches it

	// Traffic starts once the model listens: the backend's feed carries
	// only what is applied after a session subscribes.
	sbCtx, stopSandbox := context.WithCancel(context.Background())
	sbDone := make(chan struct{})
	go func() { defer close(sbDone); _ = sb.Run(sbCtx) }()
	r.halt = func() { stopSandbox(); <-sbDone }
	t.Cleanup(r.halt)
	return r
}

// startNolossDashboard runs the whole dashboard over be, with the Live ring
// holding capacity rows, and waits until it listens to the backend's feed.
func startNolossDashboard(t *testing.T, be *backend.Backend, capacity int) *session {
	t.Helper()
	return startDashboard(t, Options{
		Backend:      be,
		Actor:        backend.Actor{Agent: "alice", Session: "noloss", Role: backend.RoleSupervisor},
		LiveCapacity: capacity,
	}, nil)
}

// awaitAcked waits until the relay has acknowledged every event the
// sandbox emitted so far, or says which it has not.
func (r *nolossRig) awaitAcked(wait time.Duration) {
	r.t.Helper()
	relay, witness := r.relay, r.witness
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	emitted := witness.snapshot()
	relay.acks.expect(emitted)
	if err := nolossAwait(ctx, &relay.acks.sig, relay.acks.allMet); err != nil {
		var ids []string
		for _, k := range relay.acks.unmet() {
			ids = append(ids, k.String())
		}
		slices.Sort(ids)
		r.t.Fatalf("%s", nolossList(nil, fmt.Sprintf("of the %d events the sandbox emitted were never acknowledged by the relay within %v "+
			"(its delivery gives up after 8 attempts backing off from %v)", len(emitted), wait, nolossDeliveryBackoff), ids)[0])
	}
}

// awaitModel waits until the model's ring has taken a row for every
// stored record, then returns the rows oldest first and how many the ring
// ever took. On timeout it fails, naming the records that did not arrive.
func (r *nolossRig) awaitModel(recs []live.Record, wait time.Duration) ([]monitor.Row, uint64) {
	r.t.Helper()
	s, sub := r.session, r.sub
	want := uint64(len(recs))
	done := make(chan struct{})
	s.tm.Send(awaitMsg[*model]{waiter[*model]{cond: func(m *model) bool { return m.ctx.Ring.Total() >= want }, done: done}})
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	var timedOut bool
	select {
	case <-done:
	case <-timeout.C:
		timedOut = true
	}
	var rows []monitor.Row
	var total uint64
	s.inspect(func(m *model) {
		total = m.ctx.Ring.Total()
		rows = make([]monitor.Row, 0, m.ctx.Ring.Len())
		for i := m.ctx.Ring.Len() - 1; i >= 0; i-- {
			rows = append(rows, m.ctx.Ring.At(i))
		}
	})
	if timedOut {
		missing, dups := nolossDiff(rows, recs)
		problems := nolossList(nil, "stored events never reached the model", missing)
		problems = nolossList(problems, "events the model received more than once", dups)
		r.t.Fatalf("after %v the model has %d rows of %d stored events (subscriber %v at seq %d, err %v)\n%s",
			wait, total, want, sub.State(), sub.LastSeq(), sub.Err(), strings.Join(problems, "\n"))
	}
	return rows, total
}
