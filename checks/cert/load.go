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
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safefile"
)

// MaxFileSize is the largest certificate file read (real ones are a few KiB).
const MaxFileSize = 1 << 20

// DefaultTimeout bounds a certificate load when the user sets no other
// (--timeout; the wizard's certificate step).
const DefaultTimeout = 30 * time.Second

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

// LoadFile reads and loads the certificate file at path. Anything that is
// not a regular file (a FIFO, a device such as /dev/zero) is refused before a
// byte is read, and at most MaxFileSize bytes are read. ctx bounds the whole
// load, whatever the file's format.
func LoadFile(ctx context.Context, path, password string) (*Loaded, error) {
	return loadFile(ctx, path, password, false)
}

// LoadFileCerts is LoadFile for a caller that needs the certificates only
// (cert export): a PKCS#12 file's private key is not decrypted, when the
// file's structure allows (see pfxCerts), and the result has no key.
func LoadFileCerts(ctx context.Context, path, password string) (*Loaded, error) {
	return loadFile(ctx, path, password, true)
}

func loadFile(ctx context.Context, path, password string, certsOnly bool) (*Loaded, error) {
	data, err := safefile.Read(path, MaxFileSize)
	if err != nil {
		return nil, fileProblem(path, err)
	}
	l, err := load(ctx, data, password, path, certsOnly)
	if err != nil {
		return nil, err
	}
	l.Path = path
	return l, nil
}

// fileProblem says why the certificate file at path could not be read.
func fileProblem(path string, err error) *checks.Problem {
	var (
		nr *safefile.NotRegularError
		tl *safefile.TooLargeError
	)
	switch {
	case errors.As(err, &nr) && nr.Kind == "folder":
		return checks.Problemf("cert.load.directory", "File", path).Wrap(err)
	case errors.As(err, &tl):
		return checks.Problemf("cert.load.too_large", "File", filepath.Base(path)).Wrap(err)
	case errors.Is(err, fs.ErrNotExist) && !errors.Is(err, safefile.ErrSymlinkLoop):
		return checks.Problemf("cert.load.missing", "File", path).Wrap(err)
	case errors.Is(err, fs.ErrPermission):
		return checks.Problemf("cert.load.unreadable", "File", path).Wrap(err)
	}
	return checks.FileProblem(path, err)
}

// Load reads a certificate from data: PKCS#12 (with password), DER or PEM.
func Load(ctx context.Context, data []byte, password string) (*Loaded, error) {
	return load(ctx, data, password, "FILE.pfx", false)
}

// load decodes data on its own goroutine, so that no file, however it is
// built, holds the caller past ctx: the deadline or a cancel returns at once,
// and the decoding, which checks ctx as it goes, stops soon after.
func load(ctx context.Context, data []byte, password, path string, certsOnly bool) (*Loaded, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxProblem(err)
	}
	type result struct {
		l   *Loaded
		err error
	}
	done := make(chan result, 1)
	go func() {
		l, err := decode(ctx, data, password, path, certsOnly)
		done <- result{l, err}
	}()
	select {
	case r := <-done:
		return r.l, r.err
	case <-ctx.Done():
		return nil, ctxProblem(ctx.Err())
	}
}

// ctxProblem says that a load ran out of time or was cancelled.
func ctxProblem(err error) *checks.Problem {
	if errors.Is(err, context.DeadlineExceeded) {
		return checks.Problemf("cert.load.timeout").Wrap(err)
	}
	return checks.Problemf("cert.load.cancelled").Wrap(err)
}

func decode(ctx context.Context, data []byte, password, path string, certsOnly bool) (*Loaded, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, checks.Problemf("cert.load.empty")
	case len(data) > MaxFileSize:
		return nil, checks.Problemf("cert.load.too_large", "File", filepath.Base(path))
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return loadPEM(ctx, data)
	}
	c, err := x509.ParseCertificate(data)
	if err == nil {
		return &Loaded{Leaf: c, Format: "der"}, nil
	}
	if p := parseProblem(err); p != nil {
		return nil, p
	}
	switch shape(data) {
	case shapePKCS12:
		return loadPKCS12(ctx, data, password, path, certsOnly)
	case shapePKCS7:
		return nil, checks.Problemf("cert.load.pkcs7_der")
	case shapeKey:
		return nil, checks.Problemf("cert.load.key_only")
	case shapeTruncated:
		return nil, checks.Problemf("cert.load.truncated")
	}
	return nil, checks.Problemf("cert.load.corrupt")
}

