package cli

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/emltest"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// buildRun is one `egovsetup build` in-process: its exit code and output.
type buildRun struct {
	code           int
	stdout, stderr string
}

func runBuildCmd(t *testing.T, now time.Time, args ...string) buildRun {
	t.Helper()
	// Each run has an empty ledger of its own (the store is found through
	// $XDG_CONFIG_HOME): what these tests check comes from the answers alone.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: func() time.Time { return now },
		Getenv: func(k string) string {
			if k == PasswordEnv {
				return "pw"
			}
			return ""
		}}
	code := Main(append([]string{"build"}, args...), env)
	return buildRun{code, out.String(), errb.String()}
}

// answersFile saves the example answers, changed by mod, in dir.
func answersFile(t *testing.T, dir string, mod func(*export.Answers)) string {
	t.Helper()
	a, err := export.LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	if mod != nil {
		mod(a)
	}
	path := filepath.Join(dir, "answers.json")
	if err := export.SaveAnswers(path, a); err != nil {
		t.Fatal(err)
	}
	return path
}

// production makes the answers a production registration.
func production(a *export.Answers) {
	a.Env, a.TestingDone, a.TestedOn = "production", true, "2026-01-10"
	a.MPass.Test = &export.LogoutURLs{Request: a.MPass.LogoutRequestURL, Response: a.MPass.LogoutResponseURL}
	a.MPass.Production = &export.LogoutURLs{Request: a.MPass.LogoutRequestURL, Response: a.MPass.LogoutResponseURL}
}

// pfxFile writes a .pfx (password "pw") holding leaf and key, with the chain.
func pfxFile(t *testing.T, dir, name string, key crypto.Signer, leaf *x509.Certificate, cas ...*x509.Certificate) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, testpki.PFX(pkcs12.Modern2023, key, leaf, cas, "pw"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// stiscPFX is a certificate issued by a STISC-like chain, changed by edit.
func stiscPFX(t *testing.T, dir, name string, now time.Time, edit func(*x509.Certificate)) string {
	tmpl := testpki.LeafTemplate("system.example.md", now)
	if edit != nil {
		edit(tmpl)
	}
	key := testpki.NewRSAKey()
	ch := testpki.ChainFrom(now, "MDTrustCA Root", testpki.STISCOrg, "mdtrustca", tmpl, key)
	return pfxFile(t, dir, name, key, ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert)
}

// nothingWritten fails unless out does not exist at all.
func nothingWritten(t *testing.T, out string) {
	t.Helper()
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(out)
		t.Errorf("%s exists (%v); want nothing written", out, entries)
	}
}

// Each kind of failing certificate is refused: exit 1, the failing verdict
// printed, nothing written, the answers file unchanged.
func TestBuildRefusesFailingCertificate(t *testing.T) {
	now := time.Now()
	day := 24 * time.Hour
	dir := t.TempDir()
	weakCA := testpki.CA("mdtrustca", testpki.STISCOrg, nil, now)
	weak := testpki.RSAKey(1024)
	cases := []struct {
		name, want string
		cert       func() string
		answers    func(*export.Answers)
	}{
		{"expired", "expired", func() string {
			return stiscPFX(t, dir, "expired.pfx", now, func(c *x509.Certificate) { c.NotBefore, c.NotAfter = now.Add(-400*day), now.Add(-day) })
		}, nil},
		{"not yet valid", "Not valid yet", func() string {
			return stiscPFX(t, dir, "future.pfx", now, func(c *x509.Certificate) { c.NotBefore = now.Add(day) })
		}, nil},
		{"weak key", "1024", func() string {
			return pfxFile(t, dir, "weak.pfx", weak, testpki.Issue(testpki.LeafTemplate("weak", now), weak.Public(), &weakCA, weak).Cert, weakCA.Cert)
		}, nil},
		{"SHA-1", "SHA1", func() string { return sha1PFX(t, dir, now) }, nil},
		{"no clientAuth for MSign", "clientAuth", func() string {
			return stiscPFX(t, dir, "noclient.pfx", now, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} })
		}, nil},
		{"CA", "CA", func() string {
			return stiscPFX(t, dir, "ca.pfx", now, func(c *x509.Certificate) { c.IsCA = true; c.KeyUsage |= x509.KeyUsageCertSign })
		}, nil},
		{"key mismatch", "key", func() string {
			ch := testpki.STISC(now, nil)
			return pfxFile(t, dir, "mismatch.pfx", testpki.ECKey(), ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert)
		}, nil},
		{"AGE test PKI in production", "test", func() string {
			key := testpki.NewRSAKey()
			ch := testpki.ChainFrom(now, "egov.md", "E-Governance Agency", "pki.egov.md", nil, key)
			return pfxFile(t, dir, "age.pfx", key, ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert)
		}, production},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cdir := t.TempDir()
			ans := answersFile(t, cdir, c.answers)
			before, _ := os.ReadFile(ans)
			out := filepath.Join(cdir, "out")
			r := runBuildCmd(t, now, "--answers", ans, "--cert", c.cert(), "-o", out)
			if r.code != ExitFailed {
				t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "The package was not written") || !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr does not name the failure (%q):\n%s", c.want, r.stderr)
			}
			nothingWritten(t, out)
			if after, _ := os.ReadFile(ans); !bytes.Equal(before, after) {
				t.Error("the answers file changed")
			}
		})
	}
}

