package sandbox

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Config configures a sandbox. Zero values get the defaults documented on
// each field; Server.Config reports the values in use.
type Config struct {
	Seed                   int64
	Rate                   float64 // simulated authorisations per second, per provider; 0 = no simulation
	VaultsPayKey           string  // "" → generated "vp_test_" + random
	VaultsPayReadOnlyKey   string  // "" → generated "vp_test_ro_" + random; may GET, gets 403 permission_error on writes
	VydapayKey             string  // "" → generated "sk_test_" + random
	VydapayPublishableKey  string  // "" → generated "pk_test_" + random; 403 on every endpoint
	VaultsPayWebhookSecret string  // "" → vaultspay.NewSecret()
	VydapayWebhookSecret   string  // "" → vydapay.NewSecret()
	VaultsPayWebhookURLs   []string
	VydapayWebhookURLs     []string
	// VaultsPayLive makes the VaultsPay keys live-mode keys, whatever they
	// look like: VaultsPay documents no key prefix, and its ping's
	// livemode is what tells a client. A vp_live_ key is live anyway.
	VaultsPayLive   bool
	RateLimit       int           // requests per minute per API key; 0 → 100 (Vydapay's test mode); negative → unlimited
	DeliveryBackoff time.Duration // first webhook retry delay; 0 → 1s (tests set small)
	Logger          *slog.Logger  // nil → discard
	// Start is the sandbox clock's reading when New runs; it then runs at
	// the wall clock's pace. Zero → the wall clock. The book's history
	// follows the calendar (card expiries, spending-limit periods), so a
	// fixed Start gives the same book on any day: tests and goldens use it.
	// Webhooks are signed with the sandbox's time, so a relay checking
	// their age needs a Start close to now.
	Start time.Time
	// Drift makes the sandbox answer and deliver as a provider that has
	// moved on from its reference: states, types, decline codes and event
	// types the reference does not list, fields it does not have, optional
	// fields left out, chosen by Seed (see drift.go).
	Drift bool
}

// Defaults.
const (
	// defaultRateLimit is Vydapay's test-mode limit (its Growth plan allows
	// 500): a dashboard tried against the sandbox lives under the
	// constraint of a real desk.
	defaultRateLimit       = 100
	defaultDeliveryBackoff = time.Second
)

// randomToken returns n lowercase alphanumerics from crypto/rand, for keys.
func randomToken(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// withDefaults fills in generated keys and secrets and checks the rest.
func (c Config) withDefaults() (Config, error) {
	if c.VaultsPayKey == "" {
		c.VaultsPayKey = vaultspay.TestKeyPrefix + randomToken(24)
	}
	if c.VaultsPayReadOnlyKey == "" {
		c.VaultsPayReadOnlyKey = vaultspay.TestKeyPrefix + "ro_" + randomToken(24)
	}
	if c.VydapayKey == "" {
		c.VydapayKey = vydapay.TestKeyPrefix + randomToken(24)
	}
	if c.VydapayPublishableKey == "" {
		c.VydapayPublishableKey = vydapay.PublishableKeyPrefix + "test_" + randomToken(24)
	}
	if c.VaultsPayWebhookSecret == "" {
		c.VaultsPayWebhookSecret = vaultspay.NewSecret()
	}
	if c.VydapayWebhookSecret == "" {
		c.VydapayWebhookSecret = vydapay.NewSecret()
	}
	if c.RateLimit == 0 {
		c.RateLimit = defaultRateLimit
	}
	if c.DeliveryBackoff == 0 {
		c.DeliveryBackoff = defaultDeliveryBackoff
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.VaultsPayWebhookURLs = append([]string(nil), c.VaultsPayWebhookURLs...)
	c.VydapayWebhookURLs = append([]string(nil), c.VydapayWebhookURLs...)
	return c, c.validate()
}

func (c Config) validate() error {
	if math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) || c.Rate < 0 {
		return fmt.Errorf("sandbox config: rate %v: must be a finite number, zero or more", c.Rate)
	}
	if c.DeliveryBackoff < 0 {
		return fmt.Errorf("sandbox config: delivery backoff %v: must not be negative", c.DeliveryBackoff)
	}
	keys := []struct {
		name, value string
		prefixes    []string
	}{
		{"VaultsPay key", c.VaultsPayKey, []string{vaultspay.TestKeyPrefix, vaultspay.LiveKeyPrefix}},
		{"VaultsPay read-only key", c.VaultsPayReadOnlyKey, []string{vaultspay.TestKeyPrefix, vaultspay.LiveKeyPrefix}},
		{"Vydapay key", c.VydapayKey, []string{vydapay.TestKeyPrefix, vydapay.LiveKeyPrefix}},
		{"Vydapay publishable key", c.VydapayPublishableKey, []string{vydapay.PublishableKeyPrefix}},
	}
	seen := map[string]string{}
	for _, k := range keys {
		if !hasAnyPrefix(k.value, k.prefixes) || len(k.value) == len(longestPrefix(k.value, k.prefixes)) {
			return fmt.Errorf("sandbox config: %s: want a key starting with %s", k.name, strings.Join(k.prefixes, " or "))
		}
		if strings.ContainsAny(k.value, " \t\r\n") {
			return fmt.Errorf("sandbox config: %s: must not contain white space", k.name)
		}
		if other, dup := seen[k.value]; dup {
			return fmt.Errorf("sandbox config: %s is the same as the %s", k.name, other)
		}
		seen[k.value] = k.name
	}
	if _, err := vaultspay.Sign([]string{c.VaultsPayWebhookSecret}, "msg_check", time.Unix(0, 0), nil); err != nil {
		return fmt.Errorf("sandbox config: VaultsPay webhook secret: %w", err)
	}
	if c.VydapayWebhookSecret == "" {
		return fmt.Errorf("sandbox config: Vydapay webhook secret: must not be empty")
	}
	for _, u := range c.VaultsPayWebhookURLs {
		if err := checkURL(u); err != nil {
			return fmt.Errorf("sandbox config: VaultsPay webhook URL: %w", err)
		}
	}
	for _, u := range c.VydapayWebhookURLs {
		if err := checkURL(u); err != nil {
			return fmt.Errorf("sandbox config: Vydapay webhook URL: %w", err)
		}
	}
	return nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	return longestPrefix(s, prefixes) != ""
}

func longestPrefix(s string, prefixes []string) string {
	best := ""
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) && len(p) > len(best) {
			best = p
		}
	}
	return best
}

// checkURL accepts an absolute http or https URL with a host.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q: want an absolute http(s) URL", raw)
	}
	return nil
}

// isLive says whether a key is a live-mode key.
func isLive(key string) bool {
	return strings.HasPrefix(key, vaultspay.LiveKeyPrefix) || strings.HasPrefix(key, vydapay.LiveKeyPrefix) ||
		strings.HasPrefix(key, vydapay.PublishableKeyPrefix+"live_")
}
