package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

const (
	vp = vaultspay.Provider
	vy = vydapay.Provider
)

// fixedNow is the clock of the tests that need one.
func fixedNow() time.Time { return time.Date(2026, 4, 24, 14, 52, 3, 0, time.UTC) }

func newTestServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.RateLimit == 0 {
		cfg.RateLimit = -1
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// serve starts a real HTTP server over the sandbox.
func serve(t testing.TB, s *Server) string {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(func() {
		if n := s.panics.Load(); n != 0 {
			t.Errorf("handlers panicked %d time(s)", n)
		}
	})
	return ts.URL
}

// reply is one HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// vpErr and vyErr decode an error body, checking its shape.
func (r reply) vpErr(t testing.TB) vaultspay.ErrorDetail {
	t.Helper()
	var b vaultspay.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("not a VaultsPay error body: %s (%v)", r.body, err)
	}
	if b.Error.RequestID == "" || b.Error.RequestID != r.header.Get("X-Request-Id") {
		t.Errorf("request_id %q, X-Request-Id %q", b.Error.RequestID, r.header.Get("X-Request-Id"))
	}
	return b.Error
}

func (r reply) vyErr(t testing.TB) vydapay.ErrorDetail {
	t.Helper()
	var b vydapay.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("not a Vydapay error body: %s (%v)", r.body, err)
	}
	if b.Error.DocURL != vydapay.DocURLBase+b.Error.Code {
		t.Errorf("doc_url %q for code %q", b.Error.DocURL, b.Error.Code)
	}
	return b.Error
}

type client struct {
	t    testing.TB
	base string
	key  string
	// serverErrors lets a test expect 5xx answers.
	serverErrors bool
}

func (c client) with(key string) client { c.key = key; return c }

// do sends a request; body is JSON-encoded unless it is a string or nil.
// headers are name, value pairs.
func (c client) do(method, path string, body any, headers ...string) reply {
	c.t.Helper()
	var rdr io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rdr = bytes.NewBufferString(b)
	case []byte:
		rdr = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rdr = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rdr)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if rdr != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if resp.StatusCode >= 500 && !c.serverErrors {
		c.t.Errorf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		c.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		c.t.Errorf("%s %s: no X-Request-Id", method, path)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: raw}
}

func clients(t testing.TB, s *Server) (vpc, vyc client) {
	base := serve(t, s)
	cfg := s.Config()
	return client{t: t, base: base + "/vaultspay/v1", key: cfg.VaultsPayKey}, client{t: t, base: base + "/vydapay/v1", key: cfg.VydapayKey}
}

// testCard issues a fresh card on the provider's book, adjusted by mutate,
// with a funded account (VaultsPay) behind it.
func testCard(t testing.TB, s *Server, provider string, mutate func(*card)) *card {
	t.Helper()
	iss, _ := s.issuer(provider)
	var c *card
	_ = s.locked(iss, func() error {
		var u *user
		for _, cand := range iss.users.order {
			if cand.kyc == "verified" && cand.addr != nil && !cand.deleted {
				u = cand
				break
			}
		}
		if u == nil {
			t.Fatal("no verified user in the book")
		}
		accountID, cur := "", "GBP"
		if iss.vaultspay() {
			now := iss.now()
			a := &account{id: iss.newID("acc_", iss.accountTaken), userID: u.id, currency: "GBP", status: "active",
				available: 1_000_000, iban: iban(iss.rng), created: now, updated: now}
			iss.accounts.add(a)
			accountID = a.id
		}
		c = iss.issueCard(u, accountID, cur, api.CardVirtual, "mastercard", cardSettings{})
		if mutate != nil {
			mutate(c)
		}
		return nil
	})
	return c
}

func merchant(t testing.TB, id string) Merchant {
	t.Helper()
	for _, m := range Merchants() {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("no merchant %s", id)
	return Merchant{}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }
