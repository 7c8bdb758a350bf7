package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newSandboxCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "sandbox",
		Short: "Serve the sandbox issuer (VaultsPay and Vydapay) on loopback",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("sandbox: not built yet")
		},
	}
}
