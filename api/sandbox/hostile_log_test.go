package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/safetext/safetexttest"
)

// signalHandler writes records as JSON lines and closes seen when a record
// with message msg arrives.
type signalHandler struct {
	slog.Handler
	msg  string
	once *sync.Once
	seen chan struct{}
}

func (h signalHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Message == h.msg {
		h.once.Do(func() { close(h.seen) })
	}
	return err
}

func (h signalHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h.Handler = h.Handler.WithAttrs(as)
	return h
}

func (h signalHandler) WithGroup(name string) slog.Handler {
	h.Handler = h.Handler.WithGroup(name)
	return h
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestHostileLogMasked: what the sandbox logs from outside — a failed
// delivery to a URL holding a card number and a bidi control, a request
// path full of escapes — reaches its log masked and clean, even when the
// handler it was given is a plain one.
func TestHostileLogMasked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() { // a receiver that hangs up on every delivery
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	pan := safetexttest.PANDashed(41)
	url := fmt.Sprintf("http://%s/hook?card=%s&note=%%E2%%80%%AEdetsop", ln.Addr(), pan)

	buf := &lockedBuffer{}
	seen := make(chan struct{})
	h := signalHandler{Handler: slog.NewJSONHandler(buf, nil), msg: "webhook delivery failed", once: &sync.Once{}, seen: seen}
	s := newTestServer(t, Config{Seed: 3, VaultsPayWebhookURLs: []string{url}, DeliveryBackoff: time.Millisecond, Logger: slog.New(h)})
	vpc, _ := clients(t, s)
	running(t, s)

	id := someActiveCard(t, vpc, "/cards")
	if r := vpc.do("POST", "/cards/"+id+"/freeze", nil); r.status != 200 {
		t.Fatalf("freeze: %d %s", r.status, r.body)
	}
	select {
	case <-seen:
	case <-time.After(30 * time.Second):
		t.Fatalf("no failed delivery logged; the log:\n%s", buf.String())
	}
	// What the panic handler logs, a request path (decoded, so %1b is an
	// ESC), goes through the same logger.
	s.log.Error("sandbox: handler panicked", "method", "GET",
		"path", "/vaultspay/v1/cards/"+safetexttest.Wrap("card")+"/"+pan, "panic", "runtime error "+safetexttest.Inject())

	logged := decodeLog(t, buf.String())
	for _, p := range append(safetexttest.Plain(logged), safetexttest.CardNumbers(logged, []string{pan})...) {
		t.Errorf("the sandbox log: %s:\n%s", p, logged)
	}
	// The failed delivery says why, not where (the delivery record has the
	// URL), and the panic's path is there, masked.
	for _, want := range []string{"attempts=8", "path=/vaultspay/v1/cards/card/•••• " + safetexttest.LastFour(pan)} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log does not say %q:\n%s", want, logged)
		}
	}
}

// decodeLog is every field of every JSON log line, decoded, one a line.
func decodeLog(t *testing.T, s string) string {
	t.Helper()
	var text strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		for k, v := range m {
			fmt.Fprintf(&text, "%s=%v\n", k, v)
		}
	}
	return text.String()
}
