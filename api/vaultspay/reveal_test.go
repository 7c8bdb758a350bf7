package vaultspay_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestRevealBadAnswersNeverLeak(t *testing.T) {
	const number, cvc = "4000001234564821", "987"
	tests := []struct {
		name, body, want string
	}{
		{"short number", `{"number":"40000012","cvc":"987","exp_month":7,"exp_year":2029}`, "8 digits"},
		{"letters in number", `{"number":"4000001234564821x","cvc":"987","exp_month":7,"exp_year":2029}`, "decode"},
		{"number as a JSON number", `{"number":4000001234564821,"cvc":"987","exp_month":7,"exp_year":2029}`, "decode"},
		{"no cvc", `{"number":"4000001234564821","exp_month":7,"exp_year":2029}`, "CVC has 0 digits"},
		{"cvc too long", `{"number":"4000001234564821","cvc":"98765","exp_month":7,"exp_year":2029}`, "CVC has 5 digits"},
		{"month zero", `{"number":"4000001234564821","cvc":"987","exp_month":0,"exp_year":2029}`, "exp_month 0"},
		{"two-digit year", `{"number":"4000001234564821","cvc":"987","exp_month":7,"exp_year":29}`, "exp_year 29"},
		{"truncated", `{"number":"4000001234564821","cvc":"987","exp_mo`, "truncated"},
	}
	f := newFake(t)
	c := f.client(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.serve(func(*http.Request) (int, string) { return 200, tt.body })
			s, err := c.RevealCard(context.Background(), "card_1", "caller verified")
			if err == nil || s != nil {
				t.Fatalf("RevealCard = %v, %v; want an error", s, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not say %q", msg, tt.want)
			}
			for _, secret := range []string{number, number[len(number)-8:], `"` + cvc + `"`, "40000012"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q leaks %q", msg, secret)
				}
			}
		})
	}
}

func TestRevealErrorAnswer(t *testing.T) {
	f := newFake(t)
	c := f.client(t)
	f.serve(func(*http.Request) (int, string) {
		return 409, errBody("card_error", "invalid_card_state", "card card_1 is terminated and cannot be revealed", "", "req_9")
	})
	_, err := c.RevealCard(context.Background(), "card_1", "caller verified")
	e, ok := api.AsError(err)
	if !ok || !errors.Is(err, api.ErrConflict) || e.Code != "invalid_card_state" || e.RequestID != "req_9" || e.Provider != "vaultspay" {
		t.Fatalf("error %v", err)
	}
	if !strings.HasPrefix(err.Error(), "reveal card card_1: ") {
		t.Errorf("error %q does not say what was being done", err)
	}
}

func TestErrorsThroughTheClient(t *testing.T) {
	f := newFake(t)
	c := f.client(t)
	tests := []struct {
		status   int
		body     string
		sentinel error
		code     string
	}{
		{401, errBody("authentication_error", "api_key_invalid", "bad key", "", ""), api.ErrUnauthorized, "api_key_invalid"},
		{404, errBody("invalid_request_error", "resource_missing", "No such card", "id", ""), api.ErrNotFound, "resource_missing"},
		{502, "<html>bad gateway</html>", api.ErrServer, ""},
	}
	for _, tt := range tests {
		f.serve(func(*http.Request) (int, string) { return tt.status, tt.body })
		_, err := c.GetCard(context.Background(), "card_1")
		e, ok := api.AsError(err)
		if !ok || !errors.Is(err, tt.sentinel) || e.Code != tt.code || e.RequestID != "req_fake" || e.Status != tt.status {
			t.Errorf("%d: %v (%+v)", tt.status, err, e)
		}
	}
}

func TestBadAnswersAreErrors(t *testing.T) {
	f := newFake(t)
	c := f.client(t)
	tests := []struct {
		name, body, want string
	}{
		{"card with a bad created_at", with(cardJSON, "created_at", `"2026-01-02T03:04:05.123Z"`, `"yesterday"`), `card card_1: created_at "yesterday"`},
		{"not JSON", "<html>", "malformed JSON"},
		{"wrong type", with(cardJSON, "exp_year", "2029", `"2029"`), `field "exp_year"`},
	}
	for _, tt := range tests {
		f.serve(func(*http.Request) (int, string) { return 200, tt.body })
		_, err := c.GetCard(context.Background(), "card_1")
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "get card card_1: ") {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	// A card in a state carddesk does not know is a card all the same.
	f.serve(func(*http.Request) (int, string) { return 200, with(cardJSON, "status", `"frozen"`, `"melted"`) })
	if card, err := c.GetCard(context.Background(), "card_1"); err != nil || card.Status != "melted" {
		t.Errorf("card with unknown status: %+v, %v", card, err)
	}
	f.serve(func(*http.Request) (int, string) {
		return 200, `{"object":"list","data":[` + cardJSON + `,` + with(cardJSON, "last_four", `"4821"`, `"48"`) + `],"has_more":false,"next_cursor":null,"prev_cursor":null}`
	})
	if _, err := c.ListCards(context.Background(), api.CardFilter{}); err == nil || !strings.Contains(err.Error(), "last_four") {
		t.Errorf("list with a bad card: %v", err)
	}
	f.serve(func(*http.Request) (int, string) { return 200, `{"object":"ping","ok":false}` })
	if _, err := c.Ping(context.Background()); err == nil {
		t.Error("ping with ok false succeeded")
	}
	f.serve(func(*http.Request) (int, string) { return 200, `{"id":"we_1","deleted":false}` })
	if err := c.DeleteWebhookEndpoint(context.Background(), "we_1"); err == nil {
		t.Error("delete answered deleted:false succeeded")
	}
}
