package export

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
)

// NewCertificate is the certificate l as the answers keep it: its DER, the
// file it came from and whether it is the demonstration certificate.
func NewCertificate(l *cert.Loaded) *Certificate {
	return &Certificate{File: l.Path, DER: bytes.Clone(l.Leaf.Raw), Demo: l.Demo}
}

// SerialCertificate is a certificate AGE already has, named by the serial
// the user gave (upper-case hex).
func SerialCertificate(serialHex string) *Certificate {
	return &Certificate{SerialOnly: true, Serial: serialHex}
}

// Parse returns the certificate the answers keep.
func (c *Certificate) Parse() (*x509.Certificate, error) {
	if c == nil || len(c.DER) == 0 {
		return nil, checks.Problemf("answers.no_certificate")
	}
	leaf, err := x509.ParseCertificate(c.DER)
	if err != nil {
		return nil, checks.Problemf("answers.bad_certificate", "Err", err.Error()).Wrap(err)
	}
	return leaf, nil
}

// Loaded is the kept certificate as a loaded one without a key (a resumed
// run or a rebuild has only the public part), or nil if there is none.
func (c *Certificate) Loaded() *cert.Loaded {
	leaf, err := c.Parse()
	if err != nil {
		return nil
	}
	return &cert.Loaded{Leaf: leaf, Format: "der", Path: c.File, Demo: c.Demo}
}

// SerialHex is the serial in upper-case hex: the certificate's own, or for a
// serial-only certificate the one the user gave ("" when none is known).
func (c *Certificate) SerialHex() string {
	if c == nil {
		return ""
	}
	if leaf, err := c.Parse(); err == nil {
		return cert.SerialHex(leaf)
	}
	if h, _, err := checks.ValidateSerial(c.Serial); err == nil {
		return h
	}
	return c.Serial
}

// SerialDecimal is the serial in decimal ("" when it is not known).
func (c *Certificate) SerialDecimal() string {
	if c == nil {
		return ""
	}
	if leaf, err := c.Parse(); err == nil {
		return leaf.SerialNumber.String()
	}
	_, dec, _ := checks.ValidateSerial(c.Serial)
	return dec
}

// SHA256 is the fingerprint of the DER in upper-case hex ("" without one).
func (c *Certificate) SHA256() string {
	if c == nil || len(c.DER) == 0 {
		return ""
	}
	sum := sha256.Sum256(c.DER)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// certificateJSON is every field a certificate was ever written with:
// version 2 (der, serial) and version 1 (pem and the facts derived from it,
// which are read and dropped).
type certificateJSON struct {
	File       string `json:"file,omitempty"`
	DER        []byte `json:"der,omitempty"`
	Demo       bool   `json:"demo,omitempty"`
	SerialOnly bool   `json:"serial_only,omitempty"`
	Serial     string `json:"serial,omitempty"`

	// Schema 1.
	PEM           string     `json:"pem,omitempty"`
	Subject       string     `json:"subject,omitempty"`
	Issuer        string     `json:"issuer,omitempty"`
	SerialHex     string     `json:"serial_hex,omitempty"`
	SerialDecimal string     `json:"serial_decimal,omitempty"`
	NotBefore     *time.Time `json:"not_before,omitempty"`
	NotAfter      *time.Time `json:"not_after,omitempty"`
	SHA256        string     `json:"sha256,omitempty"`
}

// UnmarshalJSON reads a certificate of either schema. A version 1
// certificate's PEM becomes its DER; its serial (the only fact a
// serial-only certificate had) becomes Serial; the other facts are the
// DER's and are derived again. Unknown fields are refused as elsewhere.
func (c *Certificate) UnmarshalJSON(b []byte) error {
	var j certificateJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*c = Certificate{File: j.File, DER: j.DER, Demo: j.Demo, SerialOnly: j.SerialOnly, Serial: j.Serial}
	if len(c.DER) == 0 && j.PEM != "" {
		blk, _ := pem.Decode([]byte(j.PEM))
		if blk == nil || blk.Type != "CERTIFICATE" {
			return checks.Problemf("answers.bad_certificate", "Err", "PEM")
		}
		c.DER = blk.Bytes
	}
	if c.Serial == "" && len(c.DER) == 0 {
		c.Serial = j.SerialHex
	}
	return nil
}

// CertificateFacts are the facts derived from a kept certificate, as a
// summary shows them.
type CertificateFacts struct {
	File          string    `json:"file,omitempty"`
	Subject       string    `json:"subject,omitempty"`
	Issuer        string    `json:"issuer,omitempty"`
	SerialHex     string    `json:"serial_hex"`
	SerialDecimal string    `json:"serial_decimal,omitempty"`
	NotBefore     time.Time `json:"not_before,omitzero"`
	NotAfter      time.Time `json:"not_after,omitzero"`
	SHA256        string    `json:"sha256,omitempty"`
	Demo          bool      `json:"demo,omitempty"`
	SerialOnly    bool      `json:"serial_only,omitempty"`
}

// Facts derives the certificate's facts (nil for no certificate).
func (c *Certificate) Facts() *CertificateFacts {
	if c == nil {
		return nil
	}
	f := &CertificateFacts{File: c.File, SerialHex: c.SerialHex(), SerialDecimal: c.SerialDecimal(),
		SHA256: c.SHA256(), Demo: c.Demo, SerialOnly: c.SerialOnly}
	if leaf, err := c.Parse(); err == nil {
		f.Subject, f.Issuer = leaf.Subject.String(), leaf.Issuer.String()
		f.NotBefore, f.NotAfter = leaf.NotBefore.UTC(), leaf.NotAfter.UTC()
	}
	return f
}
