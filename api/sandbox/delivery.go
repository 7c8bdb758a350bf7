package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Webhook delivery: every event goes, signed, to each configured URL and to
// each VaultsPay endpoint registered through the API that subscribes to its
// type. A 2xx ends a delivery; anything else is retried with exponential
// backoff and jitter, as a provider would.

const (
	deliveryAttempts    = 8
	deliveryMaxBackoff  = time.Minute
	deliveryTimeout     = 10 * time.Second
	deliveryWorkers     = 4
	deliveryQueueMax    = 1_000_000
	deliveryLogSize     = 10_000
	deliveryUserAgent   = "carddesk-sandbox-webhooks/1"
	deliveryBodyDiscard = 64 << 10
)

// Delivery states.
const (
	deliveryPending   = "pending"
	deliverySucceeded = "succeeded"
	deliveryFailed    = "failed"
)

// whSecret is one signing secret of an endpoint; a rotated-out secret
// keeps signing until it expires.
type whSecret struct {
	value   string
	expires time.Time // zero: current secret
}

// whEndpoint is somewhere events are delivered.
type whEndpoint struct {
	id          string
	provider    string
	url         string
	description string
	events      []string // "*" for all
	status      string   // enabled, disabled
	static      bool     // from the configuration, not the API
	deleted     bool
	secrets     []whSecret // newest first
	created     time.Time
	updated     time.Time

	queue      deliveryQueue
	deliveries []*delivery // ring of the last deliveryLogSize, oldest first
	started    bool
}

// delivery is one event's delivery to one endpoint. Its fields are guarded
// by webhooks.mu.
type delivery struct {
	id         string
	endpointID string
	event      Event
	status     string
	attempts   int
	lastStatus int
	lastError  string
	nextAt     time.Time
	created    time.Time
	updated    time.Time
}

// webhooks holds the endpoints and delivers to them.
type webhooks struct {
	s      *Server
	client *http.Client

	mu        sync.Mutex
	endpoints []*whEndpoint // creation order
	runCtx    context.Context
	wg        sync.WaitGroup
	rng       *rand.Rand
	dropped   int
	seq       int // for ids that sort in creation order
}

func newWebhooks(s *Server) *webhooks {
	w := &webhooks{
		s:      s,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: deliveryWorkers, IdleConnTimeout: 90 * time.Second}},
		rng:    rand.New(rand.NewPCG(uint64(s.cfg.Seed), 0xde11)),
	}
	now := s.clock().UTC()
	for i, u := range s.cfg.VaultsPayWebhookURLs {
		w.endpoints = append(w.endpoints, &whEndpoint{
			id: fmt.Sprintf("we_config_%d", i+1), provider: vaultspay.Provider, url: u, events: []string{"*"},
			status: "enabled", static: true, secrets: []whSecret{{value: s.cfg.VaultsPayWebhookSecret}}, created: now, updated: now,
		})
	}
	for i, u := range s.cfg.VydapayWebhookURLs {
		w.endpoints = append(w.endpoints, &whEndpoint{
			id: fmt.Sprintf("vy_config_%d", i+1), provider: vydapay.Provider, url: u, events: []string{"*"},
			status: "enabled", static: true, secrets: []whSecret{{value: s.cfg.VydapayWebhookSecret}}, created: now, updated: now,
		})
	}
	return w
}

// start begins delivering: it starts the workers of every endpoint, and of
// endpoints added later, until ctx is done.
func (w *webhooks) start(ctx context.Context) {
	w.mu.Lock()
	w.runCtx = ctx
	for _, ep := range w.endpoints {
		w.startLocked(ep)
	}
	w.mu.Unlock()
}

// wait returns when every worker has stopped.
func (w *webhooks) wait() { w.wg.Wait() }

func (w *webhooks) startLocked(ep *whEndpoint) {
	if w.runCtx == nil || ep.started || ep.deleted {
		return
	}
	ep.started = true
	for range deliveryWorkers {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			w.work(w.runCtx, ep)
		}()
	}
}

