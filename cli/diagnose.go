package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/redact"
)

type diagnoseOptions struct {
	loadFlags
	services  []string
	env       string
	certFile  string
	cas       []string
	endpoints []string
	timeout   time.Duration
	json      bool
	answers   string
	bundle    string
	idpCert   string
	// serviceSet, envSet: --service or --env was given, overriding the
	// saved answers.
	serviceSet, envSet bool
}

// diagnoseCmd is `egovsetup diagnose`: connectivity checks, headless.
func (a *app) diagnoseCmd() *cobra.Command {
	var o diagnoseOptions
	c := &cobra.Command{
		Use:         "diagnose",
		Short:       a.t("cli.diagnose.short"),
		Long:        a.t("cli.diagnose.long"),
		Example:     a.t("cli.diagnose.examples"),
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"exit": a.t("cli.exit.diagnose")},
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.serviceSet, o.envSet = cmd.Flags().Changed("service"), cmd.Flags().Changed("env")
			return a.runDiagnose(cmd.Context(), o)
		},
	}
	c.Flags().StringSliceVar(&o.services, "service", nil, a.t("cli.flag.diagnose_service"))
	c.Flags().StringVar(&o.env, "env", assets.EnvTest, a.t("cli.flag.env"))
	c.Flags().StringVar(&o.certFile, "cert", "", a.t("cli.flag.cert"))
	c.Flags().StringVar(&o.passwordFile, "password-file", "", a.t("cli.flag.password_file"))
	c.Flags().StringArrayVar(&o.cas, "ca", nil, a.t("cli.flag.ca"))
	c.Flags().StringArrayVar(&o.endpoints, "endpoint", nil, a.t("cli.flag.endpoint"))
	c.Flags().DurationVar(&o.timeout, "timeout", netcheck.DefaultTimeout, a.t("cli.flag.net_timeout"))
	c.Flags().BoolVar(&o.json, "json", false, a.t("cli.flag.json"))
	c.Flags().StringVar(&o.answers, "answers", "", a.t("cli.flag.diagnose_answers"))
	c.Flags().StringVar(&o.bundle, "bundle", "", a.t("cli.flag.bundle"))
	c.Flags().StringVar(&o.idpCert, "idp-cert", "", a.t("cli.flag.idp_cert"))
	return c
}

func (a *app) runDiagnose(ctx context.Context, o diagnoseOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ans, err := a.diagnoseAnswers(&o)
	if err != nil {
		return err
	}
	services, err := a.checkServices(o.services, o.env)
	if err != nil {
		return err
	}
	opt, loaded, err := a.netOptions(ctx, o, services, ans)
	if err != nil {
		return err
	}
	if o.bundle != "" {
		if _, err := os.Lstat(o.bundle); err == nil {
			return usageError(checks.Problemf("cli.diagnose.bundle_exists", "File", o.bundle))
		}
	}
	if !o.json && a.env.StdoutTTY {
		a.println(a.env.Stderr, a.t("cli.diagnose.running", "Count", len(opt.Targets), "Timeout", o.timeout))
	}
	results := netcheck.Run(ctx, opt)
	if err := a.writeResults(o, results); err != nil {
		return err
	}
	if o.bundle != "" {
		if err := a.writeBundle(ctx, o, results, loaded, ans, services); err != nil {
			return err
		}
	}
	if netcheck.Worst(results) == checks.Fail {
		return exitCode(ExitFailed)
	}
	return nil
}

// diagnoseAnswers reads the saved answers: they give the registered
// addresses named in remedies, and the services and environment unless
// --service/--env say otherwise. Missing or unreadable default answers are
// no answers; an --answers file that cannot be read is a usage error.
func (a *app) diagnoseAnswers(o *diagnoseOptions) (*export.Answers, error) {
	path := o.answers
	if path == "" {
		path, _ = export.DefaultAnswersPath()
	}
	ans, err := export.LoadAnswers(path)
	if err != nil {
		if o.answers != "" {
			return nil, usageError(err)
		}
		return nil, nil
	}
	if ans != nil {
		if !o.serviceSet && len(ans.Services) > 0 {
			o.services = ans.Services
		}
		if !o.envSet && ans.Env != "" {
			o.env = ans.Env
		}
	}
	return ans, nil
}

