package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api/sandbox"
)

type sandboxFlags struct {
	addr        string
	allowRemote bool
	cfg         sandbox.Config
}

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
and to every endpoint registered through VaultsPay's webhook-endpoints API.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd.Context(), cmd.OutOrStdout(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8780", "address to listen on (loopback unless --allow-remote)")
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fl.Int64Var(&f.cfg.Seed, "seed", 1, "seed for the book and the simulator")
	fl.Float64Var(&f.cfg.Rate, "rate", 5, "simulated authorisations per second per provider (0 to stop)")
	fl.IntVar(&f.cfg.RateLimit, "rate-limit", 0, "API requests per minute per key (0: 1000; negative: unlimited)")
	fl.StringVar(&f.cfg.VaultsPayKey, "vaultspay-key", "", "VaultsPay API key to accept (default: generated vp_test_ key)")
	fl.StringVar(&f.cfg.VydapayKey, "vydapay-key", "", "Vydapay secret key to accept (default: generated sk_test_ key)")
	fl.StringVar(&f.cfg.VaultsPayWebhookSecret, "vaultspay-webhook-secret", "", "whsec_ secret signing VaultsPay webhooks to --vaultspay-webhook-url (default: generated)")
	fl.StringVar(&f.cfg.VydapayWebhookSecret, "vydapay-webhook-secret", "", "secret signing Vydapay webhooks (default: generated)")
	fl.StringArrayVar(&f.cfg.VaultsPayWebhookURLs, "vaultspay-webhook-url", nil, "deliver VaultsPay webhooks here (repeatable)")
	fl.StringArrayVar(&f.cfg.VydapayWebhookURLs, "vydapay-webhook-url", nil, "deliver Vydapay webhooks here (repeatable)")
	return cmd
}

func runSandbox(ctx context.Context, out io.Writer, f sandboxFlags) error {
	if err := checkListenAddr(f.addr, f.allowRemote); err != nil {
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
	f.cfg.Logger = newLogger(os.Stderr, slog.LevelInfo)
	sb, err := sandbox.New(f.cfg)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen: %w", err)
	}
	printSandboxBanner(out, "http://"+ln.Addr().String(), sb.Config())

	srv := &http.Server{Handler: sb.Handler(), ReadHeaderTimeout: 10 * time.Second}
	return serveWhileRunning(ctx, "sandbox", srv, ln, sb.Run, 5*time.Second, nil, nil)
}

func printSandboxBanner(out io.Writer, base string, cfg sandbox.Config) {
	urls := func(us []string) string {
		if len(us) == 0 {
			return "(none; register endpoints through the API)"
		}
		return strings.Join(us, ", ")
	}
	fmt.Fprintf(out, "carddesk sandbox on %s (seed %d, %.4g authorisations/s per provider)\n\n", base, cfg.Seed, cfg.Rate)
	fmt.Fprintf(out, "VaultsPay\n  base URL        %s/vaultspay/v1\n  key             %s\n  read-only key   %s\n  webhook secret  %s\n  webhooks to     %s\n\n",
		base, cfg.VaultsPayKey, cfg.VaultsPayReadOnlyKey, cfg.VaultsPayWebhookSecret, urls(cfg.VaultsPayWebhookURLs))
	fmt.Fprintf(out, "Vydapay\n  base URL        %s/vydapay/v1\n  secret key      %s\n  publishable key %s\n  webhook secret  %s\n  webhooks to     %s\n\n",
		base, cfg.VydapayKey, cfg.VydapayPublishableKey, cfg.VydapayWebhookSecret, urls(cfg.VydapayWebhookURLs))
	fmt.Fprintf(out, "Try: curl -H 'Authorization: Bearer %s' '%s/vydapay/v1/cards?limit=3'\n", cfg.VydapayKey, base)
}
