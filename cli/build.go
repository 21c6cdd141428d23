package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
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
	// acceptFailures writes the package although checks fail, saying so in it.
	acceptFailures bool
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
	c.Flags().BoolVar(&o.acceptFailures, "accept-failures", false, a.t("cli.flag.build_accept_failures"))
	c.Flags().BoolVar(&o.json, "json", false, a.t("cli.flag.build_json"))
	return c
}

// runBuild judges the registration, refuses it (exit 1, nothing written)
// when a check fails unless --accept-failures is given, and otherwise writes
// the package and records it (buildRecorded).
func (a *app) runBuild(ctx context.Context, o buildOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ans, err := a.buildAnswers(o)
	if err != nil {
		return err
	}
	// INT, TERM and HUP stop the build before it replaces anything; once the
	// replacement has begun it is finished first (it takes milliseconds).
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	in := export.Input{Answers: ans, Data: a.data, Now: a.env.Now(), AcceptFailures: o.acceptFailures}
	if in.Cert, err = a.buildCert(ctx, o); err != nil {
		return err
	}
	if in.Cert != nil {
		in.HoldsKey = in.Cert.ContainsKey
	}
	res, err := a.buildRecorded(ctx, o, in)
	var refused *export.FailuresError
	switch {
	case errors.As(err, &refused):
		fmt.Fprintln(a.env.Stderr, refused.In(a.lang))
		return exitCode(ExitFailed)
	case err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintln(a.env.Stderr, a.t("cli.build.interrupted"))
		return exitCode(ExitAborted)
	case err != nil:
		return usageError(err)
	}
	return a.printBuilt(packaged(in), res, o.json)
}

// packaged are the answers with the certificate the package holds: the one
// given on the command line, when there is one.
func packaged(in export.Input) *export.Answers {
	if in.Cert == nil {
		return in.Answers
	}
	c := *in.Answers
	c.Certificate = export.NewCertificate(in.Cert)
	return &c
}

// sayOverride tells, on stderr, which failing checks the package is written
// past (nothing when none fails).
func (a *app) sayOverride(j export.Judgement) {
	if !j.Failed() {
		return
	}
	var b strings.Builder
	j.WriteFailures(&b, a.lang)
	fmt.Fprintln(a.env.Stderr, a.t("package.override")+"\n"+strings.TrimRight(b.String(), "\n"))
}

// buildAnswers checks the flags and loads the answers file.
func (a *app) buildAnswers(o buildOptions) (*export.Answers, error) {
	if o.answers == "" {
		return nil, usageError(checks.Problemf("cli.build.no_answers"))
	}
	if o.demo && o.cert != "" {
		return nil, usageError(checks.Problemf("cli.build.demo_and_cert"))
	}
	ans, err := export.LoadAnswers(o.answers)
	var p *checks.Problem
	switch {
	case errors.As(err, &p):
		return nil, usageError(err) // it names the file
	case err != nil:
		return nil, usageError(checks.Problemf("cli.build.answers_unreadable", "File", o.answers, "Err", err.Error()))
	}
	return ans, nil
}

// buildCert is the certificate given on the command line: the demo one,
// the file --cert names, or nil for the one the answers keep.
func (a *app) buildCert(ctx context.Context, o buildOptions) (*cert.Loaded, error) {
	switch {
	case o.demo:
		return cert.Demo(a.env.Now())
	case o.cert != "":
		return a.loadCert(ctx, o.cert, o.loadFlags)
	}
	return nil, nil
}

// printBuilt says what was written: as JSON, or the summary the wizard
// ends with.
func (a *app) printBuilt(ans *export.Answers, res *export.Result, asJSON bool) error {
	if asJSON {
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
