// Package cert loads a system's authentication certificate from the files
// integrators really have (.pfx/.p12, DER .cer/.crt/.der, PEM) and judges it
// against what AGE's platforms need. The private key, when a file holds one,
// stays in memory: nothing here writes it, logs it or puts it in an error.
package cert

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/checks"
)

// MaxFileSize is the largest certificate file read (real ones are a few KiB).
const MaxFileSize = 1 << 20

// MaxIterations bounds the PKCS#12 key-derivation iteration counts (MAC and
// encryption) accepted before decoding: real files use 1 to a few hundred
// thousand; a file asking for more would keep a CPU busy for minutes.
const MaxIterations = 2_000_000

// Loaded is a certificate read from a file: the leaf, the other certificates the
// file carried, and, for a PKCS#12 file, the private key (kept unexported).
type Loaded struct {
	Leaf *x509.Certificate
	// Chain holds the file's other certificates, the leaf excluded.
	Chain []*x509.Certificate
	// Format is "pkcs12", "der" or "pem".
	Format string
	// Path is the file it came from ("" for the demo certificate).
	Path string
	// Demo marks the built-in demonstration certificate.
	Demo bool
	// KeyMismatch: the file's private key matches none of its certificates.
	KeyMismatch bool

	key crypto.Signer
}

// HasKey reports whether the file held a private key.
func (l *Loaded) HasKey() bool { return l.key != nil }

// TLSCertificate returns the leaf, its chain and the in-memory private key for
// a TLS client; ok is false when the file held no usable key.
func (l *Loaded) TLSCertificate() (c tls.Certificate, ok bool) {
	if l.key == nil || l.KeyMismatch {
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

// DER is the leaf certificate as a .cer file holds it: DER, public key only.
func (l *Loaded) DER() []byte { return bytes.Clone(l.Leaf.Raw) }

// PEM is the leaf certificate in PEM.
func (l *Loaded) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: l.Leaf.Raw})
}

// ErrPasswordIncorrect means the PKCS#12 password is wrong. Load returns a
// *checks.Problem that wraps it (errors.Is works).
var ErrPasswordIncorrect = errors.New("password incorrect")

// problem makes a load error with its own catalogue key ("cert.load.<key>").
func problem(key string, kv ...any) *checks.Problem {
	return checks.Problemf("cert.load."+key, kv...)
}

// LoadFile reads and loads the certificate file at path.
func LoadFile(ctx context.Context, path, password string) (*Loaded, error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, problem("missing", "File", path).Wrap(err)
	case errors.Is(err, fs.ErrPermission):
		return nil, problem("unreadable", "File", path).Wrap(err)
	case err != nil:
		return nil, problem("unreadable", "File", path).Wrap(err)
	case fi.IsDir():
		return nil, problem("directory", "File", path)
	case fi.Size() > MaxFileSize:
		return nil, problem("too_large", "File", name, "Size", fi.Size())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, problem("unreadable", "File", path).Wrap(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, problem("unreadable", "File", path).Wrap(err)
	}
	if len(data) > MaxFileSize {
		return nil, problem("too_large", "File", name, "Size", len(data))
	}
	l, err := load(ctx, data, password, path)
	if err != nil {
		return nil, err
	}
	l.Path = path
	return l, nil
}

// Load reads a certificate from data: PKCS#12 (with password), DER or PEM.
func Load(ctx context.Context, data []byte, password string) (*Loaded, error) {
	return load(ctx, data, password, "FILE.pfx")
}

func load(ctx context.Context, data []byte, password, path string) (*Loaded, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, problem("empty")
	case len(data) > MaxFileSize:
		return nil, problem("too_large", "File", filepath.Base(path), "Size", len(data))
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return loadPEM(data)
	}
	if c, err := x509.ParseCertificate(data); err == nil {
		return &Loaded{Leaf: c, Format: "der"}, nil
	}
	switch shape(data) {
	case shapePKCS12:
		return loadPKCS12(ctx, data, password, path)
	case shapeKey:
		return nil, problem("key_only")
	case shapeTruncated:
		return nil, problem("truncated")
	}
	return nil, problem("corrupt")
}