// netOptions makes the connectivity checks' options from the flags: the
// targets with --endpoint overrides, --ca, --idp-cert, the system
// certificate and the registered addresses.
func (a *app) netOptions(ctx context.Context, o diagnoseOptions, services []string, ans *export.Answers) (netcheck.Options, *cert.Loaded, error) {
	var opt netcheck.Options
	if o.timeout <= 0 {
		return opt, nil, usageError(checks.Problemf("cli.diagnose.timeout"))
	}
	overrides, err := a.endpointOverrides(o.endpoints)
	if err != nil {
		return opt, nil, err
	}
	opt = netcheck.Options{Timeout: o.timeout, Targets: netcheck.Targets(a.data, services, o.env, overrides)}
	if opt.ExtraCAs, err = loadCAs(ctx, o.cas); err != nil {
		return opt, nil, err
	}
	if o.idpCert != "" {
		l, err := loadCA(ctx, o.idpCert)
		if err != nil {
			return opt, nil, usageError(checks.Problemf("cli.diagnose.idp_cert", "File", o.idpCert, "Err", err))
		}
		opt.IdPCert = l.Leaf
	}
	var loaded *cert.Loaded
	if o.certFile != "" {
		l, err := a.loadCert(ctx, o.certFile, loadFlags{passwordFile: o.passwordFile, timeout: certTimeout})
		if err != nil {
			return opt, nil, err
		}
		if tc, ok := l.TLSCertificate(); ok {
			opt.Client = &tc
		}
		opt.ClientSerial = cert.SerialHex(l.Leaf)
		loaded = l
	}
	if ans != nil {
		for _, ip := range ans.Network.IPs {
			opt.IPs = append(opt.IPs, ip.Address)
		}
	}
	return opt, loaded, nil
}

// endpointOverrides reads --endpoint SERVICE=URL flags into service ID →
// base URL.
func (a *app) endpointOverrides(endpoints []string) (map[string]string, error) {
	overrides := map[string]string{}
	for _, e := range endpoints {
		id, raw, ok := strings.Cut(e, "=")
		id = strings.ToLower(strings.TrimSpace(id))
		if _, known := a.data.Service(id); !ok || !known {
			return nil, usageError(checks.Problemf("cli.diagnose.endpoint", "Value", redact.URL(e), "Known", strings.Join(a.data.Order, ", ")))
		}
		if err := endpointProblem(raw); err != nil {
			return nil, usageError(err)
		}
		overrides[id] = strings.TrimSuffix(raw, "/")
	}
	return overrides, nil
}

// loadCAs reads the --ca files: each one's certificates are trusted.
func loadCAs(ctx context.Context, files []string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, f := range files {
		l, err := loadCA(ctx, f)
		if namesItsFile(err) {
			return nil, usageError(err)
		}
		if err != nil {
			return nil, usageError(checks.Problemf("cli.cert.load_failed", "File", f, "Err", err))
		}
		out = append(out, l.Leaf)
		out = append(out, l.Chain...)
	}
	return out, nil
}

// writeResults writes the results as JSON or as text in the user's
// language.
func (a *app) writeResults(o diagnoseOptions, results []netcheck.Result) error {
	if !o.json {
		netcheck.WriteTextWidth(a.env.Stdout, results, a.lang, a.stdoutWidth())
		return nil
	}
	if results == nil {
		results = []netcheck.Result{}
	}
	return a.writeJSON(results)
}

// endpointProblem says why an --endpoint URL cannot be used, never
// repeating a password it holds.
func endpointProblem(raw string) error {
	_, err := netcheck.ParseEndpoint(raw)
	var e *netcheck.EndpointError
	if !errors.As(err, &e) {
		return err
	}
	shown := redact.URL(raw)
	switch e.Reason {
	case "host":
		return checks.Problemf("cli.diagnose.endpoint_host", "Value", shown)
	case "port":
		return checks.Problemf("cli.diagnose.endpoint_port", "Value", shown, "Port", e.Port)
	case "http":
		return checks.Problemf("cli.diagnose.endpoint_http", "Value", shown)
	}
	return checks.Problemf("cli.diagnose.endpoint_url", "Value", shown)
}

// writeBundle writes diagnose's support bundle (English texts, for AGE's
// staff): it never holds the key or the password.
func (a *app) writeBundle(ctx context.Context, o diagnoseOptions, results []netcheck.Result, l *cert.Loaded, ans *export.Answers, services []string) error {
	in, err := export.BundleFrom(results, l, ans, services, o.env, a.env.Now())
	if err != nil {
		return err
	}
	in.Version, in.Getenv = versionString(), a.env.Getenv
	if pw, given, _ := a.password(o.passwordFile); given {
		in.Secrets = append(in.Secrets, pw)
	}
	in.Secrets = append(in.Secrets, a.secrets...)
	switch err := export.WriteBundle(o.bundle, in); {
	case err == nil:
		a.println(a.env.Stderr, a.t("cli.diagnose.bundle_written", "File", o.bundle))
		return nil
	case errors.Is(err, export.ErrBundleSecret):
		return usageError(checks.Problemf("cli.diagnose.bundle_secret"))
	default:
		var ee *export.ExistsError
		if errors.As(err, &ee) {
			return usageError(checks.Problemf("cli.diagnose.bundle_exists", "File", o.bundle))
		}
		return usageError(checks.Problemf("cli.diagnose.bundle_failed", "File", o.bundle, "Err", err))
	}
}

// certTimeout bounds reading a certificate file given to diagnose (--cert,
// --ca), as --timeout does for cert inspect and export.
const certTimeout = cert.DefaultTimeout

// loadCA reads a --ca file (PEM, DER) like any certificate file: a regular
// file only, at most cert.MaxFileSize bytes, within certTimeout.
func loadCA(ctx context.Context, path string) (*cert.Loaded, error) {
	ctx, cancel := context.WithTimeout(ctx, certTimeout)
	defer cancel()
	return cert.LoadFile(ctx, path, "")
}
