package netcheck

import (
	"bytes"
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

// idp checks MPass's metadata: that it parses, its signing certificate's
// subject, expiry and fingerprint, and that it is the one configured.
func (p *probe) idp(resp *http.Response, body []byte) {
	url := p.shown + p.t.Probe
	if resp.StatusCode != http.StatusOK {
		p.add(StepIdP, checks.Skip, 0, m("idp.no_metadata", "URL", url, "Status", shortStatus(resp)), assets.Text{})
		return
	}
	certs, err := IdPSigningCerts(body)
	if err != nil {
		if len(body) >= maxBodyBytes {
			err = errors.New("larger than 64 KiB")
		}
		p.addCause(StepIdP, checks.Fail, 0, m("idp.unparsable", "URL", url, "Err", short(err.Error())), m("idp.unparsable.remedy"), causeIdP)
		return
	}
	if len(certs) == 0 {
		p.addCause(StepIdP, checks.Fail, 0, m("idp.no_cert", "URL", url), m("idp.unparsable.remedy"), causeIdP)
		return
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
			p.addCause(StepIdP, checks.Fail, 0, m("idp.differs", "Configured", cert.Fingerprint(want), "Subject", c.Subject.String(), "SHA256", cert.Fingerprint(c)),
				m("idp.differs.remedy", "URL", url), causeIdP)
			return
		}
	}
	args := []any{"Subject", c.Subject.String(), "Date", c.NotAfter.UTC().Format("2006-01-02"), "SHA256", cert.Fingerprint(c)}
	left := c.NotAfter.Sub(p.opt.Now())
	switch {
	case left <= 0:
		p.addCause(StepIdP, checks.Fail, 0, m("idp.expired", args...), m("idp.expired.remedy"), causeIdP)
	case left < idpWarnDays*24*time.Hour:
		p.add(StepIdP, checks.Warn, 0, m("idp.expiring", append(args, "Days", int(left/(24*time.Hour)))...), m("idp.expiring.remedy", "URL", url))
	default:
		p.add(StepIdP, checks.Pass, 0, m("idp.ok", args...), assets.Text{})
	}
}
