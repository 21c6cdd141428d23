package cli

import "github.com/spf13/cobra"

// buildCmd is `egovsetup build`: the registration package without the wizard.
func (a *app) buildCmd() *cobra.Command {
	return &cobra.Command{Use: "build", Short: a.t("cli.build.short")}
}
