package vaultspay_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// TestListAccountsFollowsEveryPage checks ListAccounts walks all pages.
func TestListAccountsFollowsEveryPage(t *testing.T) {
	f := newFake(t)
	c := f.client(t)
	acc := func(id string) string { return strings.ReplaceAll(accountJSON, `"acc_1"`, `"`+id+`"`) }
	f.serve(func(r *http.Request) (int, string) {
		switch r.URL.Query().Get("cursor") {
		case "":
			return 200, `{"object":"list","data":[` + acc("acc_1") + `,` + acc("acc_2") + `],"has_more":true,"next_cursor":"c2","prev_cursor":null}`
		case "c2":
			return 200, `{"object":"list","data":[` + acc("acc_3") + `],"has_more":false,"next_cursor":null,"prev_cursor":"c1"}`
		}
		return 400, errBody("invalid_request_error", "parameter_invalid", "bad cursor", "cursor", "")
	})
	accounts, err := c.ListAccounts(context.Background(), "usr_1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range accounts {
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, ",") != "acc_1,acc_2,acc_3" {
		t.Errorf("accounts %v", ids)
	}
	for _, r := range f.take() {
		if r.Query["user_id"][0] != "usr_1" || r.Query["limit"][0] != "100" {
			t.Errorf("query %v", r.Query)
		}
	}
}

// TestRefusedBeforeSending checks that bad arguments fail precisely and
// send nothing.
func TestRefusedBeforeSending(t *testing.T) {
	f := newFake(t)
	c := f.client(t)
	bad := "bad"
	neg := -1
	tests := []struct {
		name string
		call func(context.Context) error
		want string
	}{
		{"limit 101", func(ctx context.Context) error {
			_, err := c.ListUsers(ctx, api.UserFilter{Page: api.PageParams{Limit: 101}})
			return err
		}, "page limit 101"},
		{"negative limit", func(ctx context.Context) error {
			_, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: -1}})
			return err
		}, "page limit -1"},
		{"both cursors", func(ctx context.Context) error {
			_, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{After: "a", Before: "b"}})
			return err
		}, "either after or before"},
		{"empty card id", func(ctx context.Context) error { _, err := c.GetCard(ctx, ""); return err }, "card id is empty"},
		{"slash in card id", func(ctx context.Context) error { _, err := c.FreezeCard(ctx, "card_1/../x"); return err }, "contains a slash"},
		{"dot-dot id", func(ctx context.Context) error { _, err := c.GetUser(ctx, ".."); return err }, "is not an id"},
		{"space in id", func(ctx context.Context) error { _, err := c.GetAccount(ctx, "acc 1"); return err }, "space or control"},
		{"newline in id", func(ctx context.Context) error { _, err := c.GetIBAN(ctx, "acc\n1"); return err }, "space or control"},
		{"bad last four", func(ctx context.Context) error {
			_, err := c.ListCards(ctx, api.CardFilter{LastFour: "48a1"})
			return err
		}, "not four digits"},
		{"bad card status filter", func(ctx context.Context) error {
			_, err := c.ListCards(ctx, api.CardFilter{Status: "cancelled"})
			return err
		}, "status"},
		{"bad termination reason", func(ctx context.Context) error { _, err := c.TerminateCard(ctx, "card_1", "bored"); return err }, "not one of lost"},
		{"reveal without reason", func(ctx context.Context) error { _, err := c.RevealCard(ctx, "card_1", "  "); return err }, "reason is required"},
		{"two scopes", func(ctx context.Context) error {
			_, err := c.ListTransactions(ctx, api.TxFilter{CardID: "card_1", AccountID: "acc_1"})
			return err
		}, "at most one"},
		{"min above max", func(ctx context.Context) error {
			lo, hi := int64(10), int64(5)
			_, err := c.ListTransactions(ctx, api.TxFilter{CardID: "card_1", MinAmount: &lo, MaxAmount: &hi})
			return err
		}, "above max"},
		{"bad tx status", func(ctx context.Context) error {
			_, err := c.ListTransactions(ctx, api.TxFilter{CardID: "card_1", Status: "completed"})
			return err
		}, "status"},
		{"endpoint without url", func(ctx context.Context) error {
			_, err := c.CreateWebhookEndpoint(ctx, vaultspay.WebhookEndpointCreate{})
			return err
		}, "url is empty"},
		{"endpoint with relative url", func(ctx context.Context) error {
			_, err := c.CreateWebhookEndpoint(ctx, vaultspay.WebhookEndpointCreate{URL: "/webhooks"})
			return err
		}, "not an absolute"},
		{"endpoint with bad status", func(ctx context.Context) error {
			_, err := c.UpdateWebhookEndpoint(ctx, "we_1", vaultspay.WebhookEndpointUpdate{Status: &bad})
			return err
		}, "not enabled or disabled"},
		{"negative grace period", func(ctx context.Context) error {
			_, err := c.RotateWebhookSecret(ctx, "we_1", vaultspay.RotateSecret{ExpirePreviousInSeconds: &neg})
			return err
		}, "negative"},
		{"redeliver without event", func(ctx context.Context) error { _, err := c.RedeliverEvent(ctx, "", ""); return err }, "event id is empty"},
		{"kyc without session", func(ctx context.Context) error { _, err := c.GetKYCSession(ctx, "usr_1", ""); return err }, "kyc session id is empty"},
		{"accounts without user", func(ctx context.Context) error { _, err := c.ListAccounts(ctx, ""); return err }, "user id is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
			if n := f.count(); n != 0 {
				t.Errorf("%d requests sent", n)
				f.take()
			}
		})
	}
}