// publish queues e for every endpoint of its provider that wants it. It is
// an event hook: it never blocks.
func (w *webhooks) publish(e Event) {
	if e.Type == vaultspay.EventWebhookTest {
		return // test events go only to the endpoint tested
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ep := range w.endpoints {
		if ep.provider == e.Provider && !ep.deleted && ep.status == "enabled" && ep.wants(e.Type) {
			w.enqueueLocked(ep, e)
		}
	}
}

// enqueueLocked records a pending delivery of e to ep and queues it.
func (w *webhooks) enqueueLocked(ep *whEndpoint, e Event) *delivery {
	now := w.s.clock().UTC().Truncate(time.Second)
	d := &delivery{
		id: w.nextID("whd_"), endpointID: ep.id, event: e, status: deliveryPending,
		created: now, updated: now, nextAt: now,
	}
	if len(ep.deliveries) >= deliveryLogSize {
		ep.deliveries[0] = nil
		ep.deliveries = ep.deliveries[1:]
	}
	ep.deliveries = append(ep.deliveries, d)
	if dropped := ep.queue.push(d, deliveryQueueMax); dropped != nil {
		w.dropped++
		dropped.status, dropped.lastError = deliveryFailed, "dropped: the endpoint's queue is full"
		if w.dropped == 1 || w.dropped%10_000 == 0 {
			w.s.log.Warn("webhook queue full; dropping the oldest deliveries", "endpoint", ep.id, "dropped", w.dropped)
		}
	}
	return d
}

func (ep *whEndpoint) wants(typ string) bool {
	return slices.Contains(ep.events, "*") || slices.Contains(ep.events, typ)
}

// work delivers the endpoint's queue until ctx is done.
func (w *webhooks) work(ctx context.Context, ep *whEndpoint) {
	for {
		d, ok := ep.queue.pop(ctx)
		if !ok {
			return
		}
		w.deliver(ctx, ep, d)
	}
}

// deliver makes up to deliveryAttempts attempts, backing off between them.
func (w *webhooks) deliver(ctx context.Context, ep *whEndpoint, d *delivery) {
	for attempt := 1; attempt <= deliveryAttempts; attempt++ {
		w.mu.Lock()
		if ep.deleted {
			d.status, d.lastError, d.updated = deliveryFailed, "endpoint deleted", w.s.clock().UTC()
			w.mu.Unlock()
			return
		}
		url, secrets := ep.url, ep.activeSecrets(w.s.clock)
		w.mu.Unlock()

		status, err := w.post(ctx, ep.provider, url, secrets, d.event)
		if ctx.Err() != nil {
			return
		}
		now := w.s.clock().UTC()
		w.mu.Lock()
		d.attempts, d.lastStatus, d.updated = attempt, status, now
		d.lastError = ""
		if err != nil {
			d.lastError = err.Error()
		}
		if err == nil && status >= 200 && status < 300 {
			d.status, d.nextAt = deliverySucceeded, time.Time{}
			w.mu.Unlock()
			return
		}
		if attempt == deliveryAttempts {
			d.status, d.nextAt = deliveryFailed, time.Time{}
			w.mu.Unlock()
			w.s.log.Info("webhook delivery failed", "endpoint", ep.id, "event", d.event.ID, "attempts", attempt, "status", status, "err", err)
			return
		}
		wait := w.backoffLocked(attempt)
		d.nextAt = now.Add(wait)
		w.mu.Unlock()
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// backoffLocked is the wait before retry number attempt: the configured
// first delay doubled each time, capped, with ±20% jitter.
func (w *webhooks) backoffLocked(attempt int) time.Duration {
	d := w.s.cfg.DeliveryBackoff << min(attempt-1, 16)
	if d <= 0 || d > deliveryMaxBackoff {
		d = deliveryMaxBackoff
	}
	jitter := 0.8 + 0.4*w.rng.Float64()
	return time.Duration(float64(d) * jitter)
}

// activeSecrets lists the secrets still signing at now, newest first.
func (ep *whEndpoint) activeSecrets(clock func() time.Time) []string {
	now := clock()
	out := make([]string, 0, len(ep.secrets))
	for _, s := range ep.secrets {
		if s.expires.IsZero() || now.Before(s.expires) {
			out = append(out, s.value)
		}
	}
	return out
}

// post sends one signed attempt and reports the status it got.
func (w *webhooks) post(ctx context.Context, provider, url string, secrets []string, e Event) (int, error) {
	actx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, url, bytes.NewReader(e.Payload))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", deliveryUserAgent)
	switch provider {
	case vaultspay.Provider:
		h, err := vaultspay.Sign(secrets, e.ID, w.s.clock(), e.Payload)
		if err != nil {
			return 0, err
		}
		for k, vs := range h {
			req.Header[k] = vs
		}
	case vydapay.Provider:
		if len(secrets) == 0 {
			return 0, fmt.Errorf("no webhook secret")
		}
		req.Header.Set(vydapay.SignatureHeader, vydapay.Sign(secrets[0], e.Payload))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, trimURLError(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, deliveryBodyDiscard))
	return resp.StatusCode, nil
}

// trimURLError keeps the cause of a transport error without repeating the
// method and URL the delivery record already shows.
func trimURLError(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "Post ") {
		return fmt.Errorf("%s", msg[i+2:])
	}
	return err
}

// deliveryQueue is an unbounded FIFO with a wake-up channel, bounded by
// the caller through push's limit.
type deliveryQueue struct {
	mu    sync.Mutex
	items []*delivery
	ready chan struct{}
}

// push appends d; past limit it drops the oldest and returns it.
func (q *deliveryQueue) push(d *delivery, limit int) (dropped *delivery) {
	q.mu.Lock()
	if q.ready == nil {
		q.ready = make(chan struct{}, 1)
	}
	if len(q.items) >= limit {
		dropped = q.items[0]
		q.items[0] = nil
		q.items = q.items[1:]
	}
	q.items = append(q.items, d)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return dropped
}

// pop waits for an item or for ctx to end.
func (q *deliveryQueue) pop(ctx context.Context) (*delivery, bool) {
	for {
		q.mu.Lock()
		if q.ready == nil {
			q.ready = make(chan struct{}, 1)
		}
		if len(q.items) > 0 {
			d := q.items[0]
			q.items[0] = nil
			q.items = q.items[1:]
			more := len(q.items) > 0
			q.mu.Unlock()
			if more {
				// Pass the wake-up on so the other workers drain too.
				select {
				case q.ready <- struct{}{}:
				default:
				}
			}
			return d, true
		}
		ready := q.ready
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, false
		case <-ready:
		}
	}
}
