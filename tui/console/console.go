package console

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/tui"
	"github.com/carddesk/carddesk/tui/backend"
)

// Actor is the person at this terminal, in role: $USER, else the
// account's name, else "demo".
func Actor(role backend.Role) backend.Actor {
	agent := os.Getenv("USER")
	if u, err := user.Current(); agent == "" && err == nil {
		agent = u.Username
	}
	if agent == "" {
		agent = "demo"
	}
	return backend.Actor{Agent: agent, Session: "local", Role: role}
}

// Run runs the backend and one Bubble Tea program over it until
// the agent quits or ctx is done; the backend stops with the program.
func Run(ctx context.Context, b *backend.Backend, actor backend.Actor, keys *tui.KeyMap, opts ...tea.ProgramOption) error {
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
