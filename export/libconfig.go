package export

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/redact"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// AppSettingsFile is where a package keeps the configuration sections for
// AGE's .NET integration libraries.
const AppSettingsFile = "config/appsettings.json"

// Placeholders the integrator replaces in the configuration. The password
// is never written: .NET reads the key "Certificate:Password" from the
// environment variable Certificate__Password or a secret store as well.
const (
	PlaceholderPFX         = "<path to the system's .pfx>"
	PlaceholderPassword    = "<never store it here: set the environment variable Certificate__Password>"
	PlaceholderIssuer      = "<the system's SAML Issuer (entityID)>"
	PlaceholderServiceRoot = "<the system's root URL, e.g. https://portal.example.md>"
)

// IdPCertificateFile is the name the package and `mpass idp-cert` give the
// MPass IdP's signing certificate of env.
func IdPCertificateFile(env string) string { return "mpass-idp-" + env + ".cer" }

// certificateSection is read by Egov.Extensions.Configuration's
// AddSystemCertificate (src/Egov.Extensions.Configuration/
// SystemCertificateOptions.cs: Path, Password), which both libraries'
// samples bind to the section "Certificate" (src/Test/Program.cs).
type certificateSection struct {
	Path     string `json:"Path"`
	Password string `json:"Password"`
}

// mpassSection is Egov.Integrations.MPass.Saml's MPassSamlOptions
// (src/Egov.Integrations.MPass.Saml/MPassSamlOptions.cs), bound to the
// section "MPassSaml" in its sample (src/Test/Program.cs,
// src/Test/appsettings.Development.json). LogoutRequestPath and
// LogoutResponsePath are set only when the registered logout URLs are not
// the library's defaults (MPassSamlDefaults.cs: /mpass-slo, /mpass-logout).
type mpassSection struct {
	SamlRequestIssuer               string `json:"SamlRequestIssuer"`
	IdentityProviderCertificatePath string `json:"IdentityProviderCertificatePath"`
	SamlLoginDestination            string `json:"SamlLoginDestination"`
	SamlLogoutDestination           string `json:"SamlLogoutDestination"`
	ServiceRootUrl                  string `json:"ServiceRootUrl"`
	LogoutRequestPath               string `json:"LogoutRequestPath,omitempty"`
	LogoutResponsePath              string `json:"LogoutResponsePath,omitempty"`
}

// msignSection is Egov.Integrations.MSign.Soap's MSignSoapOptions
// (src/Egov.Integrations.MSign.Soap/MSignSoapOptions.cs: ApiAddress,
// FrontendAddress, ServiceRootUrl), bound to the section "MSignSoap" in its
// sample (src/Test/Program.cs, src/Test/appsettings.Development.json).
type msignSection struct {
	ApiAddress      string `json:"ApiAddress"`
	FrontendAddress string `json:"FrontendAddress"`
	ServiceRootUrl  string `json:"ServiceRootUrl"`
}

type appSettings struct {
	Certificate certificateSection `json:"Certificate"`
	MPassSaml   *mpassSection      `json:"MPassSaml,omitempty"`
	MSignSoap   *msignSection      `json:"MSignSoap,omitempty"`
}

// AppSettings is an appsettings.json with the sections AGE's libraries read
// for the services chosen among MPass and MSign, filled with the
// environment's endpoints (assets/services.yaml), the Issuer and the service
// root URL (a password in a data file's base URL is masked, as everywhere
// in a package); what egovsetup cannot know is a placeholder. It returns nil when
// neither service was chosen.
func AppSettings(a *Answers, d *assets.Data, opt MetadataOptions) []byte {
	if d == nil {
		d = assets.Embedded()
	}
	root := strings.TrimRight(opt.ServiceRoot, "/")
	if root == "" {
		root = ServiceRoot(a)
	}
	if !isWebURL(root) {
		root = PlaceholderServiceRoot
	}
	s := appSettings{Certificate: certificateSection{Path: PlaceholderPFX, Password: PlaceholderPassword}}
	if svc, ok := d.Service("mpass"); ok && a.Has("mpass") {
		issuer := a.MPass.Issuer
		if CheckIssuer(issuer) != nil {
			issuer = PlaceholderIssuer
		}
		m := &mpassSection{
			SamlRequestIssuer:               issuer,
			IdentityProviderCertificatePath: IdPCertificateFile(a.Env),
			SamlLoginDestination:            redact.URL(svc.URL(a.Env, "sso")),
			SamlLogoutDestination:           redact.URL(svc.URL(a.Env, "slo")),
			ServiceRootUrl:                  root,
		}
		req, resp := logoutURLs(a)
		m.LogoutRequestPath = pathUnder(root, req, DefaultLogoutRequestPath)
		m.LogoutResponsePath = pathUnder(root, resp, DefaultLogoutResponsePath)
		s.MPassSaml = m
	}
	if svc, ok := d.Service("msign"); ok && a.Has("msign") {
		s.MSignSoap = &msignSection{
			ApiAddress:      redact.URL(svc.URL(a.Env, "api")),
			FrontendAddress: redact.URL(svc.Env[a.Env].UserPage),
			ServiceRootUrl:  root,
		}
	}
	if s.MPassSaml == nil && s.MSignSoap == nil {
		return nil
	}
	// Placeholders keep their < >: the file is read by people and .NET, not
	// embedded in HTML.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(s) // strings only: cannot fail
	return safetext.JSON(buf.Bytes())
}

// pathUnder is u's path below root when it differs from the library's
// default def; "" when it is the default or u is not under root.
func pathUnder(root, u, def string) string {
	p, ok := strings.CutPrefix(u, root)
	if !ok || p == def || !strings.HasPrefix(p, "/") {
		return ""
	}
	return p
}
