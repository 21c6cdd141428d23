package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
)

type mpassOptions struct {
	answers, cert, out, issuer, root string
	force                            bool
	loadFlags
}

// mpassCmd is `egovsetup mpass` with its subcommands metadata, config and
// idp-cert.
func (a *app) mpassCmd(args []string) *cobra.Command {
	c := &cobra.Command{Use: "mpass", Short: a.t("cli.mpass.short"), Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return usageError(cmd.Usage()) }}
	a.addSubcommands(c, args,
		leaf("metadata", a.mpassMetadataCmd), leaf("config", a.mpassConfigCmd), leaf("idp-cert", a.mpassIdPCmd))
	return c
}

func (a *app) mpassFlags(c *cobra.Command, o *mpassOptions) {
	c.Flags().StringVar(&o.answers, "answers", "", a.t("cli.flag.mpass_answers"))
	c.Flags().StringVar(&o.issuer, "issuer", "", a.t("cli.flag.mpass_issuer"))
	c.Flags().StringVar(&o.root, "service-root", "", a.t("cli.flag.mpass_root"))
	c.Flags().StringVarP(&o.out, "output", "o", "", a.t("cli.flag.mpass_out"))
	c.Flags().BoolVar(&o.force, "force", false, a.t("cli.flag.force"))
}

func (a *app) mpassMetadataCmd() *cobra.Command {
	var o mpassOptions
	c := &cobra.Command{
		Use:         "metadata --answers FILE",
		Short:       a.t("cli.mpassmd.short"),
		Long:        a.t("cli.mpassmd.long"),
		Example:     a.t("cli.mpassmd.examples"),
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"exit": a.t("cli.exit.mpass")},
		RunE: func(cmd *cobra.Command, _ []string) error {
			ans, err := a.mpassAnswers(o)
			if err != nil {
				return err
			}
			leaf, err := ans.Certificate.Parse()
			if o.cert != "" {
				var l *cert.Loaded
				l, err = a.loadCert(cmd.Context(), o.cert, loadFlags{passwordFile: o.passwordFile, timeout: o.timeout, certsOnly: true})
				if err != nil {
					return err
				}
				leaf = l.Leaf
			}
			if err != nil {
				return usageError(checks.Problemf("cli.mpassmd.no_cert"))
			}
			b, err := export.SPMetadata(ans, leaf, export.MetadataOptions{ServiceRoot: o.root})
			if err != nil {
				return usageError(err)
			}
			return a.writeOut(o, b)
		},
	}
	a.mpassFlags(c, &o)
	c.Flags().StringVar(&o.cert, "cert", "", a.t("cli.flag.mpass_cert"))
	a.addLoadFlags(c, &o.loadFlags)
	return c
}

func (a *app) mpassConfigCmd() *cobra.Command {
	var o mpassOptions
	c := &cobra.Command{
		Use:         "config --answers FILE",
		Short:       a.t("cli.mpasscfg.short"),
		Long:        a.t("cli.mpasscfg.long"),
		Example:     a.t("cli.mpasscfg.examples"),
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"exit": a.t("cli.exit.mpass")},
		RunE: func(cmd *cobra.Command, _ []string) error {
			ans, err := a.mpassAnswers(o)
			if err != nil {
				return err
			}
			b := export.AppSettings(ans, a.data, export.MetadataOptions{ServiceRoot: o.root})
			if b == nil {
				return usageError(checks.Problemf("cli.mpasscfg.no_service"))
			}
			return a.writeOut(o, b)
		},
	}
	a.mpassFlags(c, &o)
	return c
}

// mpassAnswers loads --answers and applies --issuer.
func (a *app) mpassAnswers(o mpassOptions) (*export.Answers, error) {
	if o.answers == "" {
		return nil, usageError(checks.Problemf("cli.build.no_answers"))
	}
	ans, err := export.LoadAnswers(o.answers)
	var p *checks.Problem
	switch {
	case errors.As(err, &p):
		return nil, usageError(err)
	case err != nil:
		return nil, usageError(checks.Problemf("cli.build.answers_unreadable", "File", o.answers, "Err", err.Error()))
	}
	if o.issuer != "" {
		ans.MPass.Issuer = o.issuer
	}
	return ans, nil
}

// writeOut writes b to -o (kept when it exists, unless --force) or stdout.
func (a *app) writeOut(o mpassOptions, b []byte) error {
	if o.out == "" {
		_, err := a.env.Stdout.Write(b)
		return err
	}
	out := filepath.Clean(o.out)
	fi, err := os.Lstat(out)
	switch {
	case err == nil && fi.IsDir():
		return usageError(checks.Problemf("cli.export.out_folder", "File", out))
	case err == nil && !o.force:
		return usageError(checks.Problemf("cert.exists", "File", out))
	}
	if err := export.WriteFileAtomic(out, b, 0o644); err != nil {
		return usageError(checks.FileProblem(out, err))
	}
	a.println(a.env.Stderr, a.t("cli.mpass.wrote", "File", out, "Size", len(b)))
	return nil
}

func (a *app) mpassIdPCmd() *cobra.Command {
	var (
		env, out, endpoint string
		force              bool
		timeout            time.Duration
	)
	c := &cobra.Command{
		Use:         "idp-cert",
		Short:       a.t("cli.mpassidp.short"),
		Long:        a.t("cli.mpassidp.long"),
		Example:     a.t("cli.mpassidp.examples"),
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"exit": a.t("cli.exit.mpass")},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := a.checkServices(nil, env); err != nil {
				return err
			}
			if out == "" {
				out = export.IdPCertificateFile(env)
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			svc, _ := a.data.Service("mpass")
			url := svc.URL(env, "metadata")
			if endpoint != "" {
				// Another MPass instance, e.g. one behind a proxy.
				url = strings.TrimRight(endpoint, "/") + svc.Paths["metadata"]
			}
			c, err := export.FetchIdPCertificate(ctx, nil, url)
			if err != nil {
				return usageError(err)
			}
			if err := a.writeOut(mpassOptions{out: out, force: force}, c.Raw); err != nil {
				return err
			}
			a.println(a.env.Stdout, a.t("mpass.idp.wrote", "File", out, "Subject", safetext.Line(c.Subject.String()),
				"Date", c.NotAfter.UTC().Format("2006-01-02"), "SHA256", cert.Fingerprint(c)))
			return nil
		},
	}
	c.Flags().StringVar(&env, "env", assets.EnvTest, a.t("cli.flag.env"))
	c.Flags().StringVarP(&out, "output", "o", "", a.t("cli.flag.mpass_idp_out"))
	c.Flags().BoolVar(&force, "force", false, a.t("cli.flag.force"))
	c.Flags().StringVar(&endpoint, "endpoint", "", a.t("cli.flag.mpass_idp_endpoint"))
	c.Flags().DurationVar(&timeout, "timeout", 30*time.Second, a.t("cli.flag.mpass_idp_timeout"))
	return c
}
