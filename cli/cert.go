package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/pwretry"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/textwrap"
)

// certCmd is `egovsetup cert` with its subcommands inspect, export and rules.
func (a *app) certCmd(args []string) *cobra.Command {
	c := &cobra.Command{Use: "cert", Short: a.t("cli.cert.short"), Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return usageError(cmd.Usage()) }}
	a.addSubcommands(c, args,
		leaf("inspect", a.certInspectCmd), leaf("export", a.certExportCmd), leaf("rules", a.certRulesCmd),
		leaf("new", a.certNewCmd), leaf("pair", a.certPairCmd))
	return c
}

// loadFlags are the flags every command that reads a certificate shares.
type loadFlags struct {
	passwordFile string
	timeout      time.Duration
	// certsOnly: the command needs the certificates, not the private key.
	certsOnly bool
}

func (a *app) addLoadFlags(c *cobra.Command, f *loadFlags) {
	c.Flags().StringVar(&f.passwordFile, "password-file", "", a.t("cli.flag.password_file"))
	c.Flags().DurationVar(&f.timeout, "timeout", cert.DefaultTimeout, a.t("cli.flag.cert_timeout"))
}

type inspectOptions struct {
	loadFlags
	json     bool
	services []string
	env      string
	demo     bool
}

func (a *app) certInspectCmd() *cobra.Command {
	var o inspectOptions
	c := &cobra.Command{
		Use:         "inspect FILE",
		Short:       a.t("cli.inspect.short"),
		Long:        a.t("cli.inspect.long"),
		Example:     a.t("cli.inspect.examples"),
		Annotations: map[string]string{"exit": a.t("cli.exit.check")},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.demo != (len(args) == 0) || len(args) > 1 {
				return usageError(checks.Problemf("cli.inspect.args"))
			}
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			return a.runInspect(cmd.Context(), path, o)
		},
	}
	a.addLoadFlags(c, &o.loadFlags)
	c.Flags().BoolVar(&o.json, "json", false, a.t("cli.flag.json"))
	c.Flags().StringSliceVar(&o.services, "service", nil, a.t("cli.flag.service"))
	c.Flags().StringVar(&o.env, "env", assets.EnvTest, a.t("cli.flag.env"))
	c.Flags().BoolVar(&o.demo, "demo", false, a.t("cli.flag.demo"))
	return c
}

// checkServices validates --service and --env.
func (a *app) checkServices(services []string, env string) ([]string, error) {
	if env != assets.EnvTest && env != assets.EnvProduction {
		return nil, usageError(checks.Problemf("cli.env.unknown", "Env", env))
	}
	var out []string
	for _, s := range services {
		s = strings.ToLower(strings.TrimSpace(s))
		if _, ok := a.data.Service(s); !ok {
			return nil, usageError(checks.Problemf("cli.service.unknown", "Service", s, "Known", strings.Join(a.data.Order, ", ")))
		}
		out = append(out, s)
	}
	return out, nil
}

func (a *app) runInspect(ctx context.Context, path string, o inspectOptions) error {
	services, err := a.checkServices(o.services, o.env)
	if err != nil {
		return err
	}
	var l *cert.Loaded
	if o.demo {
		l, err = cert.Demo(a.env.Now())
	} else {
		l, err = a.loadCert(ctx, path, o.loadFlags)
	}
	if err != nil {
		return err
	}
	r := cert.NewReport(l, cert.Options{Services: services, Env: o.env, Now: a.env.Now(), Data: a.data})
	if o.json {
		if err := a.writeJSON(r); err != nil {
			return err
		}
	} else {
		if err := r.WriteTextWidth(a.env.Stdout, a.lang, a.stdoutWidth()); err != nil {
			return err
		}
		writeSummary(a, r.Verdicts)
	}
	if r.Worst() == checks.Fail {
		return exitCode(ExitFailed)
	}
	return nil
}

// writeSummary ends a text report with one line: how many problems block.
func writeSummary(a *app, list []checks.Check) {
	n := 0
	for _, v := range list {
		if v.Severity == checks.Fail {
			n++
		}
	}
	msg := a.t("cert.summary.ok")
	if n > 0 {
		msg = a.t("cert.summary.fail", "Count", n)
	}
	a.println(a.env.Stdout, "\n"+textwrap.Wrap(msg, a.stdoutWidth()))
}

// certRulesCmd is `egovsetup cert rules`: the certificate rules, the
// verdicts each may report and where each requirement comes from.
func (a *app) certRulesCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "rules",
		Short:   a.t("cli.rules.short"),
		Long:    a.t("cli.rules.long"),
		Example: a.t("cli.rules.examples"),
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if asJSON {
				return a.writeJSON(cert.Rules())
			}
			return a.writeRules()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, a.t("cli.flag.json"))
	return c
}

// writeRules lists the rules as text: each rule's name and description, its
// source, and its verdicts with their severities.
func (a *app) writeRules() error {
	var b strings.Builder
	for i, r := range cert.RulesIn(a.lang) {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n  %s\n  %s\n", a.t("cli.rules.rule", "Name", r.Name),
			safetext.Line(r.Description), a.t("cli.rules.source", "Citation", r.Citation))
		for _, v := range r.Verdicts {
			fmt.Fprintf(&b, "    %s  %s\n", v.Severity.Label(a.lang), safetext.Line(v.ID))
		}
	}
	_, err := io.WriteString(a.env.Stdout, b.String())
	return err
}

type exportOptions struct {
	loadFlags
	out   string
	pem   bool
	force bool
}

