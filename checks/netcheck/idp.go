package netcheck

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
)

// idpWarnDays: an IdP signing certificate expiring sooner is announced, so
// the integrator can take the new one in time.
const idpWarnDays = 60

// samlMetadata is the part of SAML 2.0 metadata (an EntityDescriptor, or
// an EntitiesDescriptor holding one) the check reads: the IdP's key
// descriptors.
type samlMetadata struct {
	XMLName  xml.Name
	EntityID string           `xml:"entityID,attr"`
	IdP      []idpDescriptor  `xml:"IDPSSODescriptor"`
	Entities []entityMetadata `xml:"EntityDescriptor"`
}

type entityMetadata struct {
	EntityID string          `xml:"entityID,attr"`
	IdP      []idpDescriptor `xml:"IDPSSODescriptor"`
}

type idpDescriptor struct {
	Keys []struct {
		Use   string   `xml:"use,attr"`
		Certs []string `xml:"KeyInfo>X509Data>X509Certificate"`
	} `xml:"KeyDescriptor"`
}

var errNoIdP = errors.New("no IDPSSODescriptor")

// IdPSigningCerts parses SAML IdP metadata and returns its signing
// certificates (KeyDescriptor use="signing", or without use).
func IdPSigningCerts(body []byte) ([]*x509.Certificate, error) {
	var md samlMetadata
	dec := xml.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&md); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("not an XML document")
		}
		return nil, err
	}
	if md.XMLName.Local != "EntityDescriptor" && md.XMLName.Local != "EntitiesDescriptor" {
		return nil, errors.New("the document is <" + md.XMLName.Local + ">, not SAML metadata")
	}
	idps := md.IdP
	for _, e := range md.Entities {
		idps = append(idps, e.IdP...)
	}
	if len(idps) == 0 {
		return nil, errNoIdP
	}
	var out []*x509.Certificate
	for _, idp := range idps {
		for _, k := range idp.Keys {
			if k.Use != "" && k.Use != "signing" {
				continue
			}
			for _, b64 := range k.Certs {
				der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(b64), ""))
				if err != nil {
					return nil, err
				}
				c, err := x509.ParseCertificate(der)
				if err != nil {
					return nil, err
				}
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// idpStage checks MPass's metadata: that it parses, its signing
// certificate's subject, expiry and fingerprint, and that it is the one
// configured.
func (p *probe) idpStage(ctx context.Context) (outcome, bool) {
	resp, body, _, _ := p.exchange(ctx)
	url := p.shown + p.t.Probe
	if resp.StatusCode != http.StatusOK {
		return result(StepIdP, checks.Skip, 0, m("net.idp.no_metadata", "URL", url, "Status", shortStatus(resp)), assets.Text{}), true
	}
	certs, err := IdPSigningCerts(body)
	if err != nil {
		if len(body) >= maxBodyBytes {
			err = errors.New("larger than 64 KiB")
		}
		return result(StepIdP, checks.Fail, 0, m("net.idp.unparsable", "URL", url, "Err", short(err.Error())), m("net.idp.unparsable.remedy")).because(causeIdP), true
	}
	if len(certs) == 0 {
		return result(StepIdP, checks.Fail, 0, m("net.idp.no_cert", "URL", url), m("net.idp.unparsable.remedy")).because(causeIdP), true
	}
	c := certs[0]
	if want := p.opt.IdPCert; want != nil {
		match := false
		for _, mc := range certs {
			if bytes.Equal(mc.Raw, want.Raw) {
				c, match = mc, true
			}
		}
		if !match {
			return result(StepIdP, checks.Fail, 0, m("net.idp.differs", "Configured", cert.Fingerprint(want), "Subject", c.Subject.String(), "SHA256", cert.Fingerprint(c)),
				m("net.idp.differs.remedy", "URL", url)).because(causeIdP), true
		}
	}
	args := []any{"Subject", c.Subject.String(), "Date", c.NotAfter.UTC().Format("2006-01-02"), "SHA256", cert.Fingerprint(c)}
	left := c.NotAfter.Sub(p.opt.Now())
	switch {
	case left <= 0:
		return result(StepIdP, checks.Fail, 0, m("net.idp.expired", args...), m("net.idp.expired.remedy")).because(causeIdP), true
	case left < idpWarnDays*24*time.Hour:
		return result(StepIdP, checks.Warn, 0, m("net.idp.expiring", append(args, "Days", int(left/(24*time.Hour)))...), m("net.idp.expiring.remedy", "URL", url)), true
	default:
		return result(StepIdP, checks.Pass, 0, m("net.idp.ok", args...), assets.Text{}), true
	}
}
