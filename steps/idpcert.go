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

// idpCert is MPass's IdP signing certificate (public; kept in memory for
// this run only) and the environment it was fetched for.
type idpCert struct {
	env  string
	cert *x509.Certificate
}

// idpFetcher returns what fetches MPass's IdP signing certificate after a
// connectivity run, for the package (the integrator configures it to check
// AGE's SAML responses): read from the IdP's metadata
// (mpass/integration-development.md, "SAML metadata") when the run reached
// that metadata, so the request is known to be quick. It takes what it needs
// from c now, so that it can run beside the screen without touching c.
func idpFetcher(c *Context) func(context.Context, []netcheck.Result) *idpCert {
	env, data := c.Answers.Env, c.Data
	timeout := c.CheckTimeout
	if timeout <= 0 {
		timeout = idpFetchTimeout
	}
	return func(ctx context.Context, rs []netcheck.Result) *idpCert {
		url := ""
		for _, r := range rs {
			if r.Step != netcheck.StepIdP || r.Env != env || r.Status.Rank() > checks.Warn.Rank() {
				continue
			}
			if s, ok := data.Service(r.Service); ok && s.SignIn {
				url = s.URL(env, "metadata")
			}
		}
		if url == "" {
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		cert, err := export.FetchIdPCertificate(ctx, nil, url)
		if err != nil {
			return nil
		}
		return &idpCert{env: env, cert: cert}
	}
}

// packageIdP is the IdP certificate for a package of the current
// environment, if this run fetched one.
func packageIdP(c *Context) *x509.Certificate {
	if c.IdP == nil || c.IdP.env != c.Answers.Env {
		return nil
	}
	return c.IdP.cert
}
