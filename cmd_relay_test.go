package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
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
		check func(t *testing.T, s relaySettings)
		want  string // error substring
	}{
		{"config only", nil, nil, func(t *testing.T, s relaySettings) {
			if s.addr != "127.0.0.1:8781" || s.opsAddr != "127.0.0.1:8782" || s.db != filepath.Join(state, "relay.db") || s.tokenFile != filepath.Join(state, "relay.token") {
				t.Errorf("addr %q ops %q db %q token file %q", s.addr, s.opsAddr, s.db, s.tokenFile)
			}
			if len(s.vydapaySecrets) != 1 || len(s.vaultspaySecrets) != 0 || s.origins[0] != "https://ops.example" {
				t.Errorf("secrets %v %v origins %v", s.vaultspaySecrets, s.vydapaySecrets, s.origins)
			}
			if s.retention.MaxAge != 720*time.Hour || s.retention.MaxCount != 5_000_000 {
				t.Errorf("retention %+v", s.retention)
			}
		}, ""},
		{"flags win", []string{"--addr", "127.0.0.1:9999", "--db", "/var/lib/carddesk/relay.db", "--vydapay-webhook-secret", "a",
			"--vydapay-webhook-secret", "b", "--retention-count", "10", "--retention-age", "1h", "--token", "0123456789abcdef-token"}, nil,
			func(t *testing.T, s relaySettings) {
				if s.addr != "127.0.0.1:9999" || s.db != "/var/lib/carddesk/relay.db" || strings.Join(s.vydapaySecrets, ",") != "a,b" ||
					s.retention != (live.Retention{MaxAge: time.Hour, MaxCount: 10}) || s.token != "0123456789abcdef-token" {
					t.Errorf("%+v", s)
				}
			}, ""},
		{"state dir flag", []string{"--state-dir", filepath.Join(state, "other")}, nil, func(t *testing.T, s relaySettings) {
			if s.db != filepath.Join(state, "other", "relay.db") || s.tokenFile != filepath.Join(state, "other", "relay.token") {
				t.Errorf("db %q token %q", s.db, s.tokenFile)
			}
		}, ""},
		{"ops listener off by flag", []string{"--ops-addr", "off"}, nil, func(t *testing.T, s relaySettings) {
			if s.opsAddr != "" {
				t.Errorf("ops addr %q, want none", s.opsAddr)
			}
		}, ""},
		{"ops listener off in the config", nil, func(c *config.Config) { c.Relay.OpsListen = "off" }, func(t *testing.T, s relaySettings) {
			if s.opsAddr != "" {
				t.Errorf("ops addr %q, want none", s.opsAddr)
			}
		}, ""},
		{"ops listener moved in the config", nil, func(c *config.Config) { c.Relay.OpsListen = "127.0.0.1:9100" }, func(t *testing.T, s relaySettings) {
			if s.opsAddr != "127.0.0.1:9100" {
				t.Errorf("ops addr %q", s.opsAddr)
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

func TestRunRelayServesAndShutsDownGracefully(t *testing.T) {
	state := t.TempDir()
	secret := vydapay.NewSecret()
	s := relaySettings{
		addr: "127.0.0.1:0", opsAddr: "127.0.0.1:0", db: filepath.Join(state, "relay.db"), tokenFile: filepath.Join(state, "relay.token"),
		vydapaySecrets: []string{secret},
	}
	matched := make(chan string, 1)
	out := &signalBuffer{re: regexp.MustCompile(`(?s)carddesk relay on (http://\S+).*Metrics    http://`), match: matched}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() { done <- runRelay(ctx, out, io.Discard, s) }()

	var base string
	select {
	case base = <-matched:
	case err := <-done:
		t.Fatalf("relay stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("relay printed no address")
	}
	banner := out.String()
	token, err := os.ReadFile(s.tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{base + "/webhooks/vydapay", "/v1/stream", s.tokenFile, base + "/healthz"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	ops := regexp.MustCompile(`Health     (http://\S+)/healthz`).FindStringSubmatch(banner)
	if ops == nil || ops[1] == base {
		t.Fatalf("banner names no operations listener of its own:\n%s", banner)
	}
	// /healthz and /metrics: whole on the operations listener with no
	// token; on the main one the status alone, and no metrics.
	for _, c := range []struct {
		url, want string
		status    int
	}{
		{ops[1] + "/healthz", `"subscribers":0`, 200},
		{ops[1] + "/metrics", "carddesk_relay_subscribers", 200},
		{base + "/healthz", `{"status":"ok"}`, 200},
		{base + "/metrics", "missing bearer token", 401},
	} {
		resp, err := http.Get(c.url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(b), c.want) {
			t.Errorf("GET %s: %d %.100s, want %d with %q", c.url, resp.StatusCode, b, c.status, c.want)
		}
	}
	if strings.Contains(banner, strings.TrimSpace(string(token))) || strings.Contains(banner, "/webhooks/vaultspay") {
		t.Errorf("banner shows the token or an unconfigured provider:\n%s", banner)
	}

	body := []byte(`{"id":"evt_cmd_1","object":"event","type":"card.frozen","created_at":"2026-04-24T14:52:03Z",` +
		`"data":{"object":{"id":"card_1","object":"card","type":"virtual","status":"frozen","currency":"gbp","cardholder_id":"ich_1",` +
		`"last_four":"4242","exp_month":1,"exp_year":2030,"brand":"visa","spending_controls":{},"metadata":{},` +
		`"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}}`)
	req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/vydapay", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(vydapay.SignatureHeader, vydapay.Sign(secret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST: %s %s", resp.Status, answer)
	}

	stop()
	if err := <-done; err != nil {
		t.Fatalf("relay returned %v after a graceful stop", err)
	}
	store, err := sqlitestore.Open(context.Background(), s.db, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	recs, err := store.After(context.Background(), 0, 10)
	if err != nil || len(recs) != 1 || recs[0].EventID != "evt_cmd_1" {
		t.Errorf("database after restart holds %d records (%v)", len(recs), err)
	}
}

func TestRunRelayRefusesARemoteOpsListener(t *testing.T) {
	state := t.TempDir()
	s := relaySettings{
		addr: "127.0.0.1:0", opsAddr: "0.0.0.0:0", db: filepath.Join(state, "relay.db"), tokenFile: filepath.Join(state, "relay.token"),
		vydapaySecrets: []string{vydapay.NewSecret()},
	}
	err := runRelay(context.Background(), io.Discard, io.Discard, s)
	if err == nil || !strings.Contains(err.Error(), "operations listener") || !strings.Contains(err.Error(), "--allow-remote") {
		t.Fatalf("err %v, want the operations listener refused as not loopback", err)
	}
}

// A relay whose database has damaged pages does not start: it says what
// the check found and what to do, rather than acknowledging webhooks into
// the file while every stream fails.
func TestRunRelayRefusesADamagedDatabase(t *testing.T) {
	state := t.TempDir()
	db := filepath.Join(state, "relay.db")
	store, err := sqlitestore.Open(context.Background(), db, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]live.Record, 400)
	for i := range recs {
		recs[i] = live.Record{Provider: "vydapay", EventID: fmt.Sprintf("evt_%d", i), Type: "card.frozen",
			Event: []byte(`{"pad":"` + strings.Repeat("x", 1000) + `"}`)}
	}
	if _, err := store.Append(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.Stat()
	third := info.Size() / 4096 / 3
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5}, 2*4096), third*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s := relaySettings{addr: "127.0.0.1:0", db: db, tokenFile: filepath.Join(state, "relay.token"), vydapaySecrets: []string{vydapay.NewSecret()}}
	err = runRelay(context.Background(), io.Discard, io.Discard, s)
	if err == nil || !strings.Contains(err.Error(), db+": database is damaged") || !strings.Contains(err.Error(), "restore it from a backup") {
		t.Fatalf("runRelay over a damaged database: %v", err)
	}
}
