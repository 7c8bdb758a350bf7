package tui

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/backend"
)

// TestFaultsErrorTextSaysWhatWentWrong: the words for a provider that
// rate limits, fails, never answers, drops the connection or sends what
// cannot be read, with how often the call was retried; outside strings
// (a request id) reach the screen stripped of escapes.
func TestFaultsErrorTextSaysWhatWentWrong(t *testing.T) {
	client, err := vaultspay.New(vaultspay.Config{BaseURL: "http://127.0.0.1:1/v1", Key: "vp_test_words"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := &Context{Backend: backend.New(backend.Config{Client: client})}
	wrap := func(err error) error { return fmt.Errorf("freeze card c1: %w", err) }
	rl := func(attempts int, wait time.Duration) error {
		return wrap(&api.Error{Provider: "vaultspay", Status: 429, Code: "rate_limited", Message: "Too many requests.",
			RequestID: "req_7", Attempts: attempts, RetryAfter: wait})
	}
	tests := []struct {
		name    string
		err     error
		want    string
		unknown bool // the action may have been done all the same
	}{
		{"429 retried", rl(4, time.Second), "VaultsPay is rate limiting us: Too many requests; retried 3 times (request req_7)", false},
		{"429 retried once", rl(2, 0), "VaultsPay is rate limiting us: Too many requests; retried once (request req_7)", false},
		{"429 asking past the cap", rl(1, time.Minute), "VaultsPay is rate limiting us and asks us to wait 1m0s: Too many requests; not retried (request req_7)", false},
		{"429 not retried, no wait given", rl(1, 0), "VaultsPay is rate limiting us: Too many requests (request req_7)", false},
		{"503 with a hostile request id", wrap(&api.Error{Status: 503, Message: "down", RequestID: "req_\x1b]52;c;ZXZpbA==\a9", Attempts: 4}),
			"VaultsPay had a server error (503 Service Unavailable): down; retried 3 times (request req_9)", true},
		{"no answer in time", wrap(&api.NoAnswerError{Provider: "vaultspay", Attempts: 4, Timeout: 10 * time.Second, Err: errors.New("POST /x: context deadline exceeded")}),
			"VaultsPay did not answer within 10s; retried 3 times", true},
		{"connection broke", wrap(&api.NoAnswerError{Provider: "vaultspay", Attempts: 1, Broken: true, Err: errors.New("POST /x: read: connection reset by peer")}),
			"The connection to VaultsPay broke before it answered", true},
		{"connection refused", wrap(&api.NoAnswerError{Provider: "vaultspay", Host: "127.0.0.1:1", Attempts: 4,
			Err: fmt.Errorf("POST /x: %w", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})}),
			"Can't reach 127.0.0.1:1: connection refused; retried 3 times", false},
		{"unreadable answer", wrap(&api.UnreadableError{Err: api.DescribeJSON(errors.New("unexpected end of JSON input"), 12)}),
			"VaultsPay sent a reply carddesk could not read; unexpected end of JSON input", true},
		{"state conflict", wrap(&api.Error{Status: 409, Code: "invalid_card_state", Message: "Card is frozen."}), "Card is frozen", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := actionErrorText(ctx, backend.ActionFreeze, tt.err)
			if got != tt.want || strings.ContainsAny(got, "\x1b\a") {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
			flash := outcome(ctx, actionDoneMsg{action: cardActions()[0], before: api.Card{LastFour: "4821"}, err: tt.err})
			lead := "Card " + masked("4821") + " not frozen: "
			if tt.unknown {
				lead = "Card " + masked("4821") + " not confirmed frozen: "
			}
			if got := withRequest(flash.Text, flash.RequestID); !flash.Error || got != lead+tt.want {
				t.Fatalf("flash %q, want %q", got, lead+tt.want)
			}
		})
	}
}