// sha1PFX is a leaf signed with SHA-1 by an RSA CA named like STISC's.
func sha1PFX(t *testing.T, dir string, now time.Time) string {
	caKey := testpki.RSAKey(2048)
	ca := testpki.Cert{Cert: testpki.Issue(&x509.Certificate{Subject: testpki.CA("mdtrustca", testpki.STISCOrg, nil, now).Cert.Subject,
		IsCA: true, BasicConstraintsValid: true, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(900 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign}, caKey.Public(), nil, caKey).Cert, Key: caKey}
	tmpl := testpki.LeafTemplate("sha1", now)
	tmpl.SignatureAlgorithm = x509.SHA1WithRSA
	k := testpki.ECKey()
	return pfxFile(t, dir, "sha1.pfx", k, testpki.Issue(tmpl, k.Public(), &ca, k).Cert, ca.Cert)
}

// A CLI build records the registration in the answers file, so the same
// certificate is then refused for production (and a new one accepted).
func TestBuildRecordsRegistrationAndProductionRefusesTheTestCertificate(t *testing.T) {
	now := time.Now()
	dir := t.TempDir()
	ans := answersFile(t, dir, nil)
	pfx := stiscPFX(t, dir, "sys.pfx", now, nil)
	if r := runBuildCmd(t, now, "--answers", ans, "--cert", pfx, "-o", filepath.Join(dir, "test")); r.code != 0 {
		t.Fatalf("test build: exit %d\n%s", r.code, r.stderr)
	}
	a, err := export.LoadAnswers(ans)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Registered) != 1 || a.Registered[0].Env != "test" || a.TestCertificate() == "" ||
		!strings.HasPrefix(a.Registered[0].Package, filepath.Join(dir, "test")) {
		t.Fatalf("registration not recorded: %+v", a.Registered)
	}
	production(a)
	if err := export.SaveAnswers(ans, a); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "prod")
	r := runBuildCmd(t, now, "--answers", ans, "--cert", pfx, "-o", out)
	if r.code != ExitFailed || !strings.Contains(r.stderr, "same certificate as the test registration") {
		t.Fatalf("same certificate for production: exit %d\n%s", r.code, r.stderr)
	}
	nothingWritten(t, out)
	// Romanian, when asked for.
	r = runBuildCmd(t, now, "--lang", "ro", "--answers", ans, "--cert", pfx, "-o", out)
	if r.code != ExitFailed || !strings.Contains(r.stderr, "Pachetul nu a fost generat") {
		t.Fatalf("--lang ro: exit %d\n%s", r.code, r.stderr)
	}
	if r := runBuildCmd(t, now, "--answers", ans, "--cert", stiscPFX(t, dir, "prod.pfx", now, nil), "-o", out); r.code != 0 {
		t.Fatalf("a new certificate for production: exit %d\n%s", r.code, r.stderr)
	}
}

