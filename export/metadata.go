package export

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"strings"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// SPMetadataFile is where an MPass package keeps the system's SAML metadata.
const SPMetadataFile = "mpass/sp-metadata.xml"

// The paths AGE's MPass library serves by default under ServiceRootUrl
// (Egov.Integrations.MPass.Saml, src/Egov.Integrations.MPass.Saml/
// MPassSamlDefaults.cs: CallbackPath, LogoutRequestPath, LogoutResponsePath).
const (
	DefaultACSPath            = "/mpass-login"
	DefaultLogoutRequestPath  = "/mpass-slo"
	DefaultLogoutResponsePath = "/mpass-logout"
)

// SAML 2.0 names (saml-2.0-os, saml-bindings and saml-core).
const (
	protocolSAML = "urn:oasis:names:tc:SAML:2.0:protocol"
	bindingPOST  = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
	// MPass returns the NameID without a Format (the IDNP or an MPass user
	// name: mpass/api-reference.md, Assertion/Subject/NameID), so the SP
	// asks for none in particular.
	nameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
)

// maxEntityID is entityIDType's maxLength in saml-schema-metadata-2.0.xsd.
const maxEntityID = 1024

// MetadataOptions change the SP metadata.
type MetadataOptions struct {
	// ServiceRoot is the system's root URL (ServiceRootUrl in AGE's
	// library). Empty: ServiceRoot(a).
	ServiceRoot string
}