// parseProblem names the certificate parse errors that have a clearer
// message than "damaged" (nil for the others).
func parseProblem(err error) *checks.Problem {
	if err != nil && strings.Contains(err.Error(), "negative serial number") {
		return checks.Problemf("cert.load.negative_serial").Wrap(err)
	}
	return nil
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
	shapePKCS7
)

// oidSignedData is PKCS#7 SignedData, the content of a .p7b/.p7c bundle.
var oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}

// contentInfo is the outer structure of a PKCS#7 file.
type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

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
	var ci contentInfo
	if _, err := asn1.Unmarshal(data, &ci); err == nil && ci.ContentType.Equal(oidSignedData) {
		return shapePKCS7
	}
	if isPrivateKey(outer.Bytes) {
		return shapeKey
	}
	return shapeUnknown
}

// isPrivateKey tells, from the first two elements of a SEQUENCE's content,
// whether it is a PKCS#8 (version 0, AlgorithmIdentifier, key), PKCS#1 RSA
// (version 0, modulus, ...) or SEC 1 EC (version 1, key octets) private key.
func isPrivateKey(content []byte) bool {
	var first asn1.RawValue
	inner, err := asn1.Unmarshal(content, &first)
	if err != nil || first.Tag != asn1.TagInteger || len(first.Bytes) != 1 {
		return false
	}
	var second asn1.RawValue
	if _, err := asn1.Unmarshal(inner, &second); err != nil {
		return false
	}
	switch {
	case first.Bytes[0] == 0 && (second.Tag == asn1.TagSequence || second.Tag == asn1.TagInteger):
		return true
	case first.Bytes[0] == 1 && second.Tag == asn1.TagOctetString:
		return true
	}
	return false
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
func loadPEM(ctx context.Context, data []byte) (*Loaded, error) {
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
			if err := ctx.Err(); err != nil {
				return nil, ctxProblem(err)
			}
			c, err := x509.ParseCertificate(blk.Bytes)
			if p := parseProblem(err); p != nil {
				return nil, p
			}
			if err != nil {
				return nil, checks.Problemf("cert.load.corrupt_pem").Wrap(err)
			}
			certs = append(certs, c)
		case strings.HasSuffix(blk.Type, "PRIVATE KEY"):
			hasKey = true
		case other == "":
			other = blk.Type
		}
	}
	if len(certs) == 0 {
		return nil, noCertificateProblem(hasKey, other, rest)
	}
	leaf, chain, err := pickLeaf(ctx, certs, nil)
	if err != nil {
		return nil, err
	}
	return &Loaded{Leaf: leaf, Chain: chain, Format: "pem"}, nil
}