// --accept-failures writes the package and records the override in
// README.txt, the certificate report and every e-mail.
func TestBuildAcceptFailuresRecordsTheOverride(t *testing.T) {
	now := time.Now()
	dir := t.TempDir()
	ans := answersFile(t, dir, nil)
	pfx := stiscPFX(t, dir, "noclient.pfx", now, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} })
	out := filepath.Join(dir, "out")
	r := runBuildCmd(t, now, "--answers", ans, "--cert", pfx, "-o", out, "--accept-failures")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "WRITTEN ALTHOUGH THESE CHECKS FAIL") || !strings.Contains(r.stderr, "clientAuth") {
		t.Errorf("the override is not said on stderr:\n%s", r.stderr)
	}
	pkgs, _ := filepath.Glob(filepath.Join(out, "*-test-*"))
	var pkg string
	for _, p := range pkgs {
		if !strings.HasSuffix(p, ".zip") {
			pkg = p
		}
	}
	if pkg == "" {
		t.Fatalf("no package in %v", pkgs)
	}
	files := []string{"README.txt", "certificate/report.txt"}
	emls, _ := filepath.Glob(filepath.Join(pkg, "email", "*.eml"))
	if len(emls) != 2 {
		t.Fatalf("e-mails: %v", emls)
	}
	for _, e := range emls {
		rel, _ := filepath.Rel(pkg, e)
		files = append(files, rel)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(pkg, f))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if strings.HasSuffix(f, ".eml") {
			m := emltest.Parse(t, b) // its text parts, decoded
			text = m.Text + m.HTML
		}
		if !strings.Contains(text, "WRITTEN ALTHOUGH THESE CHECKS FAIL") {
			t.Errorf("%s does not record the override:\n%s", f, text)
		}
	}
}

// export's errors reach the user in the chosen language: the package that
// is already there, in Romanian.
func TestBuildPrintsExportErrorsInTheUsersLanguage(t *testing.T) {
	now := time.Now()
	dir := t.TempDir()
	ans := answersFile(t, dir, nil)
	out := filepath.Join(dir, "out")
	if r := runBuildCmd(t, now, "--answers", ans, "--demo", "-o", out); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r := runBuildCmd(t, now, "--lang", "ro", "--answers", ans, "--demo", "-o", out)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "există deja; nu a fost înlocuit nimic") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// A build refused by the judgement writes nothing and records nothing,
// neither in the answers file nor in the ledger; a written package is
// recorded in both, under the same serial.
func TestBuildRecordsInAnswersAndLedgerOnlyWhenWritten(t *testing.T) {
	now := time.Now()
	dir := t.TempDir()
	s := tempStore(t)
	ans := answersFile(t, dir, nil)
	before, _ := os.ReadFile(ans)
	pfx := stiscPFX(t, dir, "noclient.pfx", now, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} })
	out := filepath.Join(dir, "out")
	env := map[string]string{PasswordEnv: "pw"}
	if code, _, errOut := runAt(t, now, env, "build", "--answers", ans, "--cert", pfx, "-o", out, "--lang", "en"); code != ExitFailed {
		t.Fatalf("failing certificate: exit %d\n%s", code, errOut)
	}
	nothingWritten(t, out)
	if after, _ := os.ReadFile(ans); !bytes.Equal(after, before) {
		t.Errorf("a refused build changed the answers file")
	}
	if l, err := s.Ledger(); err != nil || len(l.Entries) != 0 {
		t.Errorf("a refused build was recorded in the ledger: %+v %v", l, err)
	}

	if code, _, errOut := runAt(t, now, env, "build", "--answers", ans, "--cert", pfx, "-o", out, "--accept-failures"); code != ExitOK {
		t.Fatalf("--accept-failures: exit %d\n%s", code, errOut)
	}
	a, err := export.LoadAnswers(ans)
	if err != nil || len(a.Registered) != 1 {
		t.Fatalf("answers after the build: %+v %v", a, err)
	}
	l, err := s.Ledger()
	if err != nil || len(l.Entries) != 1 {
		t.Fatalf("ledger after the build: %+v %v", l, err)
	}
	if e, r := l.Entries[0], a.Registered[0]; e.SerialHex != r.SerialHex || e.Env != r.Env || e.Package != r.Package || e.SHA256 != r.SHA256 {
		t.Errorf("the ledger and the answers disagree: %+v / %+v", e, r)
	}
}
