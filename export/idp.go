package export

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/internal/redact"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// MaxIdPMetadata bounds the MPass IdP metadata read (AGE's is a few KiB).
const MaxIdPMetadata = 256 << 10

// FetchIdPCertificate reads the MPass IdP's SAML metadata at metadataURL
// (the service's /meta/saml: mpass/integration-development.md, "SAML
// metadata") and returns its first signing certificate. A nil client is
// http.Client's default; ctx bounds the whole exchange.
func FetchIdPCertificate(ctx context.Context, client *http.Client, metadataURL string) (*x509.Certificate, error) {
	if client == nil {
		client = &http.Client{}
	}
	shown := safetext.Line(redact.URL(metadataURL))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, metadataURL, nil)
	if err != nil {
		return nil, checks.Problemf("mpass.idp.fetch", "URL", shown, "Err", safetext.Line(err.Error()))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, checks.Problemf("mpass.idp.fetch", "URL", shown, "Err", safetext.Line(redact.URL(err.Error())))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, checks.Problemf("mpass.idp.status", "URL", shown, "Status", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxIdPMetadata+1))
	if err == nil && len(body) > MaxIdPMetadata {
		err = fmt.Errorf("larger than %d KiB", MaxIdPMetadata>>10)
	}
	if err != nil {
		return nil, checks.Problemf("mpass.idp.unparsable", "URL", shown, "Err", safetext.Line(err.Error()))
	}
	certs, err := netcheck.IdPSigningCerts(body)
	if err != nil {
		return nil, checks.Problemf("mpass.idp.unparsable", "URL", shown, "Err", safetext.Line(err.Error()))
	}
	if len(certs) == 0 {
		return nil, checks.Problemf("mpass.idp.no_cert", "URL", shown)
	}
	return certs[0], nil
}

// IdPCertificateNote is the text beside the IdP certificate in a package:
// where it came from, its subject, validity and SHA-256 fingerprint.
func IdPCertificateNote(c *x509.Certificate, env, metadataURL string) []byte {
	return fmt.Appendf(nil, "MPass IdP signing certificate, %s environment\nFrom: %s\nSubject: %s\nValid until: %s\nSHA-256: %s\n\n"+
		"Configure it as IdentityProviderCertificatePath (Egov.Integrations.MPass.Saml).\n",
		env, safetext.Line(redact.URL(metadataURL)), safetext.Line(c.Subject.String()), c.NotAfter.UTC().Format("2006-01-02"), cert.Fingerprint(c))
}
