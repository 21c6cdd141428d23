package keygen

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
)

var now = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

// A valid IDNO (check digit per checks.IDNOWeights).
const testIDNO = "1003600012345"

func validIDNO(t *testing.T) string {
	t.Helper()
	idno := testIDNO[:12]
	return idno + string(rune('0'+checks.IDNOCheckDigit(idno)))
}

func TestMPassTestCertificatePassesVerdicts(t *testing.T) {
	r, err := New(Options{Kind: KindMPassTest, Bits: 2048, CommonName: "portal.example.md", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Placeholder || r.Request != nil {
		t.Fatal("a self-signed certificate is neither a placeholder nor a request")
	}
	checkSamplesProfile(t, r.Cert)
	// egovsetup's own verdicts for MPass on the test environment.
	rep := cert.NewReport(&cert.Loaded{Leaf: r.Cert}, cert.Options{Services: []string{"mpass"}, Env: "test", Now: now})
	for _, v := range rep.Verdicts {
		if v.Severity == checks.Fail {
			t.Errorf("verdict %s fails: %s", v.ID, v.Message)
		}
	}
	if rep.Worst() == checks.Fail {
		t.Error("the report fails")
	}
}

// checkSamplesProfile checks the profile of AGE's sample certificates.
func checkSamplesProfile(t *testing.T, c *x509.Certificate) {
	t.Helper()
	if c.Subject.CommonName != "portal.example.md" || c.IsCA || !c.BasicConstraintsValid {
		t.Errorf("subject %q, CA %v, basic constraints %v", c.Subject, c.IsCA, c.BasicConstraintsValid)
	}
	if c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment {
		t.Errorf("key usage %v", c.KeyUsage)
	}
	if !slices.Equal(c.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}) {
		t.Errorf("extended key usage %v", c.ExtKeyUsage)
	}
	if n := len(c.SerialNumber.Bytes()); n != 20 || c.SerialNumber.Sign() <= 0 {
		t.Errorf("serial is %d bytes, sign %d", n, c.SerialNumber.Sign())
	}
	if d := c.NotAfter.Sub(c.NotBefore); d != Validity {
		t.Errorf("validity %v", d)
	}
}

func TestDefaultKeyIs3072Bits(t *testing.T) {
	if testing.Short() {
		t.Skip("3072-bit key generation is slow")
	}
	r, err := New(Options{Kind: KindMPassTest, CommonName: "a.example.md", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Key.N.BitLen(); n != 3072 {
		t.Errorf("key has %d bits", n)
	}
}

func TestSTISCRequest(t *testing.T) {
	idno := validIDNO(t)
	r, err := New(Options{Kind: KindSTISC, Bits: 2048, CommonName: "api.example.md",
		Organization: "Î.M. Exemplu S.R.L.", IDNO: idno, LegalEntity: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	csr := parseRequest(t, r.Request)
	if err := csr.CheckSignature(); err != nil {
		t.Errorf("request signature: %v", err)
	}
	if !Matches(r.Key, csr.PublicKey) {
		t.Error("the request does not carry the key's public half")
	}
	if got := orgIdentifier(csr); got != "NTRMD-"+idno {
		t.Errorf("organizationIdentifier %q, want NTRMD-%s", got, idno)
	}
	// C, O, organizationIdentifier, CN, in that order.
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal(csr.RawSubject, &seq); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rdn := range seq {
		got = append(got, fmt.Sprintf("%v=%v", rdn[0].Type, rdn[0].Value))
	}
	want := []string{"2.5.4.6=MD", "2.5.4.10=Î.M. Exemplu S.R.L.", "2.5.4.97=NTRMD-" + idno, "2.5.4.3=api.example.md"}
	if !slices.Equal(got, want) {
		t.Errorf("subject %q, want %q", got, want)
	}
	if !r.Placeholder || !IsPlaceholder(r.Cert) || !Matches(r.Key, r.Cert.PublicKey) {
		t.Error("the key's carrier is not the marked placeholder for the same key")
	}
}

// parseRequest decodes a PEM request that holds nothing else.
func parseRequest(t *testing.T, b []byte) *x509.CertificateRequest {
	t.Helper()
	blk, rest := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE REQUEST" || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("request PEM: %q", b)
	}
	csr, err := x509.ParseCertificateRequest(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return csr
}

// orgIdentifier is the request subject's organizationIdentifier ("" if none).
func orgIdentifier(csr *x509.CertificateRequest) string {
	for _, n := range csr.Subject.Names {
		if n.Type.Equal(asn1.ObjectIdentifier{2, 5, 4, 97}) {
			s, _ := n.Value.(string)
			return s
		}
	}
	return ""
}

func TestSTISCRequestWithoutIDNOForANaturalPerson(t *testing.T) {
	r, err := New(Options{Kind: KindSTISC, Bits: 2048, CommonName: "x.example.md", Organization: "Ion Popescu", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if got := orgIdentifier(parseRequest(t, r.Request)); got != "" {
		t.Errorf("organizationIdentifier %q for a natural person", got)
	}
}

func TestBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"kind":      {Kind: "msign", CommonName: "a.md"},
		"bits":      {Kind: KindMPassTest, Bits: 1024, CommonName: "a.md"},
		"host":      {Kind: KindMPassTest, CommonName: "not a host"},
		"host ctl":  {Kind: KindMPassTest, CommonName: "a.md\x1b[2J"},
		"no org":    {Kind: KindSTISC, CommonName: "a.md"},
		"bad idno":  {Kind: KindSTISC, CommonName: "a.md", Organization: "X", LegalEntity: true, IDNO: "123"},
		"checksum":  {Kind: KindSTISC, CommonName: "a.md", Organization: "X", LegalEntity: true, IDNO: "1003600012340"},
		"empty cn":  {Kind: KindMPassTest},
		"dash host": {Kind: KindMPassTest, CommonName: "-a.md"},
	} {
		if name == "checksum" && validIDNO(t) == o.IDNO {
			continue
		}
		var p *checks.Problem
		if _, err := New(o); !errors.As(err, &p) {
			t.Errorf("%s: %v, want a catalogue problem", name, err)
		}
	}
}

func TestKeyFileDecryptsAndIsWrittenOnce(t *testing.T) {
	r, err := New(Options{Kind: KindMPassTest, Bits: 2048, CommonName: "portal.example.md", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	checkKeyFile(t, r, filepath.Join(t.TempDir(), "key.pfx"), false)
	checkKeyFile(t, r, filepath.Join(t.TempDir(), "key-legacy.pfx"), true)
}

// checkKeyFile writes r's key file at path and checks that it opens with
// the password only, has mode 0600 and is never written again.
func checkKeyFile(t *testing.T, r *Result, path string, legacy bool) {
	t.Helper()
	const pw = "pa ss-ș"
	pfx, err := r.PKCS12(pw, legacy)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(path, pfx); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	key, leaf, err := pkcs12.Decode(mustRead(t, path), pw)
	if err != nil {
		t.Fatalf("legacy=%v: %v", legacy, err)
	}
	if !Matches(key, r.Key.Public()) || !leaf.Equal(r.Cert) {
		t.Error("the file holds another key or certificate")
	}
	if _, _, err := pkcs12.Decode(mustRead(t, path), "wrong"); err == nil {
		t.Error("a wrong password decrypts the key")
	}
	// egovsetup's own loader opens it too, and openssl when installed.
	if l, err := cert.LoadFile(t.Context(), path, pw); err != nil || !l.HasKey() {
		t.Errorf("cert.LoadFile: %v", err)
	}
	opensslReads(t, path, pw)
	if err := WriteNew(path, []byte("other")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second write: %v", err)
	}
	if !bytes.Equal(mustRead(t, path), pfx) {
		t.Error("the existing key file was changed")
	}
}

// opensslReads checks the key file with openssl, when it is installed.
func opensslReads(t *testing.T, path, password string) {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		return
	}
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte(password), 0o600)
	args := []string{"pkcs12", "-in", path, "-passin", "file:" + pwFile, "-nodes", "-noout"}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		// OpenSSL 3 needs the legacy provider for 3DES files.
		out2, err2 := exec.Command(bin, append(args, "-legacy")...).CombinedOutput()
		if err2 != nil {
			t.Errorf("openssl pkcs12: %v\n%s\n%s", err, out, out2)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The private key is in no file but the encrypted key file, and not there
// in the clear.
func TestNoKeyBytesOutsideTheEncryptedFile(t *testing.T) {
	r, err := New(Options{Kind: KindSTISC, Bits: 2048, CommonName: "api.example.md", Organization: "X", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := x509.MarshalPKCS1PrivateKey(r.Key)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(r.Key)
	// A prime factor is the smallest piece that gives the key away.
	prime := r.Key.Primes[0].Bytes()
	pfx, err := r.PKCS12("pw", false)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"request": r.Request, "placeholder": r.Cert.Raw, "key file": pfx} {
		for _, secret := range [][]byte{pkcs1, pkcs8, prime} {
			if bytes.Contains(b, secret) {
				t.Errorf("the %s holds private key bytes", name)
			}
		}
		if bytes.Contains(b, []byte("PRIVATE KEY")) {
			t.Errorf("the %s holds a PEM private key", name)
		}
	}
}

// BenchmarkNew measures making a key with its certificate or request, for
// the sizes offered.
func BenchmarkNew(b *testing.B) {
	for _, bits := range []int{2048, 3072} {
		for _, kind := range []string{KindMPassTest, KindSTISC} {
			b.Run(fmt.Sprintf("%s-%d", kind, bits), func(b *testing.B) {
				for b.Loop() {
					if _, err := New(Options{Kind: kind, Bits: bits, CommonName: "a.example.md", Organization: "X", Now: now}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
