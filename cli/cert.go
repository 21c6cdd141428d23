package cli

import "github.com/spf13/cobra"

// certCmd is `egovsetup cert` with its subcommands inspect and export.
func (a *app) certCmd() *cobra.Command {
	return &cobra.Command{Use: "cert", Short: a.t("cli.cert.short")}
}
