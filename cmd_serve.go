package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/config"
	"github.com/carddesk/carddesk/tui/demodir"
	"github.com/carddesk/carddesk/tui/sshserve"
	"github.com/carddesk/carddesk/tui/stack"
)

type serveFlags struct {
	addr  string
	demo  bool
	stack stack.Config // with --demo
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the dashboard to the configured agents over SSH",
		Long: `Serve the dashboard over SSH: each agent connects with ssh and one of the
public keys the configuration lists for them ([[agents]]), and gets their
own dashboard with their role's actions. One API client, cache and relay
subscription serve every session.

With --demo, the sandbox issuer, its simulator and the relay run in this
process too, and a demo supervisor key is generated; the command prints
how to connect. The key and the demo's state live in a directory of its own
under the system's temporary directory, removed on exit; if the process is
killed before it can remove it, the next demo removes it at start.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.demo {
				return runServeDemo(cmd.Context(), f, cmd.OutOrStdout())
			}
			return runServe(cmd.Context(), configFlag(cmd), f.addr, cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "", "address to listen on (default serve.listen, 127.0.0.1:2222; with --demo, a free loopback port)")
	fl.BoolVar(&f.demo, "demo", false, "run the sandbox issuer, simulator and relay in-process with a generated demo key")
	fl.StringVar(&f.stack.Provider, "provider", "vaultspay", "with --demo: provider dialect to speak, vaultspay or vydapay")
	fl.Float64Var(&f.stack.Rate, "rate", 25, "with --demo: simulated authorisations per second")
	fl.IntVar(&f.stack.RateLimit, "rate-limit", 0, "with --demo: "+rateLimitUsage)
	fl.Int64Var(&f.stack.Seed, "seed", 1, "with --demo: seed for the sandbox's book and simulator")
	fl.BoolVar(&f.stack.Drift, "drift", false, "with --demo: "+driftHelp)
	return cmd
}

// runServe serves the configured provider, relay and agents.
func runServe(ctx context.Context, configPath, addr string, out io.Writer) error {
	cfg, err := config.Load(configPath, os.Getenv)
	if err != nil {
		return err
	}
	agents, err := cfg.SSHAgents()
	if err != nil {
		return err
	}
	if len(agents) == 0 {
		return errors.New(`serve: no agents configured: add an [[agents]] block to the config with name, role and keys, e.g.
  [[agents]]
  name = "amira"
  role = "agent"
  keys = ["ssh-ed25519 AAAA... amira@laptop"]
(see config.toml.example), or try ` + "`carddesk serve --demo`")
	}
	client, monitor, err := cfg.Clients()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hostKey, err := sshserve.LoadOrCreateHostKey(cfg.HostKeyPath())
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	keys, err := cfg.KeyMap()
	if err != nil {
		return err
	}
	if addr == "" {
		addr = cfg.Serve.Listen
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	logger := newLogger(os.Stderr, slog.LevelInfo)
	audit, err := backend.OpenAuditLog(filepath.Join(cfg.StateDir, "audit.log"))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer audit.Close()
	feed, err := relayFeed(ctx, cfg)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	b := backend.New(backend.Config{Client: client, Monitor: monitor, Relay: feed, Logger: logger, Audit: audit})
	sc := sshserve.Config{
		Backend: b, Agents: agents, HostKeyPEM: hostKey, Keys: keys, Logger: logger,
		IdleTimeout:               cfg.Serve.IdleTimeout.Duration,
		MaxSessionsPerAgent:       cfg.Serve.MaxSessionsPerAgent,
		ConnRate:                  cfg.Serve.ConnectionsPerSecond,
		ConnBurst:                 cfg.Serve.ConnectionBurst,
		HandshakeTimeout:          cfg.Serve.HandshakeTimeout.Duration,
		MaxUnauthenticated:        cfg.Serve.MaxUnauthenticated,
		MaxUnauthenticatedPerAddr: cfg.Serve.MaxUnauthenticatedPerAddress,
		NoDashboardTimeout:        cfg.Serve.NoDashboardTimeout.Duration,
	}
	return serveSSH(ctx, sc, addr, func(ln net.Listener) {
		fmt.Fprintf(out, "carddesk serve: listening on %s for %d agent(s)\n", ln.Addr(), len(agents))
	})
}

// serveSSH serves sc on addr with its backend beside it until ctx is done.
func serveSSH(ctx context.Context, sc sshserve.Config, addr string, ready func(net.Listener)) error {
	if err := sshserve.ListenAndServe(ctx, sc, addr, ready); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// sshPort is the port of a listener's address, for the connect hint.
func sshPort(ln net.Listener) string {
	a := ln.Addr().String()
	return a[strings.LastIndex(a, ":")+1:]
}

// demoAgent is the name of the agent --demo generates a key for.
const demoAgent = "demo"

// runServeDemo serves the dashboard over SSH against an in-process
// sandbox, simulator and relay, to one generated supervisor key.
func runServeDemo(ctx context.Context, f serveFlags, out io.Writer) error {
	if err := f.stack.Validate(); err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	state, removed, err := demodir.Open("")
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	defer state.Close()
	dir := state.Path()
	cfg := f.stack
	cfg.Dir = dir
	logger := newLogger(os.Stderr, slog.LevelWarn)
	cfg.Logger = logger
	for _, r := range removed {
		fmt.Fprintf(out, "Removed %s, left by a demo that was killed.\n", r)
	}
	keyPath, pub, err := demodir.WriteAgentKey(dir)
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	hostKey, err := sshserve.LoadOrCreateHostKey(filepath.Join(dir, "ssh_host_ed25519_key"))
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}

	err = stack.With(ctx, cfg, func(ctx context.Context, r *stack.Running) error {
		b := r.Backend
		addr := f.addr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		sc := sshserve.Config{
			Backend: b, HostKeyPEM: hostKey, Logger: logger,
			Agents: []sshserve.Agent{{Name: demoAgent, Role: backend.RoleSupervisor, Keys: []gossh.PublicKey{pub}}},
		}
		return serveSSH(ctx, sc, addr, func(ln net.Listener) {
			fmt.Fprintf(out, "carddesk serve --demo: sandbox %s, relay and SSH server running.\n", cfg.Provider)
			fmt.Fprintf(out, "Connect as the demo supervisor with:\n\n  ssh -p %s -i %s localhost\n\n", sshPort(ln), keyPath)
			fmt.Fprintln(out, "The key and all demo state are removed when this stops (ctrl+c);")
			fmt.Fprintln(out, "if it is killed instead, the next demo removes them at start.")
		})
	})
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	return nil
}
