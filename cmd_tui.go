package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui"
	"github.com/carddesk/carddesk/tui/backend"
)

// runLocalTUI is `carddesk` with no subcommand: the dashboard in this
// terminal, against the provider and relay named in the configuration.
// Whoever runs it holds the API key, so they act as a supervisor.
func runLocalTUI(ctx context.Context, configPath string) error {
	cfg, err := loadConfig(configPath, os.Getenv)
	if err != nil {
		return err
	}
	client, monitor, err := configuredClients(cfg)
	if err != nil {
		return err
	}
	keys, err := cfg.keyMap()
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

// configuredClients builds the selected provider's client from the
// configuration, and the client of its monitoring key when one is set
// (nil otherwise), or says plainly what is missing.
func configuredClients(cfg Config) (client, monitor api.Client, err error) {
	tuning := api.Tuning{
		AttemptTimeout: cfg.Client.AttemptTimeout.Duration,
		MaxAttempts:    cfg.Client.MaxAttempts,
		MaxRetryWait:   cfg.Client.MaxRetryWait.Duration,
	}
	switch cfg.Provider {
	case vydapay.Provider:
		if cfg.Vydapay.APIKey == "" {
			return nil, nil, errors.New("no Vydapay API key: set vydapay.api_key in the config or CARDDESK_API_KEY; or try `carddesk demo`")
		}
		tuning.Budget = cfg.budget(cfg.Vydapay)
		newClient := func(key string) (api.Client, error) {
			return vydapay.New(vydapay.Config{BaseURL: cfg.Vydapay.BaseURL, Key: key, Tuning: tuning})
		}
		return providerClients("vydapay", cfg.Vydapay, newClient)
	default:
		if cfg.VaultsPay.APIKey == "" {
			return nil, nil, errors.New("no VaultsPay API key: set vaultspay.api_key in the config or CARDDESK_API_KEY; or try `carddesk demo`")
		}
		tuning.Budget = cfg.budget(cfg.VaultsPay)
		newClient := func(key string) (api.Client, error) {
			return vaultspay.New(vaultspay.Config{BaseURL: cfg.VaultsPay.BaseURL, Key: key, Tuning: tuning})
		}
		return providerClients("vaultspay", cfg.VaultsPay, newClient)
	}
}

// providerClients builds the client of p's key and, when p has one, of
// its monitoring key; each has a rate-limit budget of its own.
func providerClients[C api.Client](name string, p ProviderConfig, newClient func(key string) (C, error)) (api.Client, api.Client, error) {
	c, err := newClient(p.APIKey)
	if err != nil {
		return nil, nil, fmt.Errorf("%s client: %w", name, err)
	}
	if p.MonitorAPIKey == "" {
		return c, nil, nil
	}
	m, err := newClient(p.MonitorAPIKey)
	if err != nil {
		return nil, nil, fmt.Errorf("%s monitoring key: %w", name, err)
	}
	return c, m, nil
}

// relayFeed subscribes to the configured relay until ctx is done, or is
// nil (no live feed) when there is no relay URL or no token.
func relayFeed(ctx context.Context, cfg Config) (backend.RelayFeed, error) {
	if cfg.Relay.URL == "" {
		return nil, nil
	}
	token, err := relayToken(cfg)
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

// relayToken is the stream token from the configuration (or
// CARDDESK_RELAY_TOKEN), else the one a local `carddesk relay` generated in
// the state directory. Without one the dashboard runs with no live feed.
//
// The file is read as the relay reads it: one a group or others can read
// is refused with the chmod that fixes it, rather than used.
func relayToken(cfg Config) (string, error) {
	if cfg.Relay.Token != "" {
		return cfg.Relay.Token, nil
	}
	if cfg.StateDir == "" {
		return "", nil
	}
	tok, err := live.ReadToken(filepath.Join(cfg.StateDir, "relay.token"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return tok, err
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
