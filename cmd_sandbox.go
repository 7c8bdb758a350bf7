package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/api/httpserve"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/tui/config"
	"github.com/carddesk/carddesk/tui/stack"
)

type sandboxFlags struct {
	addr        string
	allowRemote bool
	faults      string
	cfg         sandbox.Config
	// given are the keys and secrets the operator supplied: the banner
	// shows the ones the sandbox generated, never these.
	given map[string]bool
}

// faultsHelp documents --faults for sandbox and demo.
const faultsHelp = `--faults puts a fault-injecting front before the sandbox, so that a client
(or the dashboard) can be watched coping with a misbehaving provider. It takes
a comma-separated list of kind=when[:option...], decided per request from a
schedule seeded by --seed:

  latency=300ms      add 300ms to every request (latency=0.5:2s: half, 2s)
  timeout=0.02       hold 2% of requests until the client gives up
                     (default hold 30s, then 504; timeout=0.02:15s)
  429=0.2            answer 20% with 429, Retry-After 1s and X-RateLimit-*
                     headers (429=0.2:5s asks for 5s)
  5xx=0.1            answer 10% with 500, 502 or 503 in the provider's error
                     shape (500=, 502=, 503= pin the status)
  reset=0.05         reset the connection of 5% (RST: the client sees ECONNRESET)
  truncate=0.05      cut 5% of answers in the middle of their JSON

A rate is a share (0.05) or a percentage (5%); a count (3x) is the first three
matching requests. Options narrow a fault to a method (POST), a path below the
API root (/cards/*/freeze) or a provider (vaultspay, vydapay); "after" lets the
sandbox act before a reset, 5xx or timeout, so that the change is made and its
answer lost. Latency adds to any other fault; of the others, the first listed
that fires takes the request, and the ones after it never see it. For example:

  --faults "latency=300ms,429=0.2,5xx=0.1,reset=0.05,truncate=0.05,timeout=0.02"
  --faults "reset=2x:POST:/cards/*/freeze:after"`

func newSandboxCmd() *cobra.Command {
	var f sandboxFlags
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve the sandbox issuer (VaultsPay and Vydapay APIs) on loopback",
		Long: `Serve a faithful in-memory card issuer speaking both providers' APIs:
VaultsPay under /vaultspay/v1 and Vydapay under /vydapay/v1. It seeds a
deterministic book of users, accounts, cards and transactions, simulates card
traffic at --rate authorisations per second (per provider) with real decline
reasons, and delivers every event as a signed webhook to each --*-webhook-url
and to every endpoint registered through VaultsPay's webhook-endpoints API.

Keys and webhook secrets given as flags are visible to every local user (ps):
give them in files readable by you only (--vaultspay-key-file and the like).
The banner shows the keys and secrets the sandbox generated, not those given.

` + faultsHelp,
		Args: cobra.NoArgs,
	}
	secrets := sandboxSecrets(&f.cfg)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		given, err := applySecrets(cmd.Flags(), secrets)
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		f.given = given
		return runSandbox(cmd.Context(), cmd.OutOrStdout(), f)
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8780", "address to listen on (loopback unless --allow-remote)")
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fl.Int64Var(&f.cfg.Seed, "seed", 1, "seed for the book and the simulator")
	fl.Float64Var(&f.cfg.Rate, "rate", 5, "simulated authorisations per second per provider (0 to stop)")
	fl.IntVar(&f.cfg.RateLimit, "rate-limit", 0, "API requests per minute per key, on both APIs (0: 100, Vydapay's test-mode limit; negative: unlimited)")
	for _, s := range secrets {
		s.flag.Bind(fl)
	}
	fl.StringArrayVar(&f.cfg.VaultsPayWebhookURLs, "vaultspay-webhook-url", nil, "deliver VaultsPay webhooks here (repeatable)")
	fl.StringArrayVar(&f.cfg.VydapayWebhookURLs, "vydapay-webhook-url", nil, "deliver Vydapay webhooks here (repeatable)")
	fl.StringVar(&f.faults, "faults", "", `inject provider faults, e.g. "latency=300ms,429=0.2,5xx=0.1,reset=0.05" (see above)`)
	fl.BoolVar(&f.cfg.Drift, "drift", false, driftHelp)
	return cmd
}

// driftHelp documents --drift for sandbox and demo.
const driftHelp = "serve and deliver what the references lack, as a provider that moved on would: " +
	"unknown states, types, decline codes and event types, extra fields, optional fields left out (chosen by --seed)"

