package vydapay

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Provider is the name carddesk knows Vydapay by.
const Provider = "vydapay"

// SecretPrefix begins the webhook secrets the sandbox issues. Vydapay uses
// the whole secret string, prefix included, as the HMAC key.
const SecretPrefix = "whsec_"

// NewSecret returns a fresh webhook secret with 256 bits of entropy.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return SecretPrefix + hex.EncodeToString(b[:])
}

// Sign is the x-vydapay-signature for body: lowercase hex HMAC-SHA256 of the
// raw bytes under secret.
func Sign(secret string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Verifier checks Vydapay webhooks against one or more secrets.
type Verifier struct {
	keys [][]byte
}

// NewVerifier accepts every secret given (more than one during a rotation).
func NewVerifier(secrets ...string) (*Verifier, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("vydapay webhooks: no secret configured")
	}
	v := &Verifier{}
	for _, s := range secrets {
		if s == "" {
			return nil, fmt.Errorf("vydapay webhooks: empty secret")
		}
		v.keys = append(v.keys, []byte(s))
	}
	return v, nil
}

// Provider names the provider.
func (v *Verifier) Provider() string { return Provider }

// Verify checks x-vydapay-signature over body. Vydapay signs no timestamp,
// so now is unused: replay protection is the relay's dedupe on event id.
func (v *Verifier) Verify(h http.Header, body []byte, _ time.Time) error {
	text := h.Get(SignatureHeader)
	if text == "" {
		return api.ErrSignatureMissing
	}
	sig, err := ParseSignature(text)
	if err != nil {
		return err
	}
	matched := false
	for _, key := range v.keys {
		m := hmac.New(sha256.New, key)
		m.Write(body)
		// Every comparison runs, so timing says nothing of which matched.
		if hmac.Equal(sig, m.Sum(nil)) {
			matched = true
		}
	}
	if !matched {
		return api.ErrSignatureMismatch
	}
	return nil
}

// ParseSignature reads an x-vydapay-signature: 64 lowercase hex digits.
func ParseSignature(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) != 2*sha256.Size || strings.ToLower(s) != s {
		return nil, fmt.Errorf("%w: want %d lowercase hex digits", api.ErrSignatureMalformed, 2*sha256.Size)
	}
	sig, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: want %d lowercase hex digits", api.ErrSignatureMalformed, 2*sha256.Size)
	}
	return sig, nil
}
