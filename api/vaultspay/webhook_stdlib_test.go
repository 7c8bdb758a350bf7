package vaultspay_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// These cross-check the scheme with the Standard Webhooks reference
// library, which checks timestamps against the wall clock; so do these.

func TestOurSignVerifiesWithStandardWebhooks(t *testing.T) {
	secret := vaultspay.NewSecret()
	theirs, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"id":"evt_1","type":"card.frozen","timestamp":"2026-04-24T14:52:03Z","data":{}}`)
	h, err := vaultspay.Sign([]string{secret}, "evt_1", time.Now(), body)
	if err != nil {
		t.Fatal(err)
	}
	if err := theirs.Verify(body, h); err != nil {
		t.Fatalf("their Verify of our Sign: %v", err)
	}
	tampered := append([]byte{}, body...)
	tampered[len(tampered)-2] = ' '
	if err := theirs.Verify(tampered, h); err == nil {
		t.Fatal("their Verify accepted a tampered body")
	}

	// During a rotation our header carries two signatures; theirs takes
	// whichever matches its secret.
	old := vaultspay.NewSecret()
	h, err = vaultspay.Sign([]string{old, secret}, "evt_2", time.Now(), body)
	if err != nil {
		t.Fatal(err)
	}
	if err := theirs.Verify(body, h); err != nil {
		t.Fatalf("their Verify of our rotation header: %v", err)
	}
}

func TestStandardWebhooksSignVerifiesWithOurs(t *testing.T) {
	secret := vaultspay.NewSecret()
	theirs, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := vaultspay.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"id":"evt_3","type":"transaction.declined"}`)
	for _, skew := range []time.Duration{0, -4 * time.Minute, 4 * time.Minute} {
		at := time.Now().Add(skew)
		sig, err := theirs.Sign("evt_3", at, body)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set(standardwebhooks.HeaderWebhookID, "evt_3")
		h.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
		h.Set(standardwebhooks.HeaderWebhookSignature, sig)
		if err := ours.Verify(h, body, time.Now()); err != nil {
			t.Errorf("skew %v: our Verify of their Sign: %v", skew, err)
		}
		if err := theirs.Verify(body, h); err != nil {
			t.Errorf("skew %v: their own Verify: %v", skew, err)
		}
	}
}

func TestToleranceAgreesWithStandardWebhooks(t *testing.T) {
	secret := vaultspay.NewSecret()
	theirs, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := vaultspay.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{}`)
	// Well clear of the edge, so that the wall clock moving during the test
	// cannot change the answer.
	tests := []struct {
		skew time.Duration
		want error
	}{
		{-6 * time.Minute, api.ErrTimestampStale},
		{-time.Hour, api.ErrTimestampStale},
		{6 * time.Minute, api.ErrTimestampFuture},
		{time.Hour, api.ErrTimestampFuture},
	}
	for _, tt := range tests {
		at := time.Now().Add(tt.skew)
		h, err := vaultspay.Sign([]string{secret}, "evt_4", at, body)
		if err != nil {
			t.Fatal(err)
		}
		if theirs.Verify(body, h) == nil {
			t.Errorf("skew %v: their Verify accepted", tt.skew)
		}
		if err := ours.Verify(h, body, time.Now()); !errors.Is(err, tt.want) {
			t.Errorf("skew %v: our Verify: %v, want %v", tt.skew, err, tt.want)
		}
	}
}
