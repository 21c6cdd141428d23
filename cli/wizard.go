package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/ui"
)

type wizardFlags struct {
	answersPath string
	accessible  bool
	demo        bool
	langFlag    bool
}

// runWizard starts the interactive wizard. It needs a terminal on both stdin
// and stdout; scripts are pointed at the subcommands instead.
func (a *app) runWizard(f wizardFlags) error {
	if f.answersPath != "" {
		// A file the user names is used only if it holds answers (or does
		// not exist yet): anything else is refused and left untouched.
		if _, err := export.LoadAnswers(f.answersPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return usageError(err)
		}
	}
	if !a.env.StdinTTY || !a.env.StdoutTTY {
		fmt.Fprintln(a.env.Stderr, a.t("cli.wizard.no_terminal"))
		return exitCode(ExitUsage)
	}
	getenv := a.env.Getenv
	accessible := f.accessible || getenv("TERM") == "dumb" || getenv("ACCESSIBLE") != ""
	out, err := ui.Run(context.Background(), ui.Options{
		Lang:         a.lang,
		LangExplicit: f.langFlag,
		AnswersPath:  f.answersPath,
		Accessible:   accessible,
		Demo:         f.demo,
		Data:         a.data,
		In:           a.env.Stdin,
		Out:          a.env.Stdout,
		Now:          a.env.Now,
	})
	if out.Lang != "" {
		a.lang = out.Lang
	}
	if out.Notice != "" {
		fmt.Fprintln(a.env.Stderr, out.Notice)
	}
	var abort *ui.AbortError
	if errors.As(err, &abort) {
		return a.wizardAborted(out, abort)
	}
	if err != nil {
		return err
	}
	if out.Summary != "" {
		// What to send stays on the terminal after the screen is gone.
		fmt.Fprintln(a.env.Stdout, out.Summary)
	}
	return nil
}

// wizardAborted says where the answers are and gives the exit code: 130
// (Ctrl+C, esc), 143 (TERM) or 129 (HUP).
func (a *app) wizardAborted(out ui.Outcome, abort *ui.AbortError) error {
	fmt.Fprintln(a.env.Stderr, ui.EndMessage(out, out.Lang))
	return exitCode(abort.ExitCode())
}
