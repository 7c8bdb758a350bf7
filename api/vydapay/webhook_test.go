package vydapay

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Signatures computed outside Go (openssl dgst -sha256 -hmac), and the
// RFC 4231 test case 2, so that Sign is checked against more than itself.
const (
	vectorSecret = "whsec_test_secret"
	vectorBody   = `{"id":"evt_abc123","object":"event","type":"card.frozen"}`
	vectorSig    = "0ce20fa6f3fcef23719e320fd8255438a64b74502b57b749235857a5ebfd4722"
	otherSecret  = "whsec_other"
	otherSig     = "fc95f03c2a66fecbab77b4bad40a7e9a5371e40f9478122e0d8e4e4534155160"
	emptyBodySig = "c6c175a074d482e2b94a0f8c5619f3abd861a511ec3ea7603b906811fd3d9d30"
	rfc4231Sig   = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
)

func TestSignVectors(t *testing.T) {
	tests := []struct {
		secret, body, want string
	}{
		{vectorSecret, vectorBody, vectorSig},
		{otherSecret, vectorBody, otherSig},
		{vectorSecret, "", emptyBodySig},
		{"Jefe", "what do ya want for nothing?", rfc4231Sig},
	}
	for _, tt := range tests {
		if got := Sign(tt.secret, []byte(tt.body)); got != tt.want {
			t.Errorf("Sign(%q, %q) = %s, want %s", tt.secret, tt.body, got, tt.want)
		}
	}
}

func header(sig string) http.Header {
	h := http.Header{}
	h.Set(SignatureHeader, sig)
	return h
}

func TestVerify(t *testing.T) {
	changed := []byte(vectorBody)
	changed[10] ^= 1
	tests := []struct {
		name    string
		secrets []string
		h       http.Header
		body    []byte
		want    error
	}{
		{"good", []string{vectorSecret}, header(vectorSig), []byte(vectorBody), nil},
		{"surrounding spaces", []string{vectorSecret}, header("  " + vectorSig + " "), []byte(vectorBody), nil},
		{"empty body", []string{vectorSecret}, header(emptyBodySig), nil, nil},
		{"wrong secret", []string{otherSecret}, header(vectorSig), []byte(vectorBody), api.ErrSignatureMismatch},
		{"one byte of body changed", []string{vectorSecret}, header(vectorSig), changed, api.ErrSignatureMismatch},
		{"trailing newline added", []string{vectorSecret}, header(vectorSig), []byte(vectorBody + "\n"), api.ErrSignatureMismatch},
		{"missing header", []string{vectorSecret}, http.Header{}, []byte(vectorBody), api.ErrSignatureMissing},
		{"nil header", []string{vectorSecret}, nil, []byte(vectorBody), api.ErrSignatureMissing},
		{"other header name", []string{vectorSecret}, http.Header{"X-Signature": {vectorSig}}, []byte(vectorBody), api.ErrSignatureMissing},
		{"uppercase hex", []string{vectorSecret}, header(strings.ToUpper(vectorSig)), []byte(vectorBody), api.ErrSignatureMalformed},
		{"short", []string{vectorSecret}, header(vectorSig[:63]), []byte(vectorBody), api.ErrSignatureMalformed},
		{"long", []string{vectorSecret}, header(vectorSig + "0"), []byte(vectorBody), api.ErrSignatureMalformed},
		{"not hex", []string{vectorSecret}, header("zz" + vectorSig[2:]), []byte(vectorBody), api.ErrSignatureMalformed},
		{"scheme prefix", []string{vectorSecret}, header("sha256=" + vectorSig), []byte(vectorBody), api.ErrSignatureMalformed},
		{"blank", []string{vectorSecret}, header("   "), []byte(vectorBody), api.ErrSignatureMalformed},
		{"rotation: old secret still accepted", []string{otherSecret, vectorSecret}, header(vectorSig), []byte(vectorBody), nil},
		{"rotation: new secret accepted", []string{otherSecret, vectorSecret}, header(otherSig), []byte(vectorBody), nil},
		{"rotation: neither secret", []string{otherSecret, "whsec_third"}, header(vectorSig), []byte(vectorBody), api.ErrSignatureMismatch},
	}
	now := time.Date(2025, 12, 2, 14, 30, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewVerifier(tt.secrets...)
			if err != nil {
				t.Fatal(err)
			}
			err = v.Verify(tt.h, tt.body, now)
			if tt.want == nil && err != nil {
				t.Fatalf("Verify: %v, want success", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
		})
	}
}

// Vydapay signs no timestamp, so the time of verification cannot matter.
func TestVerifyIgnoresTime(t *testing.T) {
	v, err := NewVerifier(vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	for _, now := range []time.Time{{}, time.Unix(0, 0), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if err := v.Verify(header(vectorSig), []byte(vectorBody), now); err != nil {
			t.Errorf("Verify at %v: %v", now, err)
		}
	}
}

func TestNewVerifierRefuses(t *testing.T) {
	for _, secrets := range [][]string{nil, {""}, {vectorSecret, ""}} {
		if _, err := NewVerifier(secrets...); err == nil {
			t.Errorf("NewVerifier(%q) succeeded", secrets)
		}
	}
}

func TestNewSecret(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b {
		t.Fatal("two secrets are equal")
	}
	for _, s := range []string{a, b} {
		hexPart, ok := strings.CutPrefix(s, SecretPrefix)
		if !ok || len(hexPart) != 64 || strings.Trim(hexPart, "0123456789abcdef") != "" {
			t.Errorf("secret %q: want %s and 64 hex digits", s, SecretPrefix)
		}
	}
	v, err := NewVerifier(a)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(vectorBody)
	if err := v.Verify(header(Sign(a, body)), body, time.Time{}); err != nil {
		t.Errorf("a body signed with a new secret does not verify: %v", err)
	}
}

func TestParseSignature(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{vectorSig, true},
		{" " + vectorSig + "\t", true},
		{"", false},
		{strings.ToUpper(vectorSig), false},
		{vectorSig[:62], false},
		{vectorSig + "00", false},
		{"g" + vectorSig[1:], false},
		{"v1=" + vectorSig[3:], false},
	}
	for _, tt := range tests {
		sig, err := ParseSignature(tt.in)
		if tt.ok && (err != nil || len(sig) != 32) {
			t.Errorf("ParseSignature(%q) = %x, %v; want 32 bytes", tt.in, sig, err)
		}
		if !tt.ok && !errors.Is(err, api.ErrSignatureMalformed) {
			t.Errorf("ParseSignature(%q) error %v, want ErrSignatureMalformed", tt.in, err)
		}
	}
}