// ServiceRoot is the system's root URL as AGE's MPass library calls it
// (ServiceRootUrl): the registered LogoutRequest URL without the library's
// default path when it ends in it, else that URL's scheme and host.
func ServiceRoot(a *Answers) string {
	req := a.MPass.LogoutRequestURL
	if l := a.MPass.LogoutFor(a.Env); l != nil && l.Request != "" {
		req = l.Request
	}
	if root, ok := strings.CutSuffix(req, DefaultLogoutRequestPath); ok && isWebURL(root) {
		return root
	}
	u, err := url.Parse(req)
	if err != nil || !isWebURL(req) {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// logoutURLs are the registered single-logout addresses for a.Env.
func logoutURLs(a *Answers) (request, response string) {
	request, response = a.MPass.LogoutRequestURL, a.MPass.LogoutResponseURL
	if l := a.MPass.LogoutFor(a.Env); l != nil && l.Request != "" {
		request, response = l.Request, l.Response
	}
	return request, response
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && safetext.IsSafe(s) &&
		!strings.ContainsAny(s, " \t")
}

// CheckIssuer says what is wrong with an entityID (the SAML Issuer): it is
// an absolute URI without blanks or control characters, at most 1024
// characters long (entityIDType, saml-schema-metadata-2.0.xsd).
func CheckIssuer(s string) error {
	u, err := url.Parse(s)
	switch {
	case strings.TrimSpace(s) == "":
		return checks.Problemf("mpass.issuer.empty")
	case len(s) > maxEntityID:
		return checks.Problemf("mpass.issuer.long", "Max", maxEntityID)
	case err != nil || u.Scheme == "" || !safetext.IsSafe(s) || strings.ContainsAny(s, " \t"):
		return checks.Problemf("mpass.issuer.invalid", "Issuer", s)
	}
	return nil
}

type mdEntity struct {
	XMLName  xml.Name    `xml:"urn:oasis:names:tc:SAML:2.0:metadata EntityDescriptor"`
	EntityID string      `xml:"entityID,attr"`
	SP       mdSP        `xml:"SPSSODescriptor"`
	Org      *mdOrg      `xml:"Organization,omitempty"`
	Contacts []mdContact `xml:"ContactPerson,omitempty"`
}

type mdSP struct {
	AuthnRequestsSigned  bool        `xml:"AuthnRequestsSigned,attr"`
	WantAssertionsSigned bool        `xml:"WantAssertionsSigned,attr"`
	Protocols            string      `xml:"protocolSupportEnumeration,attr"`
	Keys                 []mdKey     `xml:"KeyDescriptor"`
	SLO                  []mdService `xml:"SingleLogoutService"`
	NameIDFormat         []string    `xml:"NameIDFormat"`
	ACS                  []mdIndexed `xml:"AssertionConsumerService"`
}

type mdKey struct {
	Use  string  `xml:"use,attr"`
	Info keyInfo `xml:"http://www.w3.org/2000/09/xmldsig# KeyInfo"`
}

type keyInfo struct {
	Cert string `xml:"http://www.w3.org/2000/09/xmldsig# X509Data>X509Certificate"`
}

type mdService struct {
	Binding          string `xml:"Binding,attr"`
	Location         string `xml:"Location,attr"`
	ResponseLocation string `xml:"ResponseLocation,attr,omitempty"`
}

type mdIndexed struct {
	Binding   string `xml:"Binding,attr"`
	Location  string `xml:"Location,attr"`
	Index     int    `xml:"index,attr"`
	IsDefault bool   `xml:"isDefault,attr"`
}

type mdOrg struct {
	Name    mdLang `xml:"OrganizationName"`
	Display mdLang `xml:"OrganizationDisplayName"`
	URL     mdLang `xml:"OrganizationURL"`
}

type mdLang struct {
	Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Value string `xml:",chardata"`
}

type mdContact struct {
	Type    string   `xml:"contactType,attr"`
	Company string   `xml:"Company,omitempty"`
	Given   string   `xml:"GivenName,omitempty"`
	Email   []string `xml:"EmailAddress,omitempty"`
	Phone   []string `xml:"TelephoneNumber,omitempty"`
}

// SPMetadata is the system's SAML 2.0 metadata for MPass: an
// EntityDescriptor whose entityID is the Issuer (a.MPass.Issuer), with an
// SPSSODescriptor that signs its requests (AuthnRequestsSigned="true", as
// MPass requires: mpass/api-reference.md, AuthnRequest/Signature), leaf as
// the signing key, the AssertionConsumerService (HTTP-POST) at the
// library's CallbackPath, the SingleLogoutService with the registered
// LogoutRequest (Location) and LogoutResponse (ResponseLocation) URLs, and
// the organisation and its contact. Outside text is XML-escaped by
// encoding/xml and, in free-text fields, made visible by safetext.Line.
func SPMetadata(a *Answers, leaf *x509.Certificate, opt MetadataOptions) ([]byte, error) {
	if err := CheckIssuer(a.MPass.Issuer); err != nil {
		return nil, err
	}
	if leaf == nil {
		return nil, checks.Problemf("answers.no_certificate")
	}
	root := strings.TrimRight(opt.ServiceRoot, "/")
	if root == "" {
		root = ServiceRoot(a)
	}
	if !isWebURL(root) {
		return nil, checks.Problemf("mpass.metadata.no_root")
	}
	req, resp := logoutURLs(a)
	if !isWebURL(req) || !isWebURL(resp) {
		return nil, checks.Problemf("mpass.metadata.no_logout")
	}
	e := mdEntity{
		EntityID: a.MPass.Issuer,
		SP: mdSP{
			AuthnRequestsSigned: true, WantAssertionsSigned: true, Protocols: protocolSAML,
			Keys:         []mdKey{{Use: "signing", Info: keyInfo{Cert: base64.StdEncoding.EncodeToString(leaf.Raw)}}},
			SLO:          []mdService{{Binding: bindingPOST, Location: req, ResponseLocation: resp}},
			NameIDFormat: []string{nameIDUnspecified},
			ACS:          []mdIndexed{{Binding: bindingPOST, Location: root + DefaultACSPath, Index: 0, IsDefault: true}},
		},
	}
	o := a.Organization
	if name := safetext.Line(strings.TrimSpace(o.Name)); name != "" {
		e.Org = &mdOrg{Name: mdLang{"ro", name}, Display: mdLang{"ro", name}, URL: mdLang{"ro", root}}
	}
	if c := contact(o); c != nil {
		e.Contacts = []mdContact{*c}
	}
	b, err := xml.MarshalIndent(e, "", "  ")
	if err != nil {
		return nil, err
	}
	out := append([]byte(xml.Header), b...)
	return append(out, '\n'), nil
}

// contact is the organisation's technical contact, nil when none is known.
func contact(o Organization) *mdContact {
	c := &mdContact{Type: "technical", Company: safetext.Line(strings.TrimSpace(o.Name)),
		Given: safetext.Line(strings.TrimSpace(o.ContactName))}
	if e := strings.TrimSpace(o.ContactEmail); e != "" && safetext.IsSafe(e) {
		c.Email = []string{"mailto:" + e}
	}
	if p := strings.TrimSpace(o.ContactPhone); p != "" {
		c.Phone = []string{safetext.Line(p)}
	}
	if c.Company == "" && c.Given == "" && c.Email == nil && c.Phone == nil {
		return nil
	}
	return c
}

// addKit adds to a package the configuration for AGE's libraries, MPass's
// IdP certificate when it was fetched and, for MPass with a known Issuer and
// certificate, the SP metadata. A metadata
// the answers cannot make yet (no logout URL for this environment) is left
// out; an Issuer that is not a URI stops the build.
func (p *pkg) addKit() error {
	if b := AppSettings(p.a, p.d, MetadataOptions{}); b != nil {
		p.add(AppSettingsFile, b)
	}
	if p.a.Has("mpass") && p.idp != nil {
		svc, _ := p.d.Service("mpass")
		p.add("mpass/"+IdPCertificateFile(p.a.Env), p.idp.Raw)
		p.add("mpass/"+strings.TrimSuffix(IdPCertificateFile(p.a.Env), ".cer")+".txt",
			IdPCertificateNote(p.idp, p.a.Env, svc.URL(p.a.Env, "metadata")))
	}
	if !p.a.Has("mpass") || p.leaf == nil || p.a.MPass.Issuer == "" {
		return nil
	}
	if err := CheckIssuer(p.a.MPass.Issuer); err != nil {
		return err
	}
	if b, err := SPMetadata(p.a, p.leaf, MetadataOptions{}); err == nil {
		p.add(SPMetadataFile, b)
	}
	return nil
}
