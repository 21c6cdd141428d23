package cli

import "github.com/spf13/cobra"

// diagnoseCmd is `egovsetup diagnose`: connectivity checks.
func (a *app) diagnoseCmd() *cobra.Command {
	return &cobra.Command{Use: "diagnose", Short: a.t("cli.diagnose.short")}
}
