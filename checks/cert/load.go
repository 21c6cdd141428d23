// Package cert loads a system's authentication certificate from the files
// integrators really have (.pfx/.p12, DER .cer/.crt/.der, PEM) and judges it
// against what AGE's platforms need. The private key, when a file holds one,
// stays in memory: nothing here writes it, logs it or puts it in an error.
package cert

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// Loaded is a certificate read from a file: the leaf, the other certificates the
// file carried, and, for a PKCS#12 file, the private key (kept unexported).
type Loaded struct {
	Leaf  *x509.Certificate
	Chain []*x509.Certificate
	// Format is "pkcs12", "der" or "pem".
	Format string
	// Path is the file it came from ("" for the demo certificate).
	Path string
	// Demo marks the built-in demonstration certificate.
	Demo bool

	key crypto.PrivateKey
}

// HasKey reports whether the file held a private key.
func (l *Loaded) HasKey() bool { return l.key != nil }

// TLSCertificate returns the leaf, its chain and the in-memory private key for
// a TLS client; ok is false when the file held no key.
func (l *Loaded) TLSCertificate() (c tls.Certificate, ok bool) {
	if l.key == nil {
		return tls.Certificate{}, false
	}
	c.Certificate = [][]byte{l.Leaf.Raw}
	for _, ca := range l.Chain {
		c.Certificate = append(c.Certificate, ca.Raw)
	}
	c.PrivateKey = l.key
	c.Leaf = l.Leaf
	return c, true
}

// ErrPasswordIncorrect means the PKCS#12 password is wrong.
var ErrPasswordIncorrect = errors.New("password incorrect")

// LoadFile reads and loads the certificate file at path.
func LoadFile(ctx context.Context, path, password string) (*Loaded, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	l, err := Load(ctx, b, password)
	if err != nil {
		return nil, err
	}
	l.Path = path
	return l, nil
}

// Load reads a certificate from data: PKCS#12 (with password), DER or PEM.
func Load(ctx context.Context, data []byte, password string) (*Loaded, error) {
	if blk, _ := pem.Decode(data); blk != nil {
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		return &Loaded{Leaf: c, Format: "pem"}, nil
	}
	if c, err := x509.ParseCertificate(data); err == nil {
		return &Loaded{Leaf: c, Format: "der"}, nil
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return nil, ErrPasswordIncorrect
	}
	if err != nil {
		return nil, err
	}
	return &Loaded{Leaf: leaf, Chain: chain, Format: "pkcs12", key: key}, nil
}
