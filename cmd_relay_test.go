package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/relayserve"
	"github.com/carddesk/carddesk/tui/config"
)

func TestResolveRelayMergesFlagsOverConfig(t *testing.T) {
	state := t.TempDir()
	cfg := config.Default()
	cfg.StateDir = state
	cfg.Vydapay.WebhookSecrets = []string{"whsec_from_config"}
	cfg.Relay.AllowedOrigins = []string{"https://ops.example"}

	tests := []struct {
		name  string
		args  []string
		edit  func(*config.Config)
		check func(t *testing.T, s relayserve.Settings)
		want  string // error substring
	}{
		{"config only", nil, nil, func(t *testing.T, s relayserve.Settings) {
			if s.Addr != "127.0.0.1:8781" || s.OpsAddr != "127.0.0.1:8782" || s.DB != filepath.Join(state, "relay.db") || s.TokenFile != filepath.Join(state, "relay.token") {
				t.Errorf("addr %q ops %q db %q token file %q", s.Addr, s.OpsAddr, s.DB, s.TokenFile)
			}
			if len(s.VydapaySecrets) != 1 || len(s.VaultsPaySecrets) != 0 || s.Origins[0] != "https://ops.example" {
				t.Errorf("secrets %v %v origins %v", s.VaultsPaySecrets, s.VydapaySecrets, s.Origins)
			}
			if s.Retention.MaxAge != 720*time.Hour || s.Retention.MaxCount != 5_000_000 {
				t.Errorf("retention %+v", s.Retention)
			}
		}, ""},
		{"flags win", []string{"--addr", "127.0.0.1:9999", "--db", "/var/lib/carddesk/relay.db", "--vydapay-webhook-secret", "a",
			"--vydapay-webhook-secret", "b", "--retention-count", "10", "--retention-age", "1h", "--token", "0123456789abcdef-token"}, nil,
			func(t *testing.T, s relayserve.Settings) {
				if s.Addr != "127.0.0.1:9999" || s.DB != "/var/lib/carddesk/relay.db" || strings.Join(s.VydapaySecrets, ",") != "a,b" ||
					s.Retention != (live.Retention{MaxAge: time.Hour, MaxCount: 10}) || s.Token != "0123456789abcdef-token" {
					t.Errorf("%+v", s)
				}
			}, ""},
		{"state dir flag", []string{"--state-dir", filepath.Join(state, "other")}, nil, func(t *testing.T, s relayserve.Settings) {
			if s.DB != filepath.Join(state, "other", "relay.db") || s.TokenFile != filepath.Join(state, "other", "relay.token") {
				t.Errorf("db %q token %q", s.DB, s.TokenFile)
			}
		}, ""},
		{"ops listener off by flag", []string{"--ops-addr", "off"}, nil, func(t *testing.T, s relayserve.Settings) {
			if s.OpsAddr != "" {
				t.Errorf("ops addr %q, want none", s.OpsAddr)
			}
		}, ""},
		{"ops listener off in the config", nil, func(c *config.Config) { c.Relay.OpsListen = "off" }, func(t *testing.T, s relayserve.Settings) {
			if s.OpsAddr != "" {
				t.Errorf("ops addr %q, want none", s.OpsAddr)
			}
		}, ""},
		{"ops listener moved in the config", nil, func(c *config.Config) { c.Relay.OpsListen = "127.0.0.1:9100" }, func(t *testing.T, s relayserve.Settings) {
			if s.OpsAddr != "127.0.0.1:9100" {
				t.Errorf("ops addr %q", s.OpsAddr)
			}
		}, ""},
		{"no secret anywhere", nil, func(c *config.Config) { c.Vydapay.WebhookSecrets = nil }, nil, "no webhook secret"},
		{"short token", []string{"--token", "abc"}, nil, nil, "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f relayFlags
			fl := pflag.NewFlagSet("relay", pflag.ContinueOnError)
			bindRelayFlags(fl, &f)
			if err := fl.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			c := cfg
			if tt.edit != nil {
				tt.edit(&c)
			}
			s, err := resolveRelay(fl, f, c)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
}

// signalBuffer is an io.Writer that says when a line matching re arrived.
type signalBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	re      *regexp.Regexp
	match   chan string // receives the first submatch, once
	matched bool
}

func (b *signalBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, _ := b.buf.Write(p)
	if m := b.re.FindStringSubmatch(b.buf.String()); m != nil && !b.matched {
		b.matched = true
		b.match <- m[1] // buffered 1
	}
	return n, nil
}

func (b *signalBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
