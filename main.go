// Command carddesk is a terminal dashboard for the support staff of a card
// issuer: find the caller, see their cards and transactions with the reason
// for every decline, and act on a card behind a confirmation.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
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
