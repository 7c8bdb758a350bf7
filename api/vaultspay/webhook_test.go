package vaultspay_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// The Standard Webhooks published vector.
const (
	vecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vecID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecTS     = 1614265330
	vecBody   = `{"test": 2432232314}`
	vecSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

// independentSig computes a v1 signature without the package's code.
func independentSig(t *testing.T, secret, id string, ts int64, body string) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatalf("test secret: %v", err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(ts, 10) + "." + body))
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func headers(id, ts, sig string) http.Header {
	h := http.Header{}
	if id != "" {
		h.Set(vaultspay.HeaderID, id)
	}
	if ts != "" {
		h.Set(vaultspay.HeaderTimestamp, ts)
	}
	if sig != "" {
		h.Set(vaultspay.HeaderSignature, sig)
	}
	return h
}

func TestSignPublishedVector(t *testing.T) {
	if got := independentSig(t, vecSecret, vecID, vecTS, vecBody); got != vecSig {
		t.Fatalf("independent signature %s, published %s", got, vecSig)
	}
	h, err := vaultspay.Sign([]string{vecSecret}, vecID, time.Unix(vecTS, 0), []byte(vecBody))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Get(vaultspay.HeaderSignature); got != vecSig {
		t.Errorf("Sign: %s, want %s", got, vecSig)
	}
	if got := h.Get(vaultspay.HeaderID); got != vecID {
		t.Errorf("webhook-id %q", got)
	}
	if got := h.Get(vaultspay.HeaderTimestamp); got != strconv.Itoa(vecTS) {
		t.Errorf("webhook-timestamp %q", got)
	}
}

func TestSignRefusesBadSecrets(t *testing.T) {
	for _, secrets := range [][]string{nil, {""}, {"whsec_not base64!"}, {vecSecret, "whsec_%%%"},
		{strings.TrimPrefix(vecSecret, vaultspay.SecretPrefix)}, {vecSecret, "sk_live_abc"}} {
		if _, err := vaultspay.Sign(secrets, "msg_1", time.Unix(vecTS, 0), []byte("{}")); err == nil {
			t.Errorf("Sign(%q) succeeded", secrets)
		}
		if len(secrets) > 0 {
			if _, err := vaultspay.NewVerifier(secrets...); err == nil {
				t.Errorf("NewVerifier(%q) succeeded", secrets)
			}
		}
	}
	if _, err := vaultspay.NewVerifier(); err == nil {
		t.Error("NewVerifier() with no secret succeeded")
	}
}

