package vaultspay

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// Standard Webhooks headers and conventions.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
	SecretPrefix    = "whsec_"
	// Tolerance is how far a timestamp may stray from now either way.
	Tolerance = 5 * time.Minute
)

// NewSecret returns a fresh whsec_ secret holding 32 random bytes.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return SecretPrefix + base64.StdEncoding.EncodeToString(b[:])
}

// secretKey decodes a whsec_ secret to its key. The prefix is required:
// every VaultsPay secret has it, so a secret without it is another
// provider's, or a key, pasted in the wrong place — taken as is, it would
// verify nothing, and every webhook would be refused as a signature
// mismatch.
func secretKey(secret string) ([]byte, error) {
	rest, ok := strings.CutPrefix(secret, SecretPrefix)
	if !ok {
		return nil, fmt.Errorf("VaultsPay webhook secret does not start with %s: VaultsPay's secrets are %s followed by base64 (is it another provider's secret, or an API key?)", SecretPrefix, SecretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("VaultsPay webhook secret: want %s followed by base64", SecretPrefix)
	}
	return key, nil
}

func mac(key []byte, id string, ts int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write(strconv.AppendInt(nil, ts, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Sign returns the webhook headers for body: its id, timestamp, and one
// "v1,<base64>" signature per secret, space-separated (several during a
// rotation).
func Sign(secrets []string, id string, ts time.Time, body []byte) (http.Header, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("sign webhook %s: no secret", id)
	}
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		key, err := secretKey(s)
		if err != nil {
			return nil, fmt.Errorf("sign webhook %s: %w", id, err)
		}
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body)))
	}
	h := http.Header{}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, strings.Join(sigs, " "))
	return h, nil
}

// Verifier checks VaultsPay webhooks against one or more secrets.
type Verifier struct {
	keys [][]byte
}

// NewVerifier accepts every secret in secrets (more than one during a
// rotation).
func NewVerifier(secrets ...string) (*Verifier, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("vaultspay webhooks: no secret configured")
	}
	v := &Verifier{}
	for _, s := range secrets {
		key, err := secretKey(s)
		if err != nil {
			return nil, err
		}
		v.keys = append(v.keys, key)
	}
	return v, nil
}

// Provider names the provider.
func (v *Verifier) Provider() string { return Provider }

// Verify checks the Standard Webhooks headers over body at time now.
func (v *Verifier) Verify(h http.Header, body []byte, now time.Time) error {
	// A signature list may arrive split over several header lines.
	id, tsText, sigText := h.Get(HeaderID), h.Get(HeaderTimestamp), strings.Join(h.Values(HeaderSignature), " ")
	if id == "" || tsText == "" || sigText == "" {
		return api.ErrSignatureMissing
	}
	ts, err := ParseTimestamp(tsText)
	if err != nil {
		return err
	}
	at := time.Unix(ts, 0)
	if now.Sub(at) > Tolerance {
		return api.ErrTimestampStale
	}
	if at.Sub(now) > Tolerance {
		return api.ErrTimestampFuture
	}
	sigs, err := ParseSignatures(sigText)
	if err != nil {
		return err
	}
	matched := false
	for _, key := range v.keys {
		want := mac(key, id, ts, body)
		for _, sig := range sigs {
			// Every comparison runs, so timing says nothing of which matched.
			if hmac.Equal(sig, want) {
				matched = true
			}
		}
	}
	if !matched {
		return api.ErrSignatureMismatch
	}
	return nil
}

// ParseTimestamp reads a webhook-timestamp: Unix seconds, digits only.
func ParseTimestamp(s string) (int64, error) {
	if s == "" || len(s) > 12 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%w: webhook-timestamp %q is not Unix seconds", api.ErrSignatureMalformed, clip(s))
	}
	ts, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: webhook-timestamp %q is not Unix seconds", api.ErrSignatureMalformed, clip(s))
	}
	return ts, nil
}

// ParseSignatures reads a webhook-signature header: space-separated
// "version,base64" entries. Entries of versions other than v1 are skipped;
// a header with no v1 entry, or a v1 entry that is not base64 of 32 bytes,
// is malformed.
func ParseSignatures(s string) ([][]byte, error) {
	var sigs [][]byte
	for _, entry := range strings.Fields(s) {
		version, value, ok := strings.Cut(entry, ",")
		if !ok {
			return nil, fmt.Errorf("%w: entry %q has no version", api.ErrSignatureMalformed, clip(entry))
		}
		if version != "v1" {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(sig) != sha256.Size {
			return nil, fmt.Errorf("%w: v1 signature is not base64 of %d bytes", api.ErrSignatureMalformed, sha256.Size)
		}
		sigs = append(sigs, sig)
	}
	if len(sigs) == 0 {
		return nil, fmt.Errorf("%w: no v1 signature", api.ErrSignatureMalformed)
	}
	return sigs, nil
}

// clip is how an error quotes a value from outside (a header, a field of a
// body): made safe for a terminal and a log, card numbers masked, and cut
// to 24 characters.
func clip(s string) string { return safetext.Clip(s, 24) }

// shownID is how an error names an object by an id from outside: made safe
// like clip, and long enough for any real id.
func shownID(id string) string { return safetext.Clip(id, 64) }
