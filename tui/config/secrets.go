package config

import (
	"fmt"
	"io/fs"
	"regexp"
	"runtime"
	"strings"

	"github.com/carddesk/carddesk/api/secretfile"
)

// configSecret is a configuration key whose value is a secret, with the
// environment variable that can hold it instead, and whether it is set.
type configSecret struct {
	key, env string
	set      bool
}

// secrets are the configuration's keys that hold secrets: one list, so
// that the check on the file's mode and the hiding of values in parse
// errors cannot miss one.
func (c Config) secrets() []configSecret {
	return []configSecret{
		{"vaultspay.api_key", "CARDDESK_VAULTSPAY_KEY", c.VaultsPay.APIKey != ""},
		{"vaultspay.webhook_secrets", "CARDDESK_VAULTSPAY_WEBHOOK_SECRETS", len(c.VaultsPay.WebhookSecrets) > 0},
		{"vydapay.api_key", "CARDDESK_VYDAPAY_KEY", c.Vydapay.APIKey != ""},
		{"vydapay.webhook_secrets", "CARDDESK_VYDAPAY_WEBHOOK_SECRETS", len(c.Vydapay.WebhookSecrets) > 0},
		{"vaultspay.monitor_api_key", "CARDDESK_VAULTSPAY_MONITOR_KEY", c.VaultsPay.MonitorAPIKey != ""},
		{"vydapay.monitor_api_key", "CARDDESK_VYDAPAY_MONITOR_KEY", c.Vydapay.MonitorAPIKey != ""},
		{"relay.token", "CARDDESK_RELAY_TOKEN", c.Relay.Token != ""},
	}
}

// checkPrivate refuses a configuration file that holds a secret while its
// group or others may read it (fromFile is what the file alone set),
// naming the keys and the two ways out. A file with no secret may be
// shared.
func checkPrivate(path string, info fs.FileInfo, fromFile Config) error {
	if err := checkNotWritable(path, info); err != nil {
		return err
	}
	var keys, envs []string
	for _, s := range fromFile.secrets() {
		if s.set {
			keys = append(keys, s.key)
			envs = append(envs, s.env)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if err := secretfile.CheckPrivate(path, info); err != nil {
		return fmt.Errorf("config %s holds secrets (%s) but %w, or move them to the environment (%s)",
			path, strings.Join(keys, ", "), err, strings.Join(envs, ", "))
	}
	return nil
}

// checkNotWritable refuses a configuration file that group or others may
// write, secrets or not: whoever can rewrite it can add an [[agents]] key
// with the supervisor role, or point the dashboard at another provider
// or relay (ssh's StrictModes refuses such an authorized_keys file for the
// same reason).
func checkNotWritable(path string, info fs.FileInfo) error {
	if perm := info.Mode().Perm(); perm&0o022 != 0 && runtime.GOOS != "windows" {
		return fmt.Errorf("config %s is writable by group or others (mode %04o): whoever can change it can add an agent or redirect the dashboard; run: chmod go-w %s",
			path, perm, path)
	}
	return nil
}

// quoted is a quoted fragment of a TOML parser's message: where it quotes
// what it found in the file.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// isSecretKey says whether key (as in "relay.token") holds a secret.
func isSecretKey(key string) bool {
	for _, s := range (Config{}).secrets() {
		if s.key == key {
			return true
		}
	}
	return false
}

// hideSecret drops what msg quotes from the file when the parser stopped
// in the value of a secret key: an unquoted token would otherwise be
// printed whole ("expected value but found "abc…" instead").
func hideSecret(key, msg string) string {
	if !isSecretKey(key) {
		return msg
	}
	return fmt.Sprintf("(%s, not shown: a secret): %s", key, quoted.ReplaceAllString(msg, `"…"`))
}
