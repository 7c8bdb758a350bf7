package vaultspay_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

func TestNewBaseURL(t *testing.T) {
	tests := []struct {
		url  string
		want string // "" accepts; otherwise a part of the error
	}{
		{"", ""},
		{"https://api.vaultspay.ae/v1", ""},
		{"https://api.vaultspay.ae/v1/", ""},
		{"HTTPS://api.vaultspay.ae/v1", ""},
		{"http://127.0.0.1:8080/vaultspay/v1", ""},
		{"http://127.9.8.7/v1", ""},
		{"http://localhost:9000/v1", ""},
		{"http://LOCALHOST/v1", ""},
		{"http://[::1]:9000/v1", ""},
		{"http://api.vaultspay.ae/v1", "VaultsPay requires HTTPS; plain HTTP is only allowed to a loopback address"},
		{"http://10.0.0.1/v1", "VaultsPay requires HTTPS"},
		{"http://localhost.example.com/v1", "VaultsPay requires HTTPS"},
		{"http://128.0.0.1/v1", "VaultsPay requires HTTPS"},
		{"ftp://api.vaultspay.ae/v1", "scheme must be https"},
		{"api.vaultspay.ae/v1", "not an absolute URL"},
		{"://nothing", "not an absolute URL"},
		{"https://u:secretpw@api.vaultspay.ae/v1", "must not carry credentials"},
		{"https://api.vaultspay.ae/v1?x=1", "must not carry credentials, a query"},
	}
	for _, tt := range tests {
		c, err := vaultspay.New(vaultspay.Config{BaseURL: tt.url, Key: "vp_test_abc"})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("New(%q): %v", tt.url, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("New(%q) = %v, %v; want an error saying %q", tt.url, c, err, tt.want)
		case err != nil && strings.Contains(err.Error(), "secretpw"):
			t.Errorf("New(%q): error shows the URL's password: %v", tt.url, err)
		}
	}
	if _, err := vaultspay.New(vaultspay.Config{}); err == nil || !strings.Contains(err.Error(), "no API key") {
		t.Errorf("New without a key: %v", err)
	}
}

func TestCapabilities(t *testing.T) {
	c, err := vaultspay.New(vaultspay.Config{Key: "vp_test_abc"})
	if err != nil {
		t.Fatal(err)
	}
	want := api.Capabilities{Reveal: true, Activate: true, Accounts: true, KYC: true, AccountTransactions: true,
		LastFourFilter: true, UserSearch: true, WebhookEndpoints: true}
	if got := c.Capabilities(); got != want {
		t.Errorf("Capabilities = %+v, want %+v", got, want)
	}
	if c.Provider() != "vaultspay" || c.RateLimit().Known() {
		t.Errorf("provider %q, rate limit %+v", c.Provider(), c.RateLimit())
	}
}

func TestListTransactionsUnsupportedScopes(t *testing.T) {
	f := newFake(t)
	c := f.client(t)
	ctx := context.Background()
	for _, filter := range []api.TxFilter{{}, {UserID: "usr_1"}, {Status: api.TxDeclined}} {
		_, err := c.ListTransactions(ctx, filter)
		if !errors.Is(err, api.ErrUnsupported) {
			t.Errorf("ListTransactions(%+v): %v, want ErrUnsupported", filter, err)
		}
	}
	if n := f.count(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