// loadPKCS12 decodes a .pfx after refusing one whose iteration counts would
// keep a CPU busy for minutes.
func loadPKCS12(ctx context.Context, data []byte, password, path string, certsOnly bool) (*Loaded, error) {
	if n := maxIterations(data); n > MaxIterations {
		return nil, checks.Problemf("cert.load.iterations", "Count", n)
	}
	if certsOnly {
		leaf, certs, ok, err := pfxCerts(data, password)
		switch {
		case ok && errors.Is(err, ErrPasswordIncorrect):
			return nil, checks.Problemf("cert.load.password_incorrect").Wrap(ErrPasswordIncorrect)
		case ok:
			if err := ctx.Err(); err != nil {
				return nil, ctxProblem(err)
			}
			leaf, chain, err := pickLeaf(ctx, certs, leaf.PublicKey)
			if err != nil {
				return nil, err
			}
			return &Loaded{Leaf: leaf, Chain: chain, Format: "pkcs12"}, nil
		}
	}
	return decodePKCS12(ctx, data, password, path)
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

func decodePKCS12(ctx context.Context, data []byte, password, path string) (*Loaded, error) {
	key, first, cas, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return nil, pkcs12Problem(err, path)
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxProblem(err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, checks.Problemf("cert.load.unsupported", "Detail", fmt.Sprintf("private key of type %T", key), "Command", reexport(path))
	}
	certs := append([]*x509.Certificate{first}, cas...)
	leaf, chain, err := pickLeaf(ctx, certs, signer.Public())
	if err != nil {
		return nil, err
	}
	l := &Loaded{Leaf: leaf, Chain: chain, Format: "pkcs12", key: signer}
	l.KeyMismatch = !samePublicKey(leaf.PublicKey, signer.Public())
	return l, nil
}

// pkcs12Problem says in words what went wrong reading a .pfx.
func pkcs12Problem(err error, path string) error {
	var ni pkcs12.NotImplementedError
	msg := err.Error()
	if p := parseProblem(err); p != nil {
		return p
	}
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return checks.Problemf("cert.load.password_incorrect").Wrap(ErrPasswordIncorrect)
	case strings.Contains(msg, "no MAC in data"):
		// A file without integrity protection, opened with a password.
		return checks.Problemf("cert.load.password_incorrect").Wrap(ErrPasswordIncorrect)
	case errors.As(err, &ni):
		return checks.Problemf("cert.load.unsupported", "Detail", strings.TrimPrefix(msg, "pkcs12: "), "Command", reexport(path))
	case strings.Contains(msg, "private key missing"):
		return checks.Problemf("cert.load.pfx_no_key")
	case strings.Contains(msg, "expected exactly one key bag"):
		return checks.Problemf("cert.load.pfx_many_keys", "Command", reexport(path))
	case strings.Contains(msg, "error reading P12 data"), strings.Contains(msg, "asn1:"):
		return checks.Problemf("cert.load.corrupt")
	}
	return checks.Problemf("cert.load.unsupported", "Detail", strings.TrimPrefix(msg, "pkcs12: "), "Command", reexport(path))
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

// noCertificateProblem says why a PEM file gave no certificate: it holds a
// key only, a request, a PKCS#7 container, is cut short (rest holds the
// undecoded end), or has blocks of another type.
func noCertificateProblem(hasKey bool, other string, rest []byte) error {
	switch {
	case hasKey:
		return checks.Problemf("cert.load.key_only")
	case other == "CERTIFICATE REQUEST" || other == "NEW CERTIFICATE REQUEST":
		return checks.Problemf("cert.load.csr")
	case other == "PKCS7":
		return checks.Problemf("cert.load.pkcs7")
	case bytes.Contains(rest, []byte("-----BEGIN ")):
		return checks.Problemf("cert.load.truncated")
	case other != "":
		return checks.Problemf("cert.load.pem_other", "Type", other)
	}
	return checks.Problemf("cert.load.corrupt_pem")
}

// pickLeaf chooses the certificate a file is about: the one matching the
// private key when there is one; else the one no other certificate was
// issued by and that is not a CA. The rest is the chain, ordered from the
// leaf's issuer upwards where it can be followed.
//
// The choice and the order go by names and key identifiers only, indexed,
// with no signature check: a bundle of any shape takes linear time. ctx is
// checked on the way (cancelled, the work stops).
func pickLeaf(ctx context.Context, certs []*x509.Certificate, pub crypto.PublicKey) (*x509.Certificate, []*x509.Certificate, error) {
	b := newBundle(certs)
	leaf := -1
	if pub != nil {
		leaf = firstIndex(certs, func(_ int, c *x509.Certificate) bool { return samePublicKey(c.PublicKey, pub) })
	}
	if leaf < 0 {
		leaf = unissuedCertificate(certs, b.issuers())
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, ctxProblem(err)
	}
	return certs[leaf], b.order(leaf), nil
}

// unissuedCertificate is the first certificate no other was issued by (as
// issues says) and that is not a CA; else the first no other was issued by;
// else, when every name issues another (they share one name), the first that
// is not a CA; else the first.
func unissuedCertificate(certs []*x509.Certificate, issues []bool) int {
	for _, pick := range []func(int, *x509.Certificate) bool{
		func(i int, c *x509.Certificate) bool { return !c.IsCA && !issues[i] },
		func(i int, _ *x509.Certificate) bool { return !issues[i] },
		func(_ int, c *x509.Certificate) bool { return !c.IsCA },
	} {
		if i := firstIndex(certs, pick); i >= 0 {
			return i
		}
	}
	return 0
}

// firstIndex is the index of the first certificate ok accepts, or -1.
func firstIndex(certs []*x509.Certificate, ok func(int, *x509.Certificate) bool) int {
	for i, c := range certs {
		if ok(i, c) {
			return i
		}
	}
	return -1
}

// bundle is a file's certificates indexed by subject name, and by subject
// name and key identifier.
type bundle struct {
	certs     []*x509.Certificate
	bySubject map[string]*queue
	byKey     map[string]*queue
}

// queue is a list of certificate indices in file order, with a cursor past
// the ones already used.
type queue struct {
	idx []int
	pos int
}

// first returns the first index not yet used, or -1.
func (q *queue) first(used []bool) int {
	if q == nil {
		return -1
	}
	for q.pos < len(q.idx) && used[q.idx[q.pos]] {
		q.pos++
	}
	if q.pos == len(q.idx) {
		return -1
	}
	return q.idx[q.pos]
}

func keyOf(name, keyID []byte) string { return string(name) + "\x00" + string(keyID) }

func newBundle(certs []*x509.Certificate) *bundle {
	b := &bundle{certs: certs, bySubject: make(map[string]*queue, len(certs)), byKey: make(map[string]*queue, len(certs))}
	add := func(m map[string]*queue, k string, i int) {
		q := m[k]
		if q == nil {
			q = &queue{}
			m[k] = q
		}
		q.idx = append(q.idx, i)
	}
	for i, c := range certs {
		add(b.bySubject, string(c.RawSubject), i)
		if len(c.SubjectKeyId) > 0 {
			add(b.byKey, keyOf(c.RawSubject, c.SubjectKeyId), i)
		}
	}
	return b
}

// claimsSelfSigned reports whether c presents itself as self-signed: its
// issuer is its own subject and it names no other authority key. RFC 5280
// §4.2.1.1 lets only a self-signed certificate omit the authority key
// identifier. No signature is checked: a bundle's certificates are sorted
// with it, and the verdicts check the signatures that matter.
func claimsSelfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false
	}
	return len(c.AuthorityKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId)
}