// IsPKCS12 reports whether data looks like a PKCS#12 (.pfx/.p12) file, which
// needs a password.
func IsPKCS12(data []byte) bool { return shape(data) == shapePKCS12 }

type dataShape int

const (
	shapeUnknown dataShape = iota
	shapePKCS12
	shapeKey
	shapeTruncated
)

// pfxHeader is the start of a PKCS#12 PFX: version 3, then the content.
type pfxHeader struct {
	Version  int
	AuthSafe asn1.RawValue
	MacData  asn1.RawValue `asn1:"optional"`
}

// shape tells, from the outer DER structure alone, what a binary file is:
// it never decodes a private key.
func shape(data []byte) dataShape {
	var outer asn1.RawValue
	rest, err := asn1.Unmarshal(data, &outer)
	if err != nil {
		// A SEQUENCE whose declared length runs past the end: cut short.
		if len(data) > 2 && data[0] == 0x30 && declaredLength(data) > len(data) {
			return shapeTruncated
		}
		return shapeUnknown
	}
	if outer.Tag != asn1.TagSequence || len(bytes.TrimRight(rest, "\x00")) > 0 {
		return shapeUnknown
	}
	var pfx pfxHeader
	if _, err := asn1.Unmarshal(data, &pfx); err == nil && pfx.Version == 3 {
		return shapePKCS12
	}
	// PKCS#8 (version 0, AlgorithmIdentifier, key), PKCS#1 RSA (version 0,
	// modulus, ...) and SEC 1 EC (version 1, key octets) private keys.
	var first asn1.RawValue
	inner, err := asn1.Unmarshal(outer.Bytes, &first)
	if err != nil || first.Tag != asn1.TagInteger || len(first.Bytes) != 1 {
		return shapeUnknown
	}
	var second asn1.RawValue
	if _, err := asn1.Unmarshal(inner, &second); err != nil {
		return shapeUnknown
	}
	switch {
	case first.Bytes[0] == 0 && (second.Tag == asn1.TagSequence || second.Tag == asn1.TagInteger):
		return shapeKey
	case first.Bytes[0] == 1 && second.Tag == asn1.TagOctetString:
		return shapeKey
	}
	return shapeUnknown
}

// declaredLength is the total length a DER element at the start of data says
// it has (header included), or -1.
func declaredLength(data []byte) int {
	if len(data) < 2 {
		return -1
	}
	l := int(data[1])
	if l < 0x80 {
		return 2 + l
	}
	n := l & 0x7f
	if n == 0 || n > 4 || len(data) < 2+n {
		return -1
	}
	l = 0
	for _, b := range data[2 : 2+n] {
		l = l<<8 | int(b)
	}
	return 2 + n + l
}

// loadPEM reads every CERTIFICATE block; a file of keys only is refused
// without parsing the key.
func loadPEM(data []byte) (*Loaded, error) {
	var (
		certs  []*x509.Certificate
		hasKey bool
		other  string
	)
	rest := data
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		switch {
		case blk.Type == "CERTIFICATE" || blk.Type == "TRUSTED CERTIFICATE" || blk.Type == "X509 CERTIFICATE":
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, problem("corrupt_pem").Wrap(err)
			}
			certs = append(certs, c)
		case strings.HasSuffix(blk.Type, "PRIVATE KEY"):
			hasKey = true
		case other == "":
			other = blk.Type
		}
	}
	if len(certs) == 0 {
		switch {
		case hasKey:
			return nil, problem("key_only")
		case other == "CERTIFICATE REQUEST" || other == "NEW CERTIFICATE REQUEST":
			return nil, problem("csr")
		case other == "PKCS7":
			return nil, problem("pkcs7")
		case bytes.Contains(rest, []byte("-----BEGIN ")):
			return nil, problem("truncated")
		case other != "":
			return nil, problem("pem_other", "Type", other)
		}
		return nil, problem("corrupt_pem")
	}
	leaf, chain := pickLeaf(certs, nil)
	return &Loaded{Leaf: leaf, Chain: chain, Format: "pem"}, nil
}

