// Package keygen makes a system's key pair on this machine: an RSA key with
// either a self-signed certificate for MPass on the test environment or a
// PKCS#10 request for STISC, and writes the key once, encrypted as PKCS#12.
// The key stays in memory and in that one file: nothing here logs it or
// writes it anywhere else. It never imports a user interface.
package keygen

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/checks"
)

// Kinds of key pair New makes.
const (
	// KindMPassTest is a self-signed certificate for MPass on the test
	// environment, which accepts "a self-signed or any existing certificate"
	// (egov4dev docs/guides/mpass/integration-development.md, "Service
	// registration"; mpass/index.md, "Quick start").
	KindMPassTest = "mpass-test"
	// KindSTISC is a PKCS#10 request for STISC's system certificate, which
	// MSign, MPower and production need (seed 002 §4; the order form is
	// https://semnatura.md/order/system-certificate, mpass/process2.md).
	KindSTISC = "stisc"
)

// STISCOrderURL is STISC's online order for a system certificate, to which
// the request is attached (egov4dev docs/guides/mpass/process2.md,
// mpay/integration-development.md).
const STISCOrderURL = "https://semnatura.md/order/system-certificate"

// Key sizes. RSA only: AGE's MPass library signs SAML requests with an RSA
// key (Egov.Integrations.MPass.Saml, MPassSamlProtocolMessage.cs, SignAndEncode).
const (
	DefaultBits = 3072
	MinBits     = 2048
)

// Validity is how long the self-signed MPass test certificate lasts: two
// years, like the certificates in AGE's samples.
const Validity = 2 * 365 * 24 * time.Hour

// PlaceholderValidity is how long the placeholder certificate beside a
// request's key lasts; it only carries the key until `cert pair` replaces it.
const PlaceholderValidity = 90 * 24 * time.Hour

// PlaceholderOU marks the placeholder certificate in its subject, so that
// neither a person nor egovsetup takes it for a system certificate.
const PlaceholderOU = "PLACEHOLDER - not a system certificate; replace with `egovsetup cert pair`"

// oidOrganizationIdentifier is X.520 organizationIdentifier (2.5.4.97).
var oidOrganizationIdentifier = asn1.ObjectIdentifier{2, 5, 4, 97}

// X.520 attribute types of the request's subject.
var (
	oidCountry      = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidOrganization = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidCommonName   = asn1.ObjectIdentifier{2, 5, 4, 3}
)

// Options say what to make.
type Options struct {
	Kind string // KindMPassTest or KindSTISC
	Bits int    // 0: DefaultBits
	// CommonName is the system's host name (e.g. portal.example.md).
	CommonName string
	// Organization and IDNO name the owner (KindSTISC). LegalEntity adds the
	// IDNO as organizationIdentifier NTRMD-<IDNO>.
	Organization string
	IDNO         string
	LegalEntity  bool
	Now          time.Time // zero: time.Now()
	Rand         io.Reader // nil: crypto/rand
}

// Result is a new key pair. Key is the private key, in memory only.
type Result struct {
	Key *rsa.PrivateKey
	// Cert is the self-signed certificate (KindMPassTest) or the
	// placeholder that carries the key in its PKCS#12 file (KindSTISC).
	Cert *x509.Certificate
	// Placeholder is true when Cert is only the key's carrier.
	Placeholder bool
	// Request is the PKCS#10 request in PEM (KindSTISC only).
	Request []byte
}

// New generates an RSA key and the certificate or request opts asks for.
func New(opts Options) (*Result, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	bits := opts.Bits
	if bits == 0 {
		bits = DefaultBits
	}
	key, err := rsa.GenerateKey(opts.Rand, bits)
	if err != nil {
		return nil, err
	}
	r := &Result{Key: key}
	if opts.Kind == KindMPassTest {
		r.Cert, err = selfSigned(opts, key, pkix.Name{CommonName: opts.CommonName}, Validity)
		return r, err
	}
	subject, err := asn1.Marshal(opts.subject())
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(opts.Rand, &x509.CertificateRequest{
		RawSubject: subject, DNSNames: []string{opts.CommonName}, SignatureAlgorithm: x509.SHA256WithRSA,
	}, key)
	if err != nil {
		return nil, err
	}
	r.Request = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
	holder := pkix.Name{CommonName: opts.CommonName, OrganizationalUnit: []string{PlaceholderOU}}
	r.Cert, err = selfSigned(opts, key, holder, PlaceholderValidity)
	r.Placeholder = true
	return r, err
}

