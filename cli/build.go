package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
)

type buildOptions struct {
	loadFlags
	answers string
	cert    string
	demo    bool
	out     string
	force   bool
	json    bool
}

// buildCmd is `egovsetup build`: the registration package from an answers
// file, without the wizard.
func (a *app) buildCmd() *cobra.Command {
	var o buildOptions
	c := &cobra.Command{
		Use:         "build --answers FILE",
		Short:       a.t("cli.build.short"),
		Long:        a.t("cli.build.long"),
		Example:     a.t("cli.build.examples"),
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"exit": a.t("cli.exit.build")},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runBuild(cmd.Context(), o)
		},
	}
	c.Flags().StringVar(&o.answers, "answers", "", a.t("cli.flag.build_answers"))
	c.Flags().StringVar(&o.cert, "cert", "", a.t("cli.flag.build_cert"))
	a.addLoadFlags(c, &o.loadFlags)
	c.Flags().BoolVar(&o.demo, "demo", false, a.t("cli.flag.demo"))
	c.Flags().StringVarP(&o.out, "output", "o", ".", a.t("cli.flag.build_out"))
	c.Flags().BoolVar(&o.force, "force", false, a.t("cli.flag.build_force"))
	c.Flags().BoolVar(&o.json, "json", false, a.t("cli.flag.build_json"))
	return c
}

func (a *app) runBuild(ctx context.Context, o buildOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.answers == "" {
		return usageError(checks.Problemf("cli.build.no_answers"))
	}
	if o.demo && o.cert != "" {
		return usageError(checks.Problemf("cli.build.demo_and_cert"))
	}
	ans, err := export.LoadAnswers(o.answers)
	var p *checks.Problem
	switch {
	case errors.As(err, &p):
		return usageError(err) // it names the file
	case err != nil:
		return usageError(checks.Problemf("cli.build.answers_unreadable", "File", o.answers, "Err", err.Error()))
	}
	// INT, TERM and HUP stop the build before it replaces anything; once the
	// replacement has begun it is finished first (it takes milliseconds).
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	for _, r := range export.Recover(o.out) {
		fmt.Fprintln(a.env.Stderr, r.In(a.lang))
	}
	in := export.Input{Answers: ans, Data: a.data, Now: a.env.Now()}
	opt := export.Options{Overwrite: o.force, Context: ctx}
	switch {
	case o.demo:
		l, err := cert.Demo(a.env.Now())
		if err != nil {
			return err
		}
		in.Leaf, in.Demo, opt.HoldsKey = l.Leaf, true, l.ContainsKey
	case o.cert != "":
		l, err := a.loadCert(ctx, o.cert, o.loadFlags)
		if err != nil {
			return err
		}
		in.Leaf, opt.HoldsKey = l.Leaf, l.ContainsKey
		if ans.Certificate != nil {
			ans.Certificate.File = ""
		}
	}
	res, err := a.buildRecorded(o.out, o.answers, in, opt)
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(a.env.Stderr, a.t("cli.build.interrupted"))
		return exitCode(ExitAborted)
	}
	if err != nil {
		return usageError(err)
	}
	if o.json {
		return a.writeJSON(struct {
			Dir    string         `json:"dir"`
			Zip    string         `json:"zip"`
			Emails []export.Email `json:"emails"`
			Files  []string       `json:"files"`
		}{res.Dir, res.Zip, res.Emails, res.Files})
	}
	fmt.Fprintln(a.env.Stdout, export.Summary(res, ans, a.data, export.SummaryOptions{Lang: a.lang, Width: a.stdoutWidth()}))
	return nil
}