// issuers reports for each certificate whether its name issued another
// certificate of the bundle that is not self-signed.
func (b *bundle) issuers() []bool {
	issued := make(map[string]int, len(b.certs))
	for _, c := range b.certs {
		if !claimsSelfSigned(c) {
			issued[string(c.RawIssuer)]++
		}
	}
	out := make([]bool, len(b.certs))
	for i, c := range b.certs {
		n := issued[string(c.RawSubject)]
		if bytes.Equal(c.RawIssuer, c.RawSubject) && !claimsSelfSigned(c) {
			n-- // c itself, issued under its own name by another key
		}
		out[i] = n > 0
	}
	return out
}

// order returns every certificate but the leaf: first the path from the
// leaf's issuer upwards, found by name (and by key identifier where a name
// has several), then the others in file order.
func (b *bundle) order(leaf int) []*x509.Certificate {
	out := make([]*x509.Certificate, 0, len(b.certs)-1)
	used := make([]bool, len(b.certs))
	used[leaf] = true
	cur := leaf
	for !claimsSelfSigned(b.certs[cur]) {
		c := b.certs[cur]
		found := -1
		if len(c.AuthorityKeyId) > 0 {
			// The issuer that holds the named key, if the file has it.
			found = b.byKey[keyOf(c.RawIssuer, c.AuthorityKeyId)].first(used)
		}
		if found < 0 {
			found = b.bySubject[string(c.RawIssuer)].first(used)
		}
		if found < 0 {
			break
		}
		used[found] = true
		out = append(out, b.certs[found])
		cur = found
	}
	for i, c := range b.certs {
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