// Check says what is wrong with the options (a *checks.Problem), before
// any key is made; it normalises the IDNO.
func (o *Options) Check() error {
	switch o.Kind {
	case KindMPassTest, KindSTISC:
	default:
		return checks.Problemf("cert.new.kind", "Kind", o.Kind)
	}
	switch o.Bits {
	case 0, 2048, 3072, 4096:
	default:
		return checks.Problemf("cert.new.bits", "Bits", o.Bits)
	}
	if !IsHostName(o.CommonName) {
		return checks.Problemf("cert.new.host", "Host", o.CommonName)
	}
	if o.Kind == KindSTISC {
		if strings.TrimSpace(o.Organization) == "" {
			return checks.Problemf("cert.new.org")
		}
		if o.LegalEntity {
			idno, err := checks.ValidateIDNO(o.IDNO)
			if err != nil {
				return err
			}
			o.IDNO = idno
		}
	}
	return nil
}

// subject is the request's subject for STISC: C=MD, O=<organisation>,
// organizationIdentifier=NTRMD-<IDNO> for a legal entity, CN=<host name>.
//
// AGE's documents (seeds 000 and 002, egov4dev docs/guides) and STISC's order
// page link say nothing about the fields of a system certificate's subject.
// The organizationIdentifier form is ETSI EN 319 412-1 §5.1.4 (semantics
// identifier "NTR": national trade register, then the country code MD, a
// dash and the registration number, here the IDNO); the other fields are the
// ones a system certificate usually has.
func (o *Options) subject() pkix.RDNSequence {
	rdn := func(oid asn1.ObjectIdentifier, v string) pkix.RelativeDistinguishedNameSET {
		return pkix.RelativeDistinguishedNameSET{{Type: oid, Value: v}}
	}
	// In the usual order, from the country down to the name.
	seq := pkix.RDNSequence{
		rdn(oidCountry, "MD"),
		rdn(oidOrganization, strings.TrimSpace(o.Organization)),
	}
	if o.LegalEntity {
		seq = append(seq, rdn(oidOrganizationIdentifier, "NTRMD-"+o.IDNO))
	}
	return append(seq, rdn(oidCommonName, o.CommonName))
}

// selfSigned makes the profile of AGE's sample certificates: CA:FALSE,
// digitalSignature + keyEncipherment, serverAuth + clientAuth, a 20-byte
// random serial, the host name as CN and DNS name.
func selfSigned(o Options, key *rsa.PrivateKey, subject pkix.Name, validity time.Duration) (*x509.Certificate, error) {
	serial, err := randomSerial(o.Rand)
	if err != nil {
		return nil, err
	}
	start := o.Now.Add(-5 * time.Minute).UTC().Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             start,
		NotAfter:              start.Add(validity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  false,
		DNSNames:              []string{o.CommonName},
		SignatureAlgorithm:    x509.SHA256WithRSA,
	}
	der, err := x509.CreateCertificate(o.Rand, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// randomSerial is a positive 20-byte serial (RFC 5280 §4.1.2.2 allows at
// most 20 octets): the top bit is cleared so it stays positive and the next
// one set so it keeps all 20 bytes.
func randomSerial(r io.Reader) (*big.Int, error) {
	b := make([]byte, 20)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	b[0] = b[0]&0x7f | 0x40
	return new(big.Int).SetBytes(b), nil
}

// IsHostName reports whether s is a DNS host name (letters, digits, dashes
// and dots, labels of 1–63 characters, at most 253 in all).
func IsHostName(s string) bool {
	if s == "" || len(s) > 253 || strings.HasSuffix(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if !isLabel(label) {
			return false
		}
	}
	return true
}

// isLabel reports whether s is one DNS label: 1–63 letters, digits and
// dashes, not starting or ending with a dash.
func isLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// IsPlaceholder reports whether c is the placeholder New puts beside a
// request's key.
func IsPlaceholder(c *x509.Certificate) bool {
	for _, ou := range c.Subject.OrganizationalUnit {
		if ou == PlaceholderOU {
			return true
		}
	}
	return false
}

// Matches reports whether pub is the public half of key.
func Matches(key crypto.PrivateKey, pub crypto.PublicKey) bool {
	k, ok := key.(interface{ Public() crypto.PublicKey })
	if !ok {
		return false
	}
	eq, ok := k.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(pub)
}
