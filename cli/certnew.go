package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/export/keygen"
	"github.com/egovmd/egovsetup/internal/safetext"
)

type certNewOptions struct {
	kind, host, out string
	org, idno       string
	answers         string
	passwordFile    string
	bits            int
	legacy          bool
	publicOut       string
	naturalPerson   bool
}

// certNewCmd is `egovsetup cert new`: a key made on this machine with a
// self-signed MPass test certificate or a request for STISC.
func (a *app) certNewCmd() *cobra.Command {
	var o certNewOptions
	c := &cobra.Command{
		Use:         "new --host HOST -o KEY.pfx",
		Short:       a.t("cli.certnew.short"),
		Long:        a.t("cli.certnew.long"),
		Example:     a.t("cli.certnew.examples"),
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"exit": a.t("cli.exit.certnew")},
		RunE:        func(cmd *cobra.Command, _ []string) error { return a.runCertNew(o) },
	}
	f := c.Flags()
	f.StringVar(&o.kind, "for", keygen.KindMPassTest, a.t("cli.flag.certnew_for"))
	f.StringVar(&o.host, "host", "", a.t("cli.flag.certnew_host"))
	f.StringVarP(&o.out, "output", "o", "", a.t("cli.flag.certnew_out"))
	f.StringVar(&o.publicOut, "public", "", a.t("cli.flag.certnew_public"))
	f.StringVar(&o.org, "org", "", a.t("cli.flag.certnew_org"))
	f.StringVar(&o.idno, "idno", "", a.t("cli.flag.certnew_idno"))
	f.BoolVar(&o.naturalPerson, "natural-person", false, a.t("cli.flag.certnew_person"))
	f.StringVar(&o.answers, "answers", "", a.t("cli.flag.certnew_answers"))
	f.IntVar(&o.bits, "bits", keygen.DefaultBits, a.t("cli.flag.certnew_bits"))
	f.BoolVar(&o.legacy, "legacy", false, a.t("cli.flag.pfx_legacy"))
	f.StringVar(&o.passwordFile, "password-file", "", a.t("cli.flag.certnew_password_file"))
	return c
}

func (a *app) runCertNew(o certNewOptions) error {
	if o.out == "" {
		return usageError(checks.Problemf("cli.certnew.no_output"))
	}
	if o.kind != keygen.KindMPassTest && o.kind != keygen.KindSTISC {
		return usageError(checks.Problemf("cert.new.kind", "Kind", o.kind))
	}
	if err := a.fillOrg(&o); err != nil {
		return err
	}
	ext := ".cer"
	if o.kind == keygen.KindSTISC {
		ext = ".csr"
	}
	out := filepath.Clean(o.out)
	pub := o.publicOut
	if pub == "" {
		pub = strings.TrimSuffix(out, filepath.Ext(out)) + ext
	}
	pub = filepath.Clean(pub)
	if pub == out {
		return usageError(checks.Problemf("cli.export.same_file", "File", pub))
	}
	// Both files are new: nothing is generated when either exists.
	for _, p := range []string{out, pub} {
		if _, err := os.Lstat(p); err == nil {
			return usageError(checks.Problemf("cert.new.exists", "File", p))
		}
	}
	opts := keygen.Options{Kind: o.kind, Bits: o.bits, CommonName: o.host, Organization: o.org,
		IDNO: o.idno, LegalEntity: o.kind == keygen.KindSTISC && !o.naturalPerson, Now: a.env.Now()}
	// Bad options are refused before the password is asked.
	if err := opts.Check(); err != nil {
		return usageError(err)
	}
	pw, err := a.newPassword(o.passwordFile, filepath.Base(out))
	if err != nil {
		return err
	}
	a.println(a.env.Stderr, a.t("cert.new.generating", "Bits", orDefault(opts.Bits)))
	r, err := keygen.New(opts)
	if err != nil {
		return usageError(err)
	}
	return a.writeNewKey(r, o, out, pub, pw)
}

func orDefault(bits int) int {
	if bits == 0 {
		return keygen.DefaultBits
	}
	return bits
}

// writeNewKey writes the encrypted key first, then the certificate or the
// request, each created new with mode 0600 (the public file 0644).
func (a *app) writeNewKey(r *keygen.Result, o certNewOptions, out, pub, pw string) error {
	pfx, err := r.PKCS12(pw, o.legacy)
	if err != nil {
		return usageError(err)
	}
	if err := keygen.WriteNew(out, pfx); err != nil {
		return usageError(err)
	}
	a.println(a.env.Stderr, a.t("cert.new.wrote_key", "File", out))
	public := r.Cert.Raw
	if r.Placeholder {
		public = r.Request
	}
	if err := keygen.WriteNew(pub, public); err != nil {
		return usageError(err)
	}
	_ = os.Chmod(pub, 0o644) // public: the certificate or the request
	if r.Placeholder {
		a.println(a.env.Stderr, a.t("cert.new.wrote_csr", "File", pub, "URL", keygen.STISCOrderURL))
		a.println(a.env.Stderr, a.t("cert.new.next_pair", "Key", out))
		return nil
	}
	a.println(a.env.Stderr, a.t("cert.new.wrote_cer", "File", pub, "SHA256", cert.Fingerprint(r.Cert)))
	return nil
}

// fillOrg takes the organisation from --answers for the flags not given.
func (a *app) fillOrg(o *certNewOptions) error {
	if o.answers == "" {
		return nil
	}
	ans, err := export.LoadAnswers(o.answers)
	var p *checks.Problem
	switch {
	case errors.As(err, &p):
		return usageError(err)
	case err != nil:
		return usageError(checks.Problemf("cli.build.answers_unreadable", "File", o.answers, "Err", err.Error()))
	}
	if o.org == "" {
		o.org = ans.Organization.Name
	}
	if o.idno == "" {
		o.idno = ans.Organization.IDNO
	}
	if ans.Organization.Type == "person" {
		o.naturalPerson = true
	}
	return nil
}

