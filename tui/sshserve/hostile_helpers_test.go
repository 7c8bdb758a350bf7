package sshserve

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
	"github.com/carddesk/carddesk/tui/backend"
)

// relayEnv is the SSH server over a backend fed by a real relay (SQLite
// file, hub, websocket stream) that the test POSTs signed VaultsPay
// webhooks to, with one supervisor key.
type relayEnv struct {
	t        *testing.T
	addr     string
	hostPub  gossh.PublicKey
	signer   gossh.Signer
	client   api.Client
	relayURL string
	secret   string
	pans     []string
}

const relayEnvToken = "ssh-hostile-token-0123456789"

func newRelayEnv(t *testing.T) *relayEnv {
	t.Helper()
	e := &relayEnv{t: t, secret: vaultspay.NewSecret(), signer: newSigner(t)}
	sb, err := sandbox.New(sandbox.Config{Seed: 9, RateLimit: -1})
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	apiSrv := httptest.NewServer(sb.Handler())
	t.Cleanup(apiSrv.Close)
	e.client, err = vaultspay.New(vaultspay.Config{BaseURL: apiSrv.URL + "/vaultspay/v1", Key: sb.Config().VaultsPayKey,
		Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}

	hub := live.NewHub()
	store, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "relay.db"), sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := vaultspay.NewVerifier(e.secret)
	if err != nil {
		t.Fatal(err)
	}
	relay, err := live.NewRelay(live.RelayConfig{Store: store, Hub: hub, Token: relayEnvToken,
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: verifier}})
	if err != nil {
		t.Fatal(err)
	}
	relaySrv := httptest.NewServer(relay.Handler())
	e.relayURL = relaySrv.URL

	ctx, cancel := context.WithCancel(context.Background())
	sub := live.Subscribe(ctx, live.SubscribeConfig{URL: "ws" + strings.TrimPrefix(relaySrv.URL, "http") + "/v1/stream", Token: relayEnvToken})
	be := backend.New(backend.Config{Client: e.client, Relay: sub})

	hostPEM, err := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host_key"))
	if err != nil {
		t.Fatal(err)
	}
	hostSigner, err := gossh.ParsePrivateKey(hostPEM)
	if err != nil {
		t.Fatal(err)
	}
	e.hostPub = hostSigner.PublicKey()
	srv, err := New(Config{Backend: be, HostKeyPEM: hostPEM, ConnRate: 100, ConnBurst: 100,
		Agents: []Agent{{Name: "alice", Role: backend.RoleSupervisor, Keys: []gossh.PublicKey{e.signer.PublicKey()}}}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = be.Run(ctx) }()
	go func() { defer wg.Done(); _ = srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		relaySrv.Close()
		shut, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		if err := relay.Shutdown(shut); err != nil {
			t.Errorf("relay shutdown: %v", err)
		}
	})
	return e
}

// connect opens an SSH connection as the supervisor.
func (e *relayEnv) connect() *gossh.Client {
	e.t.Helper()
	cl, err := gossh.Dial("tcp", e.addr, &gossh.ClientConfig{User: "support", Auth: []gossh.AuthMethod{gossh.PublicKeys(e.signer)},
		HostKeyCallback: gossh.FixedHostKey(e.hostPub), Timeout: waitLimit})
	if err != nil {
		e.t.Fatalf("dial: %v", err)
	}
	e.t.Cleanup(func() { cl.Close() })
	return cl
}

// plant is a fresh card number to hide in a field.
func (e *relayEnv) plant() string {
	pan := safetexttest.PAN(len(e.pans) + 70)
	e.pans = append(e.pans, pan)
	return pan
}

// postDecline delivers a signed transaction.declined on card c whose
// merchant and place carry every hostile sequence and a card number.
func (e *relayEnv) postDecline(c api.Card, i int) {
	e.t.Helper()
	W := safetexttest.Wrap
	now := time.Now().UTC().Format(time.RFC3339)
	data, err := json.Marshal(map[string]any{
		"id": W("txn_ssh") + " " + e.plant(), "object": "transaction", "account_id": c.AccountID, "card_id": c.ID,
		"user_id": c.UserID, "amount": 1999, "currency": c.Currency, "status": "declined", "type": "purchase",
		"merchant": map[string]any{"id": W("mer"), "name": W("CARREFOURX") + " " + e.plant(), "category": W("grocery"),
			"mcc": "5411", "city": W("DUBAIX") + " " + e.plant(), "country": W("AE")},
		"decline":    map[string]any{"code": vaultspay.DeclineFraudSuspected, "message": W("fraud") + " " + e.plant()},
		"created_at": now,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	// The event id is a column of the relay's store, which refuses one
	// with escapes; it carries a card number instead.
	body, err := json.Marshal(map[string]any{"id": "evt_ssh_" + strings.ReplaceAll(e.plant(), " ", ""), "type": vaultspay.EventTxDeclined,
		"timestamp": now, "api_version": vaultspay.APIVersion, "data": json.RawMessage(data)})
	if err != nil {
		e.t.Fatal(err)
	}
	h, err := vaultspay.Sign([]string{e.secret}, "msg_\u202e"+strings.ReplaceAll(e.plant(), " ", "-"), time.Now(), body)
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, e.relayURL+"/webhooks/vaultspay", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("post webhook %d: %v", i, err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		e.t.Fatalf("the relay answered webhook %d %s", i, resp.Status)
	}
}

// raw is everything the server sent on the session so far.
func (o *output) raw() []byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	return bytes.Clone(o.buf.Bytes())
}
