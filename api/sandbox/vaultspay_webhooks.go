package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// VaultsPay's webhook-endpoints API over the delivery registry. These
// routes are unlocked: they keep webhooks.mu, never the issuer's lock.

const (
	defaultRotateGrace = 24 * time.Hour
	maxRotateGrace     = 7 * 24 * time.Hour
	maxEndpointURL     = 2048
)

func (s *Server) vaultspayWebhookRoutes(t *routeTable) {
	r := t.face(vaultspay.Provider, unlocked)
	const get, post, patch, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	r.handle(post, "/webhooks/endpoints", vpCreateEndpoint)
	r.handle(get, "/webhooks/endpoints", vpListEndpoints, withQuery(vpPageQuery()))
	r.handle(get, "/webhooks/endpoints/{id}", vpGetEndpoint)
	r.handle(patch, "/webhooks/endpoints/{id}", vpUpdateEndpoint)
	r.handle(del, "/webhooks/endpoints/{id}", vpDeleteEndpoint)
	r.handle(post, "/webhooks/endpoints/{id}/rotate", vpRotateEndpoint)
	r.handle(post, "/webhooks/endpoints/{id}/test", vpTestEndpoint)
	r.handle(get, "/webhooks/endpoints/{id}/deliveries", vpListDeliveries, withQuery(vpPageQuery()))
	r.handle(post, "/webhooks/events/{event_id}/redeliver", vpRedeliver)
}

// vpEventTypes are the types an endpoint may subscribe to.
func vpEventTypes() []string {
	return []string{
		vaultspay.EventUserCreated, vaultspay.EventUserUpdated, vaultspay.EventUserDeleted, vaultspay.EventUserKYCUpdated,
		vaultspay.EventAccountCreated, vaultspay.EventAccountClosed,
		vaultspay.EventCardCreated, vaultspay.EventCardActivated, vaultspay.EventCardUpdated, vaultspay.EventCardConverted,
		vaultspay.EventCardFrozen, vaultspay.EventCardUnfrozen, vaultspay.EventCardTerminated,
		vaultspay.EventTxAuthorized, vaultspay.EventTxDeclined, vaultspay.EventTxSettled, vaultspay.EventTxReversed,
		vaultspay.EventTxRefunded, vaultspay.EventWebhookTest,
	}
}

func (ep *whEndpoint) key() sortKey { return sortKey{ep.created, ep.id} }
func (d *delivery) key() sortKey    { return sortKey{d.created, d.id} }

func vpEndpoint(ep *whEndpoint, withSecret bool) vaultspay.WebhookEndpoint {
	out := vaultspay.WebhookEndpoint{
		ID: ep.id, Object: "webhook_endpoint", URL: ep.url, Description: ep.description,
		EnabledEvents: slices.Clone(ep.events), Status: ep.status,
		CreatedAt: stamp(ep.created), UpdatedAt: stamp(ep.updated),
	}
	if withSecret {
		out.Secret = ep.secrets[0].value
	}
	return out
}

func vpDelivery(d *delivery) vaultspay.Delivery {
	out := vaultspay.Delivery{
		ID: d.id, Object: "webhook_delivery", EndpointID: d.endpointID, EventID: d.event.ID, EventType: d.event.Type,
		Status: d.status, Attempts: d.attempts, CreatedAt: stamp(d.created), UpdatedAt: stamp(d.updated),
	}
	if d.attempts > 0 {
		st := d.lastStatus
		out.LastStatusCode = &st
	}
	if d.lastError != "" {
		msg := d.lastError
		out.LastError = &msg
	}
	if d.status == deliveryPending {
		out.NextAttemptAt = stampPtr(d.nextAt)
	}
	return out
}

func checkEndpointURL(raw, param string) *apiError {
	if raw == "" {
		return errMissing(param)
	}
	u, err := url.Parse(raw)
	if err != nil || len(raw) > maxEndpointURL || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return errInvalid(codeParamInvalid, param, "Invalid %s: want an absolute https:// URL (http:// is accepted by the sandbox) without credentials.", param)
	}
	return nil
}

func checkEnabledEvents(events []string, param string) *apiError {
	for i, e := range events {
		if e != "*" && !slices.Contains(vpEventTypes(), e) {
			return errInvalid(codeParamInvalid, param+"["+strconv.Itoa(i)+"]", "Invalid %s: %q is not an event type.", param, clip(e, 64))
		}
	}
	return nil
}

