package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/config"
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
	return runDashboard(ctx, b, localActor(backend.RoleSupervisor), keys)
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

// localActor is the person at this terminal.
func localActor(role backend.Role) backend.Actor {
	agent := os.Getenv("USER")
	if u, err := user.Current(); agent == "" && err == nil {
		agent = u.Username
	}
	if agent == "" {
		agent = "demo"
	}
	return backend.Actor{Agent: agent, Session: "local", Role: role}
}

// runDashboard runs the backend and one Bubble Tea program over it until
// the agent quits or ctx is done; the backend stops with the program.
func runDashboard(ctx context.Context, b *backend.Backend, actor backend.Actor, keys *tui.KeyMap, opts ...tea.ProgramOption) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	backendDone := make(chan error, 1)
	go func() { backendDone <- b.Run(ctx) }()

	out := tui.NewOutput(os.Stdout)
	m := tui.New(tui.Options{
		Output:  out,
		Backend: b,
		Actor:   actor,
		Keys:    keys,
		NoColor: os.Getenv("NO_COLOR") != "",
		Screens: tui.LiveScreens,
		Context: ctx,
	})
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithOutput(out)}, opts...)...)
	// A signal (ctx done) quits the program as q does, rather than killing
	// it through tea.WithContext: a killed program closes its terminal
	// input while its read loop may still be using it (a data race inside
	// Bubble Tea's cancel reader, seen under load), where a quit waits for
	// the loop to end first.
	stopQuit := context.AfterFunc(ctx, p.Quit)
	defer stopQuit()
	_, err := p.Run()
	out.Forget()
	cancel()
	if berr := <-backendDone; berr != nil && !errors.Is(berr, context.Canceled) && err == nil {
		err = fmt.Errorf("backend: %w", berr)
	}
	if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, tea.ErrInterrupted) {
		return nil // a signal or ctrl+c ended it: not a failure
	}
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
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
