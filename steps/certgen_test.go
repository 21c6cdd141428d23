package steps

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/export/keygen"
)

// genKeyTimeout bounds waiting for a 2048-bit key under the race detector
// on a busy machine; it is no speed assertion.
const genKeyTimeout = 2 * time.Minute

// chooseNew opens "I don't have a certificate yet" and answers its first
// questions: host name, a 2048-bit key (quicker to make), the modern format.
func chooseNew(st *screenTest, host string) {
	st.t.Helper()
	st.focus("How does AGE get the certificate?").sees("I don't have a certificate yet: make a key here")
	st.keys("down", "down", "enter")
	st.focus("The system's host name").keys(host, "enter")
	st.focus("Key size").sees("RSA, 3072 bits (recommended)")
	st.keys("down", "enter")
	st.focus("Key file format").sees("Legacy PKCS#12 (3DES)")
	st.keys("enter")
}

// checkKeyFile asserts the key file is mode 0600, opens only with its
// password, and holds the key of leaf.
func checkKeyFile(t *testing.T, path, password string, leaf *x509.Certificate) *rsa.PrivateKey {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the key file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if _, _, err := pkcs12.Decode(data, password+"x"); err == nil {
		t.Error("the key file opens with a wrong password")
	}
	key, _, err := pkcs12.Decode(data, password)
	if err != nil {
		t.Fatalf("the key file does not open with its password: %v", err)
	}
	k, ok := key.(*rsa.PrivateKey)
	if !ok || k.N.BitLen() != 2048 {
		t.Fatalf("key %T, want a 2048-bit RSA key", key)
	}
	if leaf != nil && !keygen.Matches(k, leaf.PublicKey) {
		t.Error("the key file's key is not the certificate's")
	}
	return k
}

// holdsNoKey asserts data holds no part of k's private half.
func holdsNoKey(t *testing.T, what string, data []byte, k *rsa.PrivateKey) {
	t.Helper()
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	d := k.D.Bytes()
	for _, secret := range []string{"PRIVATE KEY", base64.StdEncoding.EncodeToString(der)[:64],
		base64.StdEncoding.EncodeToString(d)[:40], hex.EncodeToString(d)[:40], string(d[:32]), string(k.Primes[0].Bytes()[:32])} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s holds private key material", what)
		}
	}
}