// loadPKCS12 decodes a .pfx on its own goroutine, so a file with a huge
// iteration count cannot freeze the caller: ctx ends the wait.
func loadPKCS12(ctx context.Context, data []byte, password, path string) (*Loaded, error) {
	if n := maxIterations(data); n > MaxIterations {
		return nil, problem("iterations", "Count", n)
	}
	type result struct {
		l   *Loaded
		err error
	}
	done := make(chan result, 1)
	go func() {
		l, err := decodePKCS12(data, password, path)
		done <- result{l, err}
	}()
	select {
	case r := <-done:
		return r.l, r.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, problem("timeout").Wrap(ctx.Err())
		}
		return nil, problem("cancelled").Wrap(ctx.Err())
	}
}

// maxIterations finds the largest key-derivation iteration count in a PFX:
// the MAC's and every PBE/PBKDF2 parameter block that is not encrypted.
// Each has the shape SEQUENCE { OCTET STRING salt, INTEGER iterations, ... }
// (MacData puts a DigestInfo first), so a walk over the DER finds them
// without decoding anything secret.
func maxIterations(data []byte) int {
	best := 0
	var walk func(b []byte, depth int)
	walk = func(b []byte, depth int) {
		if depth > 12 {
			return
		}
		for len(b) > 0 {
			var v asn1.RawValue
			rest, err := asn1.Unmarshal(b, &v)
			if err != nil {
				return
			}
			b = rest
			switch {
			case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString:
				walk(v.Bytes, depth+1)
			case v.IsCompound:
				if n := saltIterations(v.Bytes); n > best {
					best = n
				}
				walk(v.Bytes, depth+1)
			}
		}
	}
	walk(data, 0)
	return best
}

// saltIterations reads an INTEGER that directly follows an OCTET STRING in
// the elements of a SEQUENCE (0 if none).
func saltIterations(b []byte) int {
	prevOctets := false
	for len(b) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(b, &v)
		if err != nil {
			return 0
		}
		b = rest
		if prevOctets && v.Class == asn1.ClassUniversal && v.Tag == asn1.TagInteger {
			var n int64
			if _, err := asn1.Unmarshal(v.FullBytes, &n); err != nil || n > 1<<40 {
				return 1 << 40 // too big even to read
			}
			return int(n)
		}
		prevOctets = v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString
	}
	return 0
}

func decodePKCS12(data []byte, password, path string) (*Loaded, error) {
	key, first, cas, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, pkcs12Problem(err, path)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, problem("unsupported", "Detail", fmt.Sprintf("private key of type %T", key), "Command", reexport(path))
	}
	certs := append([]*x509.Certificate{first}, cas...)
	leaf, chain := pickLeaf(certs, signer.Public())
	l := &Loaded{Leaf: leaf, Chain: chain, Format: "pkcs12", key: signer}
	l.KeyMismatch = !samePublicKey(leaf.PublicKey, signer.Public())
	return l, nil
}

// pkcs12Problem says in words what went wrong reading a .pfx.
func pkcs12Problem(err error, path string) error {
	var ni pkcs12.NotImplementedError
	msg := err.Error()
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return problem("password_incorrect").Wrap(ErrPasswordIncorrect)
	case strings.Contains(msg, "no MAC in data"):
		// A file without integrity protection, opened with a password.
		return problem("password_incorrect").Wrap(ErrPasswordIncorrect)
	case errors.As(err, &ni):
		return problem("unsupported", "Detail", strings.TrimPrefix(msg, "pkcs12: "), "Command", reexport(path))
	case strings.Contains(msg, "private key missing"):
		return problem("pfx_no_key")
	case strings.Contains(msg, "expected exactly one key bag"):
		return problem("pfx_many_keys", "Command", reexport(path))
	case strings.Contains(msg, "error reading P12 data"), strings.Contains(msg, "asn1:"):
		return problem("corrupt")
	}
	return problem("unsupported", "Detail", strings.TrimPrefix(msg, "pkcs12: "), "Command", reexport(path))
}