func TestVerify(t *testing.T) {
	other := vaultspay.NewSecret()
	now := time.Unix(vecTS, 0)
	ts := strconv.Itoa(vecTS)
	good := independentSig(t, vecSecret, vecID, vecTS, vecBody)
	otherSig := independentSig(t, other, vecID, vecTS, vecBody)
	tests := []struct {
		name    string
		secrets []string
		h       http.Header
		body    string
		now     time.Time
		want    error // nil: verifies
	}{
		{"published vector", []string{vecSecret}, headers(vecID, ts, vecSig), vecBody, now, nil},
		{"wrong secret", []string{other}, headers(vecID, ts, good), vecBody, now, api.ErrSignatureMismatch},
		{"one body byte changed", []string{vecSecret}, headers(vecID, ts, good), `{"test": 2432232315}`, now, api.ErrSignatureMismatch},
		{"body with trailing newline", []string{vecSecret}, headers(vecID, ts, good), vecBody + "\n", now, api.ErrSignatureMismatch},
		{"other id", []string{vecSecret}, headers("msg_other", ts, good), vecBody, now, api.ErrSignatureMismatch},
		{"other timestamp", []string{vecSecret}, headers(vecID, strconv.Itoa(vecTS+1), good), vecBody, now, api.ErrSignatureMismatch},
		{"missing id", []string{vecSecret}, headers("", ts, good), vecBody, now, api.ErrSignatureMissing},
		{"missing timestamp", []string{vecSecret}, headers(vecID, "", good), vecBody, now, api.ErrSignatureMissing},
		{"missing signature", []string{vecSecret}, headers(vecID, ts, ""), vecBody, now, api.ErrSignatureMissing},
		{"no headers", []string{vecSecret}, http.Header{}, vecBody, now, api.ErrSignatureMissing},
		{"timestamp not digits", []string{vecSecret}, headers(vecID, "16142653e3", good), vecBody, now, api.ErrSignatureMalformed},
		{"timestamp negative", []string{vecSecret}, headers(vecID, "-1614265330", good), vecBody, now, api.ErrSignatureMalformed},
		{"timestamp huge", []string{vecSecret}, headers(vecID, "99999999999999999999", good), vecBody, now, api.ErrSignatureMalformed},
		{"signature without version", []string{vecSecret}, headers(vecID, ts, strings.TrimPrefix(good, "v1,")), vecBody, now, api.ErrSignatureMalformed},
		{"signature not base64", []string{vecSecret}, headers(vecID, ts, "v1,@@@@"), vecBody, now, api.ErrSignatureMalformed},
		{"signature too short", []string{vecSecret}, headers(vecID, ts, "v1,"+base64.StdEncoding.EncodeToString(make([]byte, 16))), vecBody, now, api.ErrSignatureMalformed},
		{"empty v1 signature", []string{vecSecret}, headers(vecID, ts, "v1,"), vecBody, now, api.ErrSignatureMalformed},
		{"only a v2 entry", []string{vecSecret}, headers(vecID, ts, "v2,"+strings.TrimPrefix(good, "v1,")), vecBody, now, api.ErrSignatureMalformed},
		{"v2 entry ignored beside v1", []string{vecSecret}, headers(vecID, ts, "v2,garbage "+good), vecBody, now, nil},
		{"v1a asymmetric entry ignored", []string{vecSecret}, headers(vecID, ts, "v1a,Zm9v "+good), vecBody, now, nil},
		{"rotation: old and new signatures, verifier has new", []string{vecSecret}, headers(vecID, ts, otherSig+" "+good), vecBody, now, nil},
		{"rotation: old and new signatures, verifier has old", []string{other}, headers(vecID, ts, otherSig+" "+good), vecBody, now, nil},
		{"rotation: verifier holds both secrets", []string{other, vecSecret}, headers(vecID, ts, good), vecBody, now, nil},
		{"rotation: neither signature matches", []string{vaultspay.NewSecret()}, headers(vecID, ts, otherSig+" "+good), vecBody, now, api.ErrSignatureMismatch},
		{"at the stale edge", []string{vecSecret}, headers(vecID, ts, good), vecBody, now.Add(vaultspay.Tolerance), nil},
		{"stale", []string{vecSecret}, headers(vecID, ts, good), vecBody, now.Add(vaultspay.Tolerance + time.Second), api.ErrTimestampStale},
		{"at the future edge", []string{vecSecret}, headers(vecID, ts, good), vecBody, now.Add(-vaultspay.Tolerance), nil},
		{"future", []string{vecSecret}, headers(vecID, ts, good), vecBody, now.Add(-vaultspay.Tolerance - time.Second), api.ErrTimestampFuture},
		{"stale even with a wrong signature", []string{vecSecret}, headers(vecID, ts, otherSig), vecBody, now.Add(time.Hour), api.ErrTimestampStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := vaultspay.NewVerifier(tt.secrets...)
			if err != nil {
				t.Fatal(err)
			}
			err = v.Verify(tt.h, []byte(tt.body), tt.now)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("Verify: %v, want success", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifySignatureSplitOverHeaderLines(t *testing.T) {
	other := vaultspay.NewSecret()
	h := headers(vecID, strconv.Itoa(vecTS), independentSig(t, other, vecID, vecTS, vecBody))
	h.Add(vaultspay.HeaderSignature, vecSig)
	v, err := vaultspay.NewVerifier(vecSecret)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(h, []byte(vecBody), time.Unix(vecTS, 0)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestSignRotationVerifiesWithEitherSecret(t *testing.T) {
	old, cur := vaultspay.NewSecret(), vaultspay.NewSecret()
	at := time.Unix(1_700_000_000, 0)
	body := []byte(`{"id":"evt_1","type":"card.frozen"}`)
	h, err := vaultspay.Sign([]string{old, cur}, "evt_1", at, body)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Fields(h.Get(vaultspay.HeaderSignature))); n != 2 {
		t.Fatalf("%d signatures, want 2", n)
	}
	for _, s := range []string{old, cur} {
		v, err := vaultspay.NewVerifier(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Verify(h, body, at); err != nil {
			t.Errorf("verifier with one of the secrets: %v", err)
		}
	}
}

func TestNewSecret(t *testing.T) {
	a, b := vaultspay.NewSecret(), vaultspay.NewSecret()
	if a == b {
		t.Fatal("two secrets are equal")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, vaultspay.SecretPrefix))
	if !strings.HasPrefix(a, vaultspay.SecretPrefix) || err != nil || len(key) != 32 {
		t.Fatalf("secret %q: want whsec_ and base64 of 32 bytes (%v)", a, err)
	}
}

func TestParseSignatures(t *testing.T) {
	sig := base64.StdEncoding.EncodeToString(make([]byte, 32))
	tests := []struct {
		in string
		n  int // signatures; -1: malformed
	}{
		{"v1," + sig, 1},
		{"v1," + sig + " v1," + sig, 2},
		{"  v1," + sig + "   v2,xyz  ", 1},
		{"", -1},
		{"v2," + sig, -1},
		{"v1", -1},
		{"v1," + sig[:10], -1},
		{"v1," + sig + " junk", -1},
	}
	for _, tt := range tests {
		sigs, err := vaultspay.ParseSignatures(tt.in)
		if tt.n < 0 {
			if !errors.Is(err, api.ErrSignatureMalformed) {
				t.Errorf("ParseSignatures(%q): %v, want malformed", tt.in, err)
			}
			continue
		}
		if err != nil || len(sigs) != tt.n {
			t.Errorf("ParseSignatures(%q) = %d, %v; want %d", tt.in, len(sigs), err, tt.n)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1614265330", 1614265330, true},
		{"0", 0, true},
		{"", 0, false},
		{" 1614265330", 0, false},
		{"+1614265330", 0, false},
		{"1614265330.5", 0, false},
		{"1234567890123", 0, false},
	}
	for _, tt := range tests {
		got, err := vaultspay.ParseTimestamp(tt.in)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("ParseTimestamp(%q) = %d, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, api.ErrSignatureMalformed) {
			t.Errorf("ParseTimestamp(%q): %v does not wrap ErrSignatureMalformed", tt.in, err)
		}
	}
}
