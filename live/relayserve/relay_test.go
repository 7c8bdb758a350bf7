package relayserve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

func TestRunServesAndShutsDownGracefully(t *testing.T) {
	state := t.TempDir()
	secret := vydapay.NewSecret()
	s := Settings{
		Addr: "127.0.0.1:0", OpsAddr: "127.0.0.1:0", DB: filepath.Join(state, "relay.db"), TokenFile: filepath.Join(state, "relay.token"),
		VydapaySecrets: []string{secret},
	}
	// The banner is written whole, in one write: one read of the pipe has it.
	pr, pw := io.Pipe()
	printed := make(chan string, 1)
	go func() {
		buf := make([]byte, 64<<10)
		n, _ := pr.Read(buf)
		printed <- string(buf[:n])
		_, _ = io.Copy(io.Discard, pr)
	}()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, pw, slog.New(slog.DiscardHandler), s); pw.Close() }()

	var banner string
	select {
	case banner = <-printed:
	case err := <-done:
		t.Fatalf("relay stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("relay printed no address")
	}
	m := regexp.MustCompile(`(?s)carddesk relay on (http://\S+).*Metrics    http://`).FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("banner without the address and metrics:\n%s", banner)
	}
	base := m[1]
	token, err := os.ReadFile(s.TokenFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{base + "/webhooks/vydapay", "/v1/stream", s.TokenFile, base + "/healthz"} {
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
	store, err := sqlitestore.Open(context.Background(), s.DB, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	recs, err := store.After(context.Background(), 0, 10)
	if err != nil || len(recs) != 1 || recs[0].EventID != "evt_cmd_1" {
		t.Errorf("database after restart holds %d records (%v)", len(recs), err)
	}
}

func TestRunRefusesARemoteOpsListener(t *testing.T) {
	state := t.TempDir()
	s := Settings{
		Addr: "127.0.0.1:0", OpsAddr: "0.0.0.0:0", DB: filepath.Join(state, "relay.db"), TokenFile: filepath.Join(state, "relay.token"),
		VydapaySecrets: []string{vydapay.NewSecret()},
	}
	err := Run(context.Background(), io.Discard, slog.New(slog.DiscardHandler), s)
	if err == nil || !strings.Contains(err.Error(), "operations listener") || !strings.Contains(err.Error(), "--allow-remote") {
		t.Fatalf("err %v, want the operations listener refused as not loopback", err)
	}
}

// A relay whose database has damaged pages does not start: it says what
// the check found and what to do, rather than acknowledging webhooks into
// the file while every stream fails.
func TestRunRefusesADamagedDatabase(t *testing.T) {
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

	s := Settings{Addr: "127.0.0.1:0", DB: db, TokenFile: filepath.Join(state, "relay.token"), VydapaySecrets: []string{vydapay.NewSecret()}}
	err = Run(context.Background(), io.Discard, slog.New(slog.DiscardHandler), s)
	if err == nil || !strings.Contains(err.Error(), db+": database is damaged") || !strings.Contains(err.Error(), "restore it from a backup") {
		t.Fatalf("Run over a damaged database: %v", err)
	}
}