func runSandbox(ctx context.Context, out io.Writer, f sandboxFlags) error {
	if err := httpserve.CheckListenAddr(f.addr, f.allowRemote); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	if f.cfg.Rate < 0 {
		return fmt.Errorf("sandbox: --rate %v: must be zero or more", f.cfg.Rate)
	}
	for _, u := range append(append([]string{}, f.cfg.VaultsPayWebhookURLs...), f.cfg.VydapayWebhookURLs...) {
		if err := checkWebhookURL(u); err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
	}
	rules, err := faults.Parse(f.faults)
	if err != nil {
		return fmt.Errorf("sandbox: --faults: %w", err)
	}
	f.cfg.Logger = newLogger(os.Stderr, slog.LevelInfo)
	sb, err := sandbox.New(f.cfg)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	handler, stopFaults, err := stack.WithFaults(sb.Handler(), rules, sb.Config(), f.cfg.Logger)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen: %w", err)
	}
	printSandboxBanner(out, "http://"+ln.Addr().String(), sb.Config(), f.given)
	if len(rules) > 0 {
		fmt.Fprintf(out, "Injecting faults (seed %d): %s\n", f.cfg.Seed, faults.Format(rules))
	}

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	return httpserve.Run(ctx, "sandbox", srv, ln, sb.Run, 5*time.Second, stopFaults, nil)
}

// printSandboxBanner says where the sandbox serves and with which keys:
// those it generated, so that a client can use them, but not those given
// (their owner has them, and stdout may be a shared log).
func printSandboxBanner(out io.Writer, base string, cfg sandbox.Config, given map[string]bool) {
	urls := func(us []string) string {
		if len(us) == 0 {
			return "(none; register endpoints through the API)"
		}
		return strings.Join(us, ", ")
	}
	show := func(secret string) string {
		if given[secret] {
			return "(as given, not shown)"
		}
		return secret
	}
	limit := "no rate limit"
	if cfg.RateLimit > 0 {
		limit = fmt.Sprintf("%d requests/minute per key", cfg.RateLimit)
	}
	fmt.Fprintf(out, "carddesk sandbox on %s (seed %d, %.4g authorisations/s per provider, %s)\n\n", base, cfg.Seed, cfg.Rate, limit)
	fmt.Fprintf(out, "VaultsPay\n  base URL        %s/vaultspay/v1\n  key             %s\n  read-only key   %s\n  webhook secret  %s\n  webhooks to     %s\n\n",
		base, show(cfg.VaultsPayKey), cfg.VaultsPayReadOnlyKey, show(cfg.VaultsPayWebhookSecret), urls(cfg.VaultsPayWebhookURLs))
	fmt.Fprintf(out, "Vydapay\n  base URL        %s/vydapay/v1\n  secret key      %s\n  publishable key %s\n  webhook secret  %s\n  webhooks to     %s\n\n",
		base, show(cfg.VydapayKey), cfg.VydapayPublishableKey, show(cfg.VydapayWebhookSecret), urls(cfg.VydapayWebhookURLs))
	key := cfg.VydapayKey
	if given[key] {
		key = "$VYDAPAY_KEY"
	}
	fmt.Fprintf(out, "Try: curl -H \"Authorization: Bearer %s\" '%s/vydapay/v1/cards?limit=3'\n", key, base)
}

// checkWebhookURL refuses anything but an absolute http(s) URL.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("webhook URL %q: want an absolute http:// or https:// URL", raw)
	}
	return nil
}

// sandboxSecret is a key or webhook secret the sandbox takes on its
// command line, and the field of its Config it sets.
type sandboxSecret struct {
	flag config.SecretFlag
	dst  *string
}

// sandboxSecrets are the sandbox's key and webhook secret flags, setting
// cfg's fields.
func sandboxSecrets(cfg *sandbox.Config) []*sandboxSecret {
	return []*sandboxSecret{
		{config.SecretFlag{Name: "vaultspay-key", Usage: "VaultsPay API key to accept (default: generated vp_test_ key)",
			FileUsage: "file holding the VaultsPay API key to accept"}, &cfg.VaultsPayKey},
		{config.SecretFlag{Name: "vydapay-key", Usage: "Vydapay secret key to accept (default: generated sk_test_ key)",
			FileUsage: "file holding the Vydapay secret key to accept"}, &cfg.VydapayKey},
		{config.SecretFlag{Name: "vaultspay-webhook-secret", Usage: "whsec_ secret signing VaultsPay webhooks (default: generated)",
			FileUsage: "file holding the whsec_ secret signing VaultsPay webhooks"}, &cfg.VaultsPayWebhookSecret},
		{config.SecretFlag{Name: "vydapay-webhook-secret", Usage: "secret signing Vydapay webhooks (default: generated)",
			FileUsage: "file holding the secret signing Vydapay webhooks"}, &cfg.VydapayWebhookSecret},
	}
}

// applySecrets sets each secret given on the command line, by flag or
// file, and returns their values.
func applySecrets(fl *pflag.FlagSet, secrets []*sandboxSecret) (map[string]bool, error) {
	given := map[string]bool{}
	for _, s := range secrets {
		v, ok, err := s.flag.Value(fl)
		if err != nil {
			return nil, err
		}
		if ok {
			*s.dst = v
			given[v] = true
		}
	}
	return given, nil
}