// newPassword is the password a new key file is encrypted with: from
// --password-file, else $EGOVSETUP_PASSWORD, else typed twice at a masked
// prompt. It is never taken from the command line and never empty.
func (a *app) newPassword(passwordFile, file string) (string, error) {
	pw, given, err := a.password(passwordFile)
	if err != nil {
		return "", err
	}
	if !given {
		if !a.canPrompt() {
			return "", usageError(checks.Problemf("cli.certnew.password_needed"))
		}
		if pw, err = a.askNewPassword(file); err != nil {
			return "", err
		}
	}
	if pw == "" {
		return "", usageError(checks.Problemf("cli.certnew.password_empty"))
	}
	a.secrets = append(a.secrets, pw)
	return pw, nil
}

// askNewPassword asks twice, up to three times, until both agree.
func (a *app) askNewPassword(file string) (string, error) {
	for tries := 0; tries < 3; tries++ {
		fmt.Fprint(a.env.Stderr, a.t("cli.certnew.password_prompt", "File", safetext.Line(file)))
		first, err := a.env.ReadPassword()
		fmt.Fprintln(a.env.Stderr)
		if err != nil {
			return "", usageError(err)
		}
		fmt.Fprint(a.env.Stderr, a.t("cli.certnew.password_again"))
		second, err := a.env.ReadPassword()
		fmt.Fprintln(a.env.Stderr)
		if err != nil {
			return "", usageError(err)
		}
		if string(first) == string(second) {
			return string(first), nil
		}
		a.println(a.env.Stderr, a.t("cli.certnew.password_mismatch"))
	}
	return "", usageError(checks.Problemf("cli.certnew.password_mismatch"))
}

// certPairCmd is `egovsetup cert pair`: the issued certificate joined with
// its key into the .pfx the system deploys.
func (a *app) certPairCmd() *cobra.Command {
	var o struct {
		key, chain, out, passwordFile string
		legacy                        bool
	}
	c := &cobra.Command{
		Use:         "pair ISSUED.cer --key KEY.pfx -o SYSTEM.pfx",
		Short:       a.t("cli.certpair.short"),
		Long:        a.t("cli.certpair.long"),
		Example:     a.t("cli.certpair.examples"),
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{"exit": a.t("cli.exit.certpair")},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCertPair(cmd.Context(), args[0], o.key, o.chain, o.out, o.passwordFile, o.legacy)
		},
	}
	c.Flags().StringVar(&o.key, "key", "", a.t("cli.flag.certpair_key"))
	c.Flags().StringVar(&o.chain, "chain", "", a.t("cli.flag.certpair_chain"))
	c.Flags().StringVarP(&o.out, "output", "o", "", a.t("cli.flag.certpair_out"))
	c.Flags().StringVar(&o.passwordFile, "password-file", "", a.t("cli.flag.password_file"))
	c.Flags().BoolVar(&o.legacy, "legacy", false, a.t("cli.flag.pfx_legacy"))
	return c
}

func (a *app) runCertPair(ctx context.Context, issuedPath, keyPath, chainPath, out, passwordFile string, legacy bool) error {
	if keyPath == "" || out == "" {
		return usageError(checks.Problemf("cli.certpair.args"))
	}
	out = filepath.Clean(out)
	if _, err := os.Lstat(out); err == nil {
		return usageError(checks.Problemf("cert.new.exists", "File", out))
	}
	if ctx == nil {
		ctx = context.Background()
	}
	issued, cas, err := loadIssued(ctx, issuedPath, chainPath)
	if err != nil {
		return err
	}
	kf, err := a.loadCert(ctx, keyPath, loadFlags{passwordFile: passwordFile, timeout: cert.DefaultTimeout})
	if err != nil {
		return err
	}
	tc, ok := kf.TLSCertificate()
	if !ok {
		return usageError(checks.Problemf("cli.certpair.no_key", "File", keyPath))
	}
	if !keygen.Matches(tc.PrivateKey, issued.PublicKey) {
		a.println(a.env.Stderr, "egovsetup: "+a.t("cli.certpair.mismatch", "Cert", issuedPath, "Key", keyPath))
		return exitCode(ExitFailed)
	}
	// The same password as the key file, which the user knows already; a
	// key file without one gets a new one (never an unprotected key).
	pw, _, _ := a.password(passwordFile)
	if len(a.secrets) > 0 {
		pw = a.secrets[len(a.secrets)-1]
	}
	if pw == "" {
		if pw, err = a.newPassword("", filepath.Base(out)); err != nil {
			return err
		}
	}
	pfx, err := keygen.PKCS12(tc.PrivateKey, issued, cas, pw, legacy)
	if err != nil {
		return usageError(err)
	}
	if err := keygen.WriteNew(out, pfx); err != nil {
		return usageError(err)
	}
	a.println(a.env.Stderr, a.t("cert.pair.wrote", "File", out, "Count", len(cas)))
	return nil
}

// loadIssued reads the issued certificate and, from it and the --chain
// file, the chain certificates.
func loadIssued(ctx context.Context, issuedPath, chainPath string) (*x509.Certificate, []*x509.Certificate, error) {
	issued, err := cert.LoadFileCerts(ctx, issuedPath, "")
	if err != nil {
		return nil, nil, usageError(err)
	}
	cas := issued.Chain
	if chainPath != "" {
		l, err := cert.LoadFileCerts(ctx, chainPath, "")
		if err != nil {
			return nil, nil, usageError(err)
		}
		cas = append(append(cas, l.Leaf), l.Chain...)
	}
	return issued.Leaf, cas, nil
}
