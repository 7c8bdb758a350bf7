package main

import "github.com/spf13/cobra"

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "carddesk",
		Short:         "A terminal dashboard for card-issuer support staff",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newVersionCmd(), newSandboxCmd(), newRelayCmd(), newBenchCmd())
	root.AddCommand(newDemoCmd(), newServeCmd())
	addTUIRoot(root)
	return root
}