func (a *app) certExportCmd() *cobra.Command {
	var o exportOptions
	c := &cobra.Command{
		Use:         "export FILE -o OUT.cer",
		Short:       a.t("cli.export.short"),
		Long:        a.t("cli.export.long"),
		Example:     a.t("cli.export.examples"),
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{"exit": a.t("cli.exit.export")},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runExport(cmd.Context(), args[0], o)
		},
	}
	a.addLoadFlags(c, &o.loadFlags)
	c.Flags().StringVarP(&o.out, "output", "o", "", a.t("cli.flag.export_out"))
	c.Flags().BoolVar(&o.pem, "pem", false, a.t("cli.flag.pem"))
	c.Flags().BoolVar(&o.force, "force", false, a.t("cli.flag.force"))
	return c
}

func (a *app) runExport(ctx context.Context, path string, o exportOptions) error {
	out := o.out
	if out == "" {
		out = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".cer"
	}
	// The output is the path as written, read without following "..":
	// -o a/../b.cer writes b.cer here, and nothing is made in or through a.
	out = filepath.Clean(out)
	targets := []string{out}
	if o.pem {
		pemOut := strings.TrimSuffix(out, filepath.Ext(out)) + ".pem"
		if strings.EqualFold(pemOut, out) {
			return usageError(checks.Problemf("cli.export.same_output", "File", out,
				"Suggest", strings.TrimSuffix(out, filepath.Ext(out))+".cer"))
		}
		targets = append(targets, pemOut)
	}
	for _, t := range targets {
		if same(t, path) {
			return usageError(checks.Problemf("cli.export.same_file", "File", t))
		}
		fi, err := os.Lstat(t)
		switch {
		case err == nil && fi.IsDir():
			return usageError(checks.Problemf("cli.export.out_folder", "File", t))
		case err == nil && !o.force:
			return usageError(checks.Problemf("cert.exists", "File", t))
		}
	}
	f := o.loadFlags
	f.certsOnly = true
	l, err := a.loadCert(ctx, path, f)
	if err != nil {
		return err
	}
	contents := [][]byte{l.DER(), l.PEM()}
	for i, t := range targets {
		if err := export.WriteFileAtomic(t, contents[i], 0o644); err != nil {
			return usageError(err)
		}
		a.println(a.env.Stderr, a.t("cert.exported", "File", t, "Size", len(contents[i])))
	}
	return nil
}

// same reports whether two paths name one file.
func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// loadCert loads the certificate file at path for a subcommand. The PKCS#12
// password comes from --password-file or $EGOVSETUP_PASSWORD; without
// either, the empty password is tried and then, on a terminal, a masked
// prompt asks up to three times. It is never taken from the command line.
func (a *app) loadCert(ctx context.Context, path string, f loadFlags) (*cert.Loaded, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	pw, given, err := a.password(f.passwordFile)
	if err != nil {
		return nil, err
	}
	l, err := loadOnce(ctx, path, f, pw)
	if !given && errors.Is(err, cert.ErrPasswordIncorrect) && a.canPrompt() {
		var perr error
		if l, err, perr = a.promptAndLoad(ctx, path, f); perr != nil {
			return nil, perr // the prompt itself failed (Ctrl+C, a closed terminal)
		}
	}
	if err == nil {
		return l, nil
	}
	return nil, a.loadError(err, path, f, pw, given)
}

// loadOnce reads the file with one password, within --timeout.
func loadOnce(ctx context.Context, path string, f loadFlags, pw string) (*cert.Loaded, error) {
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	if f.certsOnly {
		return cert.LoadFileCerts(ctx, path, pw)
	}
	return cert.LoadFile(ctx, path, pw)
}

// promptAndLoad asks for the password on the terminal, up to three times
// while it is wrong (the loop the wizard's certificate step shares). A
// password that opened the file is remembered as a secret to keep out of
// every output. err is the last load's error; promptErr is the prompt's own
// failure, returned to the caller as it is.
func (a *app) promptAndLoad(ctx context.Context, path string, f loadFlags) (l *cert.Loaded, err, promptErr error) {
	l, err = pwretry.Loop(nil, cert.ErrPasswordIncorrect, isWrongPassword, func(again bool) (string, error) {
		if again {
			a.println(a.env.Stderr, a.t("cert.load.password_incorrect"))
		}
		pw, perr := a.askPassword(filepath.Base(path))
		promptErr = perr
		return pw, perr
	}, func(pw string) (*cert.Loaded, error) {
		l, err := loadOnce(ctx, path, f, pw)
		if err == nil && pw != "" {
			a.secrets = append(a.secrets, pw)
		}
		return l, err
	})
	if promptErr != nil {
		return nil, nil, promptErr
	}
	return l, err, nil
}

// loadError is what the user reads when the file did not load (pw is the
// password given by file or environment, if any).
func (a *app) loadError(err error, path string, f loadFlags, pw string, given bool) error {
	wrongPassword := errors.Is(err, cert.ErrPasswordIncorrect)
	switch {
	case wrongPassword && !given && !a.canPrompt():
		return usageError(checks.Problemf("cli.password.needed", "File", path))
	case wrongPassword && f.passwordFile != "" && endsInSpace(pw):
		return usageError(checks.Problemf("cli.password.trailing_space", "File", path, "PasswordFile", f.passwordFile).Wrap(err))
	case namesItsFile(err):
		return usageError(err)
	}
	return usageError(checks.Problemf("cli.cert.load_failed", "File", path, "Err", err))
}
