package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/config"
	"github.com/carddesk/carddesk/tui/console"
)

// runLocalTUI is `carddesk` with no subcommand: the dashboard in this
// terminal, against the provider and relay named in the configuration.
// Whoever runs it holds the API key, so they act as a supervisor.
func runLocalTUI(ctx context.Context, configPath string) error {
	cfg, err := config.Load(configPath, os.Getenv)
	if err != nil {
		return err
	}
	client, monitor, err := cfg.Clients()
	if err != nil {
		return err
	}
	keys, err := cfg.KeyMap()
	if err != nil {
		return err
	}
	// The local agent's actions are audited like an SSH agent's.
	audit, err := backend.OpenAuditLog(filepath.Join(cfg.StateDir, "audit.log"))
	if err != nil {
		return err
	}
	defer audit.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed, err := relayFeed(ctx, cfg)
	if err != nil {
		return err
	}
	b := backend.New(backend.Config{Client: client, Monitor: monitor, Relay: feed, Logger: slog.New(slog.DiscardHandler), Audit: audit})
	return console.Run(ctx, b, console.Actor(backend.RoleSupervisor), keys)
}

// relayFeed subscribes to the configured relay until ctx is done, or is
// nil (no live feed) when there is no relay URL or no token.
func relayFeed(ctx context.Context, cfg config.Config) (backend.RelayFeed, error) {
	if cfg.Relay.URL == "" {
		return nil, nil
	}
	token, err := cfg.RelayToken()
	if err != nil || token == "" {
		return nil, err
	}
	return live.Subscribe(ctx, live.SubscribeConfig{URL: cfg.Relay.URL, Token: token}), nil
}

// configFlag is the root's persistent --config flag as cmd sees it, or ""
// when cmd runs without the root (a test of one command).
func configFlag(cmd *cobra.Command) string {
	if fl := cmd.Flag("config"); fl != nil {
		return fl.Value.String()
	}
	return ""
}

// addTUIRoot makes the root command run the local dashboard when no
// subcommand is given, with a --config flag every command can see.
func addTUIRoot(root *cobra.Command) {
	var configPath string
	root.PersistentFlags().StringVar(&configPath, "config", "", "configuration file (default $XDG_CONFIG_HOME/carddesk/config.toml, if present)")
	root.Args = cobra.NoArgs
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		return runLocalTUI(cmd.Context(), configPath)
	}
}
