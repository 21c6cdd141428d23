// Package testpki makes throwaway certificates, keys and .pfx files for
// tests: a CA chain shaped like STISC's, leaves with any defect a verdict
// looks for, and PKCS#12 files written with every go-pkcs12 encoder. Nothing
// here is used outside tests.
package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Encoders are all go-pkcs12 encoders, by name.
var Encoders = map[string]*pkcs12.Encoder{
	"Modern2023":   pkcs12.Modern2023,
	"Modern2026":   pkcs12.Modern2026,
	"LegacyRC2":    pkcs12.LegacyRC2,
	"LegacyDES":    pkcs12.LegacyDES,
	"Passwordless": pkcs12.Passwordless,
}

// STISCOrg is the organisation STISC's CAs carry (with cedilla ş, as issued).
const STISCOrg = "IP Serviciul Tehnologia Informației şi Securitate Cibernetică"

var (
	keyMu    sync.Mutex
	rsaCache = map[int]*rsa.PrivateKey{}
)

// RSAKey returns an RSA key of bits; keys are cached per size and index so
// a test suite generates each only once.
func RSAKey(bits int) *rsa.PrivateKey {
	keyMu.Lock()
	defer keyMu.Unlock()
	if k, ok := rsaCache[bits]; ok {
		return k
	}
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	rsaCache[bits] = k
	return k
}

// NewRSAKey returns a fresh RSA 2048 key (not cached).
func NewRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// ECKey returns a fresh P-256 key.
func ECKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

// Cert is a certificate with its key.
type Cert struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// Chain is a root, an intermediate and a leaf.
type Chain struct {
	Root, Intermediate, Leaf Cert
}

var serial int64 = 0x4000

func nextSerial() *big.Int {
	keyMu.Lock()
	defer keyMu.Unlock()
	serial++
	// 20 bytes, as STISC's serials are.
	b := make([]byte, 20)
	b[0] = 0x23
	v := new(big.Int).SetBytes(b)
	return v.Add(v, big.NewInt(serial))
}

// Issue signs tmpl for pub with parent (nil: self-signed with key).
func Issue(tmpl *x509.Certificate, pub crypto.PublicKey, parent *Cert, key crypto.Signer) Cert {
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = nextSerial()
	}
	p, pk := tmpl, key
	if parent != nil {
		p, pk = parent.Cert, parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p, pub, pk)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return Cert{Cert: c, Key: key}
}

// CA makes a CA certificate named cn in org, signed by parent (nil: root).
func CA(cn, org string, parent *Cert, now time.Time) Cert {
	key := ECKey()
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"MD"}, Organization: []string{org}, CommonName: cn},
		NotBefore:             now.Add(-365 * 24 * time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return Issue(tmpl, key.Public(), parent, key)
}

// LeafTemplate is a system certificate as STISC issues it: RSA, two years,
// digitalSignature+keyEncipherment, serverAuth+clientAuth.
func LeafTemplate(cn string, now time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"MD"}, Organization: []string{"Test System SRL"}, CommonName: cn},
		NotBefore:             now.Add(-30 * 24 * time.Hour),
		NotAfter:              now.Add((2*365 - 30) * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{cn},
	}
}

// STISC makes a chain like STISC's: root, intermediate and a leaf from
// tmpl (nil: LeafTemplate("system.example.md")) with an RSA 2048 key.
func STISC(now time.Time, tmpl *x509.Certificate) Chain {
	return ChainFrom(now, "MDTrustCA Root", STISCOrg, "mdtrustca", tmpl, RSAKey(2048))
}

// ChainFrom makes root, intermediate (named interCN, in org) and a leaf from
// tmpl for key.
func ChainFrom(now time.Time, rootCN, org, interCN string, tmpl *x509.Certificate, key crypto.Signer) Chain {
	root := CA(rootCN, org, nil, now)
	inter := CA(interCN, org, &root, now)
	if tmpl == nil {
		tmpl = LeafTemplate("system.example.md", now)
	}
	leaf := Issue(tmpl, key.Public(), &inter, key)
	return Chain{Root: root, Intermediate: inter, Leaf: leaf}
}

// PFX encodes key, leaf and cas with enc.
func PFX(enc *pkcs12.Encoder, key crypto.Signer, leaf *x509.Certificate, cas []*x509.Certificate, password string) []byte {
	b, err := enc.Encode(key, leaf, cas, password)
	if err != nil {
		panic(err)
	}
	return b
}

// PFX encodes the chain (leaf, intermediate, root) with enc.
func (c Chain) PFX(enc *pkcs12.Encoder, password string) []byte {
	return PFX(enc, c.Leaf.Key, c.Leaf.Cert, []*x509.Certificate{c.Intermediate.Cert, c.Root.Cert}, password)
}

// PEM encodes certificates as PEM blocks.
func PEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// KeyDER is key in PKCS#8 DER: what a test scans written files for.
func KeyDER(key crypto.Signer) []byte {
	b, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	return b
}

// KeyPEM is key as a PEM "PRIVATE KEY" block.
func KeyPEM(key crypto.Signer) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: KeyDER(key)})
}