// MPass alone on the test environment: the step makes a key and a
// self-signed certificate, written once, encrypted and 0600; the
// certificate becomes the one loaded, passing its verdicts, and the
// answers keep its public part only.
func TestCertificateMakesSelfSignedKey(t *testing.T) {
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.pfx")
	if err := os.WriteFile(taken, []byte("the user's own file"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Now = time.Now
	st := start(t, c, Certificate{})
	chooseNew(st, "portal.example.md")
	st.focus("Where to write the key").sees(defaultKeyName, "the certificate (.cer) is written beside it")
	st.keys("ctrl+u", taken, "enter")
	st.wantDone(false)
	st.sees("taken.pfx already exists;", "never replaces it")
	key := filepath.Join(dir, "portal-key.pfx")
	st.keys("ctrl+u", key, "enter")
	st.focus("Password for the key file").keys("s3cret", "enter", "s3cre7", "enter")
	st.sees("The two passwords differ.")
	st.keys("backspace", "t", "enter")
	if !st.d.WaitFor(func() bool { return st.s.(*certScreen).state == certShow }, genKeyTimeout) {
		t.Fatalf("no certificate card after making the key:\n%s", st.view())
	}
	st.sees("Use this certificate", "portal.example.md")
	if strings.Contains(st.view(), "Use it anyway") {
		t.Errorf("the new certificate fails a check:\n%s", st.view())
	}
	st.keys("enter")
	st.wantDone(true)

	if b, _ := os.ReadFile(taken); string(b) != "the user's own file" {
		t.Error("the existing file was changed")
	}
	if c.Cert == nil || c.Cert.Leaf == nil {
		t.Fatal("no certificate loaded")
	}
	if worst := checks.Worst(cert.NewReport(c.Cert, certOptions(c)).Verdicts); worst == checks.Fail {
		t.Errorf("the self-signed certificate fails its checks for MPass test")
	}
	k := checkKeyFile(t, key, "s3cret", c.Cert.Leaf)
	pub, err := os.ReadFile(filepath.Join(dir, "portal-key.cer"))
	if err != nil {
		t.Fatalf("no certificate beside the key: %v", err)
	}
	if !bytes.Equal(pub, c.Cert.Leaf.Raw) {
		t.Error("the .cer is not the loaded certificate")
	}
	ac := c.Answers.Certificate
	if ac == nil || len(ac.DER) == 0 || ac.File != key || ac.SHA256() != cert.Fingerprint(c.Cert.Leaf) {
		t.Fatalf("answers' certificate: %+v", ac)
	}
	saved, _ := json.Marshal(c.Answers)
	holdsNoKey(t, "the answers", saved, k)
	holdsNoKey(t, "the .cer", pub, k)
}

// For MSign (or production) the step writes a request for STISC beside the
// key, tells what to do with it, saves the answers and the key's place,
// and a later run names the request and the `cert pair` command.
func TestCertificateMakesRequestForSTISC(t *testing.T) {
	dir := t.TempDir()
	c := newContext()
	c.Answers.Services = []string{"msign"}
	c.Answers.Organization = export.Organization{Type: "private", Name: "Agenția de Guvernare Electronică", IDNO: "1010600034203"}
	c.Progress = &Progress{}
	saves := 0
	c.Save = func() error { saves++; return nil }
	st := start(t, c, Certificate{})
	chooseNew(st, "portal.example.md")
	st.focus("Where to write the key").sees("the request (.csr) is written beside it")
	key := filepath.Join(dir, "system-key.pfx")
	st.keys("ctrl+u", key, "enter")
	st.focus("Password for the key file").keys("pw-for-stisc", "enter", "pw-for-stisc", "enter")
	if !st.d.WaitFor(func() bool { return st.s.(*certScreen).state == certGenSent }, genKeyTimeout) {
		t.Fatalf("no request notice after making the key:\n%s", st.view())
	}
	csrPath := filepath.Join(dir, "system-key.csr")
	st.sees("Attach it to STISC's order", "https://semnatura.md/order/system-certificate",
		"egovsetup cert pair ISSUED.cer --key "+key+` \`, "-o "+filepath.Join(dir, "system.pfx"), "Your answers are saved.")
	if st.s.(*certScreen).Typed() {
		t.Error("esc would ask before quitting though everything typed is saved")
	}
	if saves == 0 || c.Progress.Pending == nil || c.Progress.Pending.Key != key || c.Progress.Pending.Request != csrPath {
		t.Errorf("saved %d times, pending %+v", saves, c.Progress.Pending)
	}
	b, err := os.ReadFile(csrPath)
	if err != nil {
		t.Fatalf("no request beside the key: %v", err)
	}
	req := checkRequest(t, b)
	k := checkKeyFile(t, key, "pw-for-stisc", nil)
	if !keygen.Matches(k, req.PublicKey) {
		t.Error("the request is not for the key written")
	}
	st.keys("enter") // go on with the other questions
	st.wantDone(true)
	if c.Answers.Certificate != nil || c.Cert != nil {
		t.Errorf("a certificate was kept: %+v", c.Answers.Certificate)
	}
	saved, _ := json.Marshal(c.Answers)
	progress, _ := json.Marshal(c.Progress)
	holdsNoKey(t, "the answers", saved, k)
	holdsNoKey(t, "the progress", progress, k)

	// A later run names the request and the command, and offers the
	// joined file's path.
	again := start(t, c, Certificate{})
	again.sees("The key "+key+" is waiting", "for STISC's certificate", "egovsetup cert pair ISSUED.cer --key "+key)
	again.keys("enter")
	again.focus("Certificate file")
	if got := again.s.(*certScreen).path; got != filepath.Join(dir, "system.pfx") {
		t.Errorf("file field %q, want the joined .pfx", got)
	}
}

// checkRequest parses a PEM request, checks its signature and subject.
func checkRequest(t *testing.T, b []byte) *x509.CertificateRequest {
	t.Helper()
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE REQUEST" {
		t.Fatalf("the request is not PEM:\n%s", b)
	}
	req, err := x509.ParseCertificateRequest(blk.Bytes)
	if err != nil || req.CheckSignature() != nil {
		t.Fatalf("request %v, signature %v", err, req.CheckSignature())
	}
	if !bytes.Contains(req.RawSubject, []byte("NTRMD-1010600034203")) || req.Subject.CommonName != "portal.example.md" {
		t.Errorf("request subject %s", req.Subject)
	}
	return req
}

// A request for STISC names the organisation: without it the step says so
// before any key is made.
func TestCertificateRequestNeedsTheOrganisation(t *testing.T) {
	dir := t.TempDir()
	c := newContext()
	c.Answers.Services = []string{"mpower"}
	st := start(t, c, Certificate{})
	chooseNew(st, "portal.example.md")
	key := filepath.Join(dir, "k.pfx")
	st.focus("Where to write the key").keys("ctrl+u", key, "enter")
	st.focus("Password for the key file").keys("pw", "enter", "pw", "enter")
	st.focus("The system's host name").sees("fill in the organisation step first")

	if _, err := os.Lstat(key); err == nil {
		t.Error("a key was written without the organisation")
	}
}

// With plain prompts the same questions make the key; the password is
// asked again when the two differ.
func TestCertificateMakesKeyAccessible(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "a11y.pfx")
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Now = time.Now
	var out strings.Builder
	in := &oneByte{r: strings.NewReader("3\nportal.example.md\n2\n1\n" + key + "\none\ntwo\nsame\nsame\n")}
	if err := (Certificate{}).Accessible(context.Background(), c, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"MPass on the test environment accepts a self-signed certificate", "The two passwords differ.",
		"Wrote " + key, "SHA-256"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dialogue lacks %q:\n%s", want, out.String())
		}
	}
	if c.Cert == nil || c.Answers.Certificate == nil || len(c.Answers.Certificate.DER) == 0 {
		t.Fatalf("no certificate kept; dialogue:\n%s", out.String())
	}
	k := checkKeyFile(t, key, "same", c.Cert.Leaf)
	holdsNoKey(t, "the dialogue", []byte(out.String()), k)
}

// The request path works with plain prompts too: it names the request and
// the command, and records the key's place.
func TestCertificateMakesRequestAccessible(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "stisc.pfx")
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Answers.Env = "production"
	c.Answers.Organization = export.Organization{Type: "person", Name: "Ion Popescu"}
	c.Progress = &Progress{}
	var out strings.Builder
	in := &oneByte{r: strings.NewReader("3\nportal.example.md\n2\n2\n" + key + "\npw\npw\n")}
	if err := (Certificate{}).Accessible(context.Background(), c, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "https://semnatura.md/order/system-certificate") || c.Progress.Pending == nil {
		t.Errorf("pending %+v; dialogue:\n%s", c.Progress.Pending, out.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "stisc.csr"))
	if err != nil || !bytes.Contains(b, []byte("CERTIFICATE REQUEST")) {
		t.Fatalf("request: %v", err)
	}
	data, _ := os.ReadFile(key)
	if _, _, err := pkcs12.Decode(data, "pw"); err != nil {
		t.Errorf("the legacy key file does not open: %v", err)
	}
}

func TestPairedPath(t *testing.T) {
	for in, want := range map[string]string{
		"system-key.pfx":               "system.pfx",
		"/k/portal-key.p12":            "/k/portal.p12",
		"portal.pfx":                   "portal-issued.pfx",
		filepath.Join("d", "-key.pfx"): filepath.Join("d", "-key-issued.pfx"),
	} {
		if got := pairedPath(in); got != want {
			t.Errorf("pairedPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Enter alone at the path prompt keeps the offered file in the current
// folder.
func TestCertificateMakesKeyAtTheOfferedPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Now = time.Now
	var out strings.Builder
	in := &oneByte{r: strings.NewReader("3\nportal.example.md\n2\n1\n\npw\npw\n")}
	if err := (Certificate{}).Accessible(context.Background(), c, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Where to write the key (Enter: system-key.pfx)") {
		t.Errorf("the offered path is not named:\n%s", out.String())
	}
	checkKeyFile(t, filepath.Join(dir, "system-key.pfx"), "pw", c.Cert.Leaf)
	if _, err := os.Stat(filepath.Join(dir, "system-key.cer")); err != nil {
		t.Errorf("no certificate beside the key: %v", err)
	}
}

// BenchmarkMakeKey measures what the step does after the last question:
// make the key, encrypt it, write both files and load the certificate.
func BenchmarkMakeKey(b *testing.B) {
	for _, legacy := range []bool{false, true} {
		b.Run(map[bool]string{false: "modern-3072", true: "legacy-3072"}[legacy], func(b *testing.B) {
			dir := b.TempDir()
			i := 0
			for b.Loop() {
				i++
				key := filepath.Join(dir, "k"+strconv.Itoa(i)+".pfx")
				opts := keygen.Options{Kind: keygen.KindMPassTest, Bits: keygen.DefaultBits, CommonName: "a.example.md"}
				if msg := makeKey(opts, "pw", legacy, key, publicPath(key, opts.Kind)); msg.err != nil {
					b.Fatal(msg.err)
				}
			}
		})
	}
}
