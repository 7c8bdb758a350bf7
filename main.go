// Command carddesk is a terminal dashboard for the support staff of a card
// issuer: find the caller, see their cards and transactions with the reason
// for every decline, and act on a card behind a confirmation.
//
// Package main is the command line and nothing else: one file per command
// declares its flags and hands them to the package that does the work —
// tui/config for the configuration, tui/console and tui/sshserve for the
// dashboard, tui/stack for the in-process demo, live/relayserve for the
// relay, tui/bench and live/loadtest for the benchmarks.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/carddesk/carddesk/api/safetext"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "carddesk:", err)
		os.Exit(1)
	}
}

// newLogger is every command's logger: text lines to w, with escape
// sequences stripped and card-number-shaped digits masked in the message
// and every attribute, whatever a provider or a webhook put in them.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(safetext.NewMaskingHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}