func vpCreateEndpoint(c *call) (int, any, *apiError) {
	var in vaultspay.WebhookEndpointCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if e := checkEndpointURL(in.URL, "url"); e != nil {
		return 0, nil, e
	}
	if e := checkText(in.Description, "description", false); e != nil {
		return 0, nil, e
	}
	events := in.EnabledEvents
	if len(events) == 0 {
		events = []string{"*"}
	}
	if e := checkEnabledEvents(events, "enabled_events"); e != nil {
		return 0, nil, e
	}
	w := c.s.wh
	w.mu.Lock()
	defer w.mu.Unlock()
	now := c.s.clock().UTC().Truncate(time.Second)
	ep := &whEndpoint{
		id: w.nextID("we_"), provider: vaultspay.Provider, url: in.URL, description: in.Description,
		events: slices.Clone(events), status: "enabled", secrets: []whSecret{{value: vaultspay.NewSecret()}},
		created: now, updated: now,
	}
	w.endpoints = append(w.endpoints, ep)
	w.startLocked(ep)
	return http.StatusCreated, vpEndpoint(ep, true), nil
}

// apiEndpoints are the endpoints the API shows: registered, not deleted.
func (w *webhooks) apiEndpoints() []*whEndpoint {
	out := make([]*whEndpoint, 0, len(w.endpoints))
	for _, ep := range w.endpoints {
		if !ep.static && !ep.deleted {
			out = append(out, ep)
		}
	}
	return out
}

func (w *webhooks) lookup(id string) (*whEndpoint, bool) {
	for _, ep := range w.endpoints {
		if ep.id == id && !ep.static && !ep.deleted {
			return ep, true
		}
	}
	return nil, false
}

func (c *call) endpoint() (*whEndpoint, *apiError) {
	ep, ok := c.s.wh.lookup(c.param("id"))
	if !ok {
		return nil, errNotFound("webhook endpoint", c.param("id"), "id")
	}
	return ep, nil
}

// onEndpoint answers with f on the endpoint named by the path, holding
// webhooks.mu.
func (c *call) onEndpoint(f func(ep *whEndpoint) (int, any, *apiError)) (int, any, *apiError) {
	w := c.s.wh
	w.mu.Lock()
	defer w.mu.Unlock()
	ep, e := c.endpoint()
	if e != nil {
		return 0, nil, e
	}
	return f(ep)
}

func vpListEndpoints(c *call) (int, any, *apiError) {
	w := c.s.wh
	w.mu.Lock()
	defer w.mu.Unlock()
	all := func(*whEndpoint) bool { return true }
	return vpList(c, w.apiEndpoints(), w.lookup, all, func(ep *whEndpoint) vaultspay.WebhookEndpoint { return vpEndpoint(ep, false) })
}

func vpGetEndpoint(c *call) (int, any, *apiError) {
	return c.onEndpoint(func(ep *whEndpoint) (int, any, *apiError) {
		return http.StatusOK, vpEndpoint(ep, false), nil
	})
}

func vpUpdateEndpoint(c *call) (int, any, *apiError) {
	var in vaultspay.WebhookEndpointUpdate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if in.URL != nil {
		if e := checkEndpointURL(*in.URL, "url"); e != nil {
			return 0, nil, e
		}
	}
	if in.Description != nil {
		if e := checkText(*in.Description, "description", false); e != nil {
			return 0, nil, e
		}
	}
	if e := checkEnabledEvents(in.EnabledEvents, "enabled_events"); e != nil {
		return 0, nil, e
	}
	if in.Status != nil && *in.Status != "enabled" && *in.Status != "disabled" {
		return 0, nil, errInvalid(codeParamInvalid, "status", "Invalid status: must be enabled or disabled.")
	}
	return c.onEndpoint(func(ep *whEndpoint) (int, any, *apiError) {
		if in.URL != nil {
			ep.url = *in.URL
		}
		if in.Description != nil {
			ep.description = *in.Description
		}
		if len(in.EnabledEvents) > 0 {
			ep.events = slices.Clone(in.EnabledEvents)
		}
		if in.Status != nil {
			ep.status = *in.Status
		}
		ep.updated = c.s.clock().UTC().Truncate(time.Second)
		return http.StatusOK, vpEndpoint(ep, false), nil
	})
}

