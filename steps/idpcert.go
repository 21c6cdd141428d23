package steps

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/export"
)

// idpFetchTimeout bounds the request for the IdP's metadata when the
// connectivity step set no timeout.
const idpFetchTimeout = 5 * time.Second

// idpCertificate is MPass's IdP signing certificate for the package (the
// integrator configures it to check AGE's SAML responses): fetched from the
// IdP's metadata (mpass/integration-development.md, "SAML metadata") when
// the connectivity step reached that metadata for this environment in this
// run of checks, so the request is known to be quick. Nothing otherwise:
// the package is then written without it, and `egovsetup mpass idp-cert`
// fetches it later.
func idpCertificate(ctx context.Context, c *Context) *x509.Certificate {
	url := ""
	for _, r := range c.Answers.Connectivity {
		if r.ID != netcheck.StepIdP || r.Env != c.Answers.Env || r.Severity.Rank() > checks.Warn.Rank() || r.StaleFor(c.Answers) {
			continue
		}
		if s, ok := c.Data.Service(r.Service); ok && s.SignIn {
			url = s.URL(c.Answers.Env, "metadata")
		}
	}
	if url == "" {
		return nil
	}
	timeout := c.CheckTimeout
	if timeout <= 0 {
		timeout = idpFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cert, err := export.FetchIdPCertificate(ctx, nil, url)
	if err != nil {
		return nil
	}
	return cert
}