// reexport is the OpenSSL command that rewrites a .pfx with algorithms every
// reader supports (AES-256 and PBKDF2, OpenSSL 3's defaults). The key passes
// through a pipe, never a file.
func reexport(path string) string {
	out := strings.TrimSuffix(path, filepath.Ext(path)) + "-aes.pfx"
	return fmt.Sprintf("openssl pkcs12 -in %s -nodes -legacy | openssl pkcs12 -export -out %s", shellQuote(path), shellQuote(out))
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+@%:,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// pickLeaf chooses the certificate a file is about: the one matching the
// private key when there is one; else the one no other certificate was
// issued by and that is not a CA. The rest is the chain, ordered from the
// leaf's issuer upwards where it can be followed.
func pickLeaf(certs []*x509.Certificate, pub crypto.PublicKey) (*x509.Certificate, []*x509.Certificate) {
	leaf := -1
	if pub != nil {
		for i, c := range certs {
			if samePublicKey(c.PublicKey, pub) {
				leaf = i
				break
			}
		}
	}
	if leaf < 0 {
		for i, c := range certs {
			if !c.IsCA && !issuesAny(c, certs) {
				leaf = i
				break
			}
		}
	}
	if leaf < 0 {
		for i, c := range certs {
			if !issuesAny(c, certs) {
				leaf = i
				break
			}
		}
	}
	if leaf < 0 {
		leaf = 0
	}
	rest := make([]*x509.Certificate, 0, len(certs)-1)
	for i, c := range certs {
		if i != leaf {
			rest = append(rest, c)
		}
	}
	return certs[leaf], orderChain(certs[leaf], rest)
}

// issuesAny reports whether c issued another certificate in certs.
func issuesAny(c *x509.Certificate, certs []*x509.Certificate) bool {
	for _, o := range certs {
		if o != c && !isSelfSigned(o) && bytes.Equal(o.RawIssuer, c.RawSubject) {
			return true
		}
	}
	return false
}

// orderChain puts the certificates in issuing order starting from leaf's
// issuer; those not on the path follow in file order.
func orderChain(leaf *x509.Certificate, rest []*x509.Certificate) []*x509.Certificate {
	out := make([]*x509.Certificate, 0, len(rest))
	used := make([]bool, len(rest))
	cur := leaf
	for !isSelfSigned(cur) {
		next := -1
		for i, c := range rest {
			if !used[i] && bytes.Equal(c.RawSubject, cur.RawIssuer) {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		used[next] = true
		out = append(out, rest[next])
		cur = rest[next]
	}
	for i, c := range rest {
		if !used[i] {
			out = append(out, c)
		}
	}
	return out
}

// isSelfSigned reports whether c signed itself. A SHA-1 self-signature,
// which crypto/x509 no longer verifies, still counts: the names and key
// identifiers say who signed it.
func isSelfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false
	}
	err := c.CheckSignatureFrom(c)
	var insecure x509.InsecureAlgorithmError
	if err == nil || errors.As(err, &insecure) || errors.Is(err, x509.ErrUnsupportedAlgorithm) {
		return len(c.AuthorityKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId) || err == nil
	}
	// CheckSignatureFrom refuses a non-CA "parent"; check the signature itself.
	return c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// samePublicKey compares two public keys.
func samePublicKey(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

// ContainsKey reports whether data holds this file's private key: its PKCS#8
// or PKCS#1 DER, or the start of their base64 (PEM) form. It lets a writer
// prove that what it writes carries no key material, without the key ever
// leaving this package.
func (l *Loaded) ContainsKey(data []byte) bool {
	if l == nil || l.key == nil {
		return false
	}
	var forms [][]byte
	if der, err := x509.MarshalPKCS8PrivateKey(l.key); err == nil {
		forms = append(forms, der)
	}
	if rk, ok := l.key.(*rsa.PrivateKey); ok {
		forms = append(forms, x509.MarshalPKCS1PrivateKey(rk))
	}
	if ek, ok := l.key.(*ecdsa.PrivateKey); ok {
		if der, err := x509.MarshalECPrivateKey(ek); err == nil {
			forms = append(forms, der)
		}
	}
	flat := bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r"), nil), []byte("\n"), nil)
	for _, der := range forms {
		b64 := base64.StdEncoding.EncodeToString(der)
		if bytes.Contains(data, der) || bytes.Contains(flat, []byte(b64[:min(len(b64), 64)])) {
			return true
		}
	}
	return false
}