func vpDeleteEndpoint(c *call) (int, any, *apiError) {
	var in struct{}
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	return c.onEndpoint(func(ep *whEndpoint) (int, any, *apiError) {
		ep.deleted = true
		return http.StatusOK, vaultspay.Deleted{ID: ep.id, Object: "webhook_endpoint", Deleted: true}, nil
	})
}

func vpRotateEndpoint(c *call) (int, any, *apiError) {
	var in vaultspay.RotateSecret
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	grace := defaultRotateGrace
	if in.ExpirePreviousInSeconds != nil {
		grace = time.Duration(*in.ExpirePreviousInSeconds) * time.Second
		if grace < 0 || grace > maxRotateGrace {
			return 0, nil, errInvalid(codeParamInvalid, "expire_previous_in_seconds", "Invalid expire_previous_in_seconds: must be between 0 and %d.", int(maxRotateGrace/time.Second))
		}
	}
	return c.onEndpoint(func(ep *whEndpoint) (int, any, *apiError) {
		now := c.s.clock().UTC()
		kept := []whSecret{{value: vaultspay.NewSecret()}}
		for i, sec := range ep.secrets {
			if i == 0 {
				sec.expires = now.Add(grace)
			}
			if grace > 0 && now.Before(sec.expires) {
				kept = append(kept, sec)
			}
		}
		ep.secrets = kept
		ep.updated = now.Truncate(time.Second)
		c.noStore = true // the answer holds a secret
		return http.StatusOK, vpEndpoint(ep, true), nil
	})
}

func vpTestEndpoint(c *call) (int, any, *apiError) {
	var in vaultspay.TestWebhook
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	typ := in.EventType
	if typ == "" {
		typ = vaultspay.EventWebhookTest
	}
	if !slices.Contains(vpEventTypes(), typ) {
		return 0, nil, errInvalid(codeParamInvalid, "event_type", "Invalid event_type: %q is not an event type.", clip(typ, 64))
	}
	w := c.s.wh
	w.mu.Lock()
	ep, e := c.endpoint()
	w.mu.Unlock()
	if e != nil {
		return 0, nil, e
	}
	iss := c.s.vp
	iss.mu.Lock()
	ev := iss.newEvent(typ, map[string]any{"object": "webhook_test", "endpoint_id": ep.id, "message": "A test event from the VaultsPay sandbox."})
	iss.log.add(ev)
	iss.mu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	return http.StatusAccepted, vpDelivery(w.enqueueLocked(ep, ev)), nil
}

func vpListDeliveries(c *call) (int, any, *apiError) {
	return c.onEndpoint(func(ep *whEndpoint) (int, any, *apiError) {
		lookup := func(id string) (*delivery, bool) {
			for _, d := range ep.deliveries {
				if d.id == id {
					return d, true
				}
			}
			return nil, false
		}
		all := func(*delivery) bool { return true }
		return vpList(c, ep.deliveries, lookup, all, vpDelivery)
	})
}

func vpRedeliver(c *call) (int, any, *apiError) {
	var in vaultspay.Redeliver
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	ev, ok := c.s.eventByID(vaultspay.Provider, c.param("event_id"))
	if !ok {
		return 0, nil, errNotFound("event", c.param("event_id"), "event_id")
	}
	w := c.s.wh
	w.mu.Lock()
	defer w.mu.Unlock()
	var targets []*whEndpoint
	if in.EndpointID != "" {
		ep, ok := w.lookup(in.EndpointID)
		if !ok {
			return 0, nil, errNotFound("webhook endpoint", in.EndpointID, "endpoint_id")
		}
		targets = append(targets, ep)
	} else {
		for _, ep := range w.endpoints {
			if ep.provider == vaultspay.Provider && !ep.deleted && ep.status == "enabled" && ep.wants(ev.Type) {
				targets = append(targets, ep)
			}
		}
	}
	out := vaultspay.List[vaultspay.Delivery]{Object: "list", Data: []vaultspay.Delivery{}}
	for _, ep := range targets {
		out.Data = append(out.Data, vpDelivery(w.enqueueLocked(ep, ev)))
	}
	return http.StatusAccepted, out, nil
}

// nextID returns ids that sort in creation order, so that listings can
// page by (created, id).
func (w *webhooks) nextID(prefix string) string {
	w.seq++
	return fmt.Sprintf("%s%08d%s", prefix, w.seq, randomToken(8))
}
