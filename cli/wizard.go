package cli

import "fmt"

type wizardFlags struct {
	answersPath string
	accessible  bool
	demo        bool
	langFlag    bool
}

// runWizard starts the interactive wizard.
func (a *app) runWizard(f wizardFlags) error {
	if !a.env.StdinTTY || !a.env.StdoutTTY {
		fmt.Fprintln(a.env.Stderr, a.t("cli.wizard.no_terminal"))
		return exitCode(ExitUsage)
	}
	return nil
}
