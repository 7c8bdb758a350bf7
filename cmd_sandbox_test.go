package main

import "testing"

func TestCheckWebhookURL(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:9/webhooks/vydapay", "https://relay.example/webhooks/vaultspay"} {
		if err := checkWebhookURL(u); err != nil {
			t.Errorf("%q refused: %v", u, err)
		}
	}
	for _, u := range []string{"", "127.0.0.1:9/x", "ftp://x/y", "http://", "::"} {
		if err := checkWebhookURL(u); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}
