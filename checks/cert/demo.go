package cert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

// DemoMarker is in the subject of every demonstration certificate, so any
// file made from one says so.
const DemoMarker = "DEMO"

// Demo makes a demonstration certificate in memory: a CA and a leaf shaped
// like a STISC system certificate (RSA 2048, SHA-256, clientAuth, two years),
// both named DEMO. It lets a new user walk every step without a real
// certificate; it is never to be registered.
func Demo(now time.Time) (*Loaded, error) {
	if now.IsZero() {
		now = time.Now()
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          serial20(),
		Subject:               pkix.Name{Country: []string{"MD"}, Organization: []string{"DEMO egovsetup"}, CommonName: "DEMO CA — not for registration"},
		NotBefore:             now.Add(-60 * 24 * time.Hour),
		NotAfter:              now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial20(),
		Subject: pkix.Name{Country: []string{"MD"}, Organization: []string{"DEMO egovsetup"},
			CommonName: "DEMO system certificate — not for registration"},
		NotBefore:             now.Add(-30 * 24 * time.Hour),
		NotAfter:              now.Add((2*365 - 30) * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"demo.egovsetup.invalid"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Loaded{Leaf: leaf, Chain: []*x509.Certificate{ca}, Format: "demo", Demo: true, key: key}, nil
}

// serial20 is a random positive 20-byte serial, as STISC issues.
func serial20() *big.Int {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	b[0] = b[0]&0x7f | 0x40
	return new(big.Int).SetBytes(b)
}
