package vaultspay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
)

type received struct {
	h    http.Header
	body []byte
}

// receiver is a webhook endpoint that hands every delivery to the test.
func receiver(t *testing.T) (string, <-chan received) {
	t.Helper()
	ch := make(chan received, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		select {
		case ch <- received{h: r.Header.Clone(), body: body}:
		default:
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/webhooks/vaultspay", ch
}

// awaitEvent waits for a delivery whose event matches, verifying and
// parsing each with v.
func awaitEvent(t *testing.T, ch <-chan received, v *vaultspay.Verifier, match func(api.Event) bool) (api.Event, received) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case r := <-ch:
			if err := v.Verify(r.h, r.body, time.Now()); err != nil {
				t.Fatalf("delivery does not verify: %v", err)
			}
			ev, err := v.Parse(r.body)
			if err != nil {
				t.Fatalf("delivery does not parse: %v", err)
			}
			if match(ev) {
				return ev, r
			}
		case <-deadline:
			t.Fatal("no matching webhook within 15s")
		}
	}
}

// eventually checks cond until it holds or the deadline passes, for state
// the test cannot await (a delivery's record after the receiver answered).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15s", what)
		}
		<-tick.C
	}
}

func TestSandboxWebhookEndpoints(t *testing.T) {
	e := newSandbox(t, sandbox.Config{DeliveryBackoff: 10 * time.Millisecond})
	e.run(t)
	ctx := context.Background()
	url, ch := receiver(t)

	ep, err := e.c.CreateWebhookEndpoint(ctx, vaultspay.WebhookEndpointCreate{URL: url, Description: "carddesk relay", EnabledEvents: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ep.Secret, vaultspay.SecretPrefix) || ep.ID == "" || ep.URL != url || ep.Status != "enabled" {
		t.Fatalf("created endpoint %+v", ep)
	}
	v, err := vaultspay.NewVerifier(ep.Secret)
	if err != nil {
		t.Fatal(err)
	}

	got, err := e.c.GetWebhookEndpoint(ctx, ep.ID)
	if err != nil || got.ID != ep.ID || got.Secret != "" || got.Description != "carddesk relay" {
		t.Errorf("GetWebhookEndpoint %+v, %v (a read must not return the secret)", got, err)
	}
	all, err := api.Collect(api.All(ctx, api.PageParams{}, func(ctx context.Context, p api.PageParams) (api.Page[vaultspay.WebhookEndpoint], error) {
		return e.c.ListWebhookEndpoints(ctx, p)
	}), 0)
	if err != nil || !slices.ContainsFunc(all, func(x vaultspay.WebhookEndpoint) bool { return x.ID == ep.ID }) {
		t.Errorf("ListWebhookEndpoints: %d, %v", len(all), err)
	}
	desc := "carddesk relay (prod)"
	if up, err := e.c.UpdateWebhookEndpoint(ctx, ep.ID, vaultspay.WebhookEndpointUpdate{Description: &desc}); err != nil || up.Description != desc {
		t.Errorf("UpdateWebhookEndpoint %+v, %v", up, err)
	}

	// A freeze reaches the endpoint as a signed card.frozen event.
	card := e.findCard(t, api.CardActive, "")
	if _, err := e.c.FreezeCard(ctx, card.ID); err != nil {
		t.Fatal(err)
	}
	frozen, _ := awaitEvent(t, ch, v, func(ev api.Event) bool { return ev.Type == api.EventCardFrozen && ev.CardID() == card.ID })
	if frozen.Card.Status != api.CardFrozen || frozen.ProviderType != vaultspay.EventCardFrozen {
		t.Errorf("card.frozen event %+v", frozen)
	}

	// A test event, and its delivery record.
	d, err := e.c.TestWebhookEndpoint(ctx, ep.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.EndpointID != ep.ID || d.EventID == "" {
		t.Errorf("test delivery %+v", d)
	}
	awaitEvent(t, ch, v, func(ev api.Event) bool { return ev.Type == api.EventWebhookTest && ev.ID == d.EventID })
	eventually(t, "test delivery succeeded", func() bool {
		page, err := e.c.ListDeliveries(ctx, ep.ID, api.PageParams{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(page.Items, func(x vaultspay.Delivery) bool { return x.ID == d.ID })
		return i >= 0 && page.Items[i].Status == "succeeded" && page.Items[i].Attempts >= 1
	})

	// Redelivery sends the same event again.
	ds, err := e.c.RedeliverEvent(ctx, frozen.ID, ep.ID)
	if err != nil || len(ds) != 1 || ds[0].EventID != frozen.ID {
		t.Fatalf("RedeliverEvent %+v, %v", ds, err)
	}
	again, _ := awaitEvent(t, ch, v, func(ev api.Event) bool { return ev.ID == frozen.ID })
	if again.Type != api.EventCardFrozen {
		t.Errorf("redelivered %+v", again)
	}

	// Rotation: for the grace period both secrets sign.
	rotated, err := e.c.RotateWebhookSecret(ctx, ep.ID, vaultspay.RotateSecret{})
	if err != nil || !strings.HasPrefix(rotated.Secret, vaultspay.SecretPrefix) || rotated.Secret == ep.Secret {
		t.Fatalf("RotateWebhookSecret: new secret differs %v, %v", rotated.Secret != ep.Secret, err)
	}
	vNew, err := vaultspay.NewVerifier(rotated.Secret)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := e.c.TestWebhookEndpoint(ctx, ep.ID, vaultspay.EventWebhookTest)
	if err != nil {
		t.Fatal(err)
	}
	_, r := awaitEvent(t, ch, vNew, func(ev api.Event) bool { return ev.ID == d2.EventID })
	if n := len(strings.Fields(r.h.Get(vaultspay.HeaderSignature))); n != 2 {
		t.Errorf("%d signatures during the rotation, want 2", n)
	}
	if err := v.Verify(r.h, r.body, time.Now()); err != nil {
		t.Errorf("the old secret no longer verifies during the grace period: %v", err)
	}

	if err := e.c.DeleteWebhookEndpoint(ctx, ep.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.GetWebhookEndpoint(ctx, ep.ID); !isStatus(err, http.StatusNotFound) {
		t.Errorf("deleted endpoint: %v", err)
	}
}

// TestSandboxDeliversSignedEvents follows the relay's path: actions taken
// through the client come back as signed webhooks to a configured URL,
// and parse into the normalised events.
func TestSandboxDeliversSignedEvents(t *testing.T) {
	url, ch := receiver(t)
	e := newSandbox(t, sandbox.Config{VaultsPayWebhookURLs: []string{url}, DeliveryBackoff: 10 * time.Millisecond})
	e.run(t)
	v, err := vaultspay.NewVerifier(e.cfg.VaultsPayWebhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	card := e.findCard(t, api.CardActive, "")
	steps := []struct {
		act  func() (api.Card, error)
		want api.EventType
		st   api.CardStatus
	}{
		{func() (api.Card, error) { return e.c.FreezeCard(ctx, card.ID) }, api.EventCardFrozen, api.CardFrozen},
		{func() (api.Card, error) { return e.c.UnfreezeCard(ctx, card.ID) }, api.EventCardUnfrozen, api.CardActive},
		{func() (api.Card, error) { return e.c.TerminateCard(ctx, card.ID, api.TerminateFraud) }, api.EventCardTerminated, api.CardTerminated},
	}
	for _, s := range steps {
		if _, err := s.act(); err != nil {
			t.Fatal(err)
		}
		ev, _ := awaitEvent(t, ch, v, func(ev api.Event) bool { return ev.Type == s.want && ev.CardID() == card.ID })
		if ev.Card.Status != s.st || ev.Provider != vaultspay.Provider || ev.ID == "" || len(ev.Raw) == 0 {
			t.Errorf("%s event: %+v", s.want, ev)
		}
	}
}
