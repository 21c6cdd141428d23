package steps

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/emltest"
	"github.com/egovmd/egovsetup/internal/testpki"
)

const overrideNote = "WRITTEN ALTHOUGH THESE CHECKS FAIL"

// ageTestCert is a certificate from a chain like AGE's test PKI (fine for
// the test environment, refused in production) that expires at notAfter,
// loaded as the wizard loads a .pfx: key included.
func ageTestCert(t *testing.T, now, notAfter time.Time) *cert.Loaded {
	t.Helper()
	tmpl := testpki.LeafTemplate("sistem.primaria-exemplu.md", now)
	tmpl.NotAfter = notAfter
	key := testpki.NewRSAKey()
	ch := testpki.ChainFrom(now, "egov.md", "E-Governance Agency", "pki.egov.md", tmpl, key)
	data := testpki.PFX(pkcs12.Modern2023, key, ch.Leaf.Cert, []*x509.Certificate{ch.Intermediate.Cert, ch.Root.Cert}, "pw")
	l, err := cert.Load(context.Background(), data, "pw")
	if err != nil {
		t.Fatal(err)
	}
	l.Path = filepath.Join(t.TempDir(), "sistem.pfx")
	return l
}

// exampleContext is the example MSign + MPass test registration, complete,
// with the certificate c loaded in this run and a connectivity result for
// the test environment.
func exampleContext(t *testing.T, l *cert.Loaded) *Context {
	t.Helper()
	a, err := export.LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := newContext()
	c.Answers = a
	keep(c, l)
	c.Answers.Connectivity = []export.ConnectivityResult{{ID: "tls", Service: "msign", Env: "test",
		Target: "https://msign.test.example", Severity: checks.Pass}}
	return c
}

// toProduction switches the answers to production, as the services step
// does from the review once testing is done.
func toProduction(a *export.Answers) {
	a.Env, a.TestingDone, a.TestedOn = "production", true, "2026-11-20"
	a.MPass.Test = &export.LogoutURLs{Request: a.MPass.LogoutRequestURL, Response: a.MPass.LogoutResponseURL}
	a.MPass.Production = &export.LogoutURLs{Request: a.MPass.LogoutRequestURL, Response: a.MPass.LogoutResponseURL}
}

// finished waits for the package step's last screen.
func (st *screenTest) finished() {
	st.t.Helper()
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "The registration package is written") }, 10*time.Second) {
		st.t.Fatalf("no package written:\n%s", st.view())
	}
}

func (st *screenTest) wentBack() bool {
	for _, m := range st.d.Out {
		if _, ok := m.(BackMsg); ok {
			return true
		}
	}
	return false
}

// A finished test registration switched to production with the same,
// meanwhile expired, AGE test certificate: the review marks the certificate
// ✗ with the reasons in words and the test connectivity results stale; the
// package step writes nothing by default; confirming the override writes
// the package with the override recorded in README.txt, the certificate's
// report and every e-mail.
func TestProductionWithTheTestCertificateIsGated(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c := exampleContext(t, ageTestCert(t, now, now.Add(30*24*time.Hour)))
	out := t.TempDir()

	// The test registration passes and is written without a question.
	if j := judge(c); j.Failed() {
		t.Fatalf("the test registration fails: %v", j.Failures())
	}
	rev := start(t, c, Review{})
	rev.sees("All answers are complete")
	c.OutDir = filepath.Join(out, "test")
	start(t, c, Package{}).keys("enter").finished()
	if c.Answers.TestCertificate() == "" {
		t.Fatal("the test registration was not recorded")
	}

	// Production, two months later: the certificate has expired.
	toProduction(c.Answers)
	c.Now = func() time.Time { return now.Add(60 * 24 * time.Hour) }
	rev = start(t, c, Review{})
	rev.s.SetSize(80, 300)
	v := rev.view()
	for _, w := range []string{"✗ Certificate", "Expired on", "test PKI", "same certificate as the test registration",
		"run for another environment", "checks fail (marked ✗)"} {
		if !strings.Contains(v, w) {
			t.Errorf("the review lacks %q:\n%s", w, v)
		}
	}
	if strings.Contains(v, "All answers are complete") || strings.Contains(v, "✓ Certificate") {
		t.Errorf("the review calls a failing registration complete:\n%s", v)
	}

	// The package step lists the failures; enter goes back, nothing written.
	c.OutDir = filepath.Join(out, "prod")
	st := start(t, c, Package{})
	st.sees("AGE would reject this package", "Expired on", "test PKI", "Go back and fix", "Write it anyway — the reasons are recorded")
	st.keys("enter")
	if !st.wentBack() {
		t.Fatalf("enter on the override screen did not go back:\n%s", st.view())
	}
	if _, err := os.Stat(c.OutDir); !os.IsNotExist(err) {
		t.Fatalf("something was written in %s", c.OutDir)
	}

	// Moving to "Write it anyway" and confirming writes it, recorded.
	st = start(t, c, Package{})
	st.keys("down", "enter")
	st.sees("Where should the package be written?")
	st.keys("enter").finished()
	st.sees("Written although checks fail")
	wantOverrideRecorded(t, c.Package)
}

// wantOverrideRecorded checks README.txt, certificate/report.txt and every
// e-mail of the package for the override and its reasons.
func wantOverrideRecorded(t *testing.T, res *export.Result) {
	t.Helper()
	for _, name := range []string{"README.txt", filepath.Join("certificate", "report.txt")} {
		b, err := os.ReadFile(filepath.Join(res.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), overrideNote) || !strings.Contains(string(b), "Expired on") {
			t.Errorf("%s does not record the override:\n%s", name, b)
		}
	}
	if len(res.Emails) == 0 {
		t.Fatal("no e-mails")
	}
	for _, e := range res.Emails {
		// The text as a mail program shows it: its plain and HTML parts.
		m := emltest.Read(t, e.File)
		if body := m.Text + m.HTML; !strings.Contains(body, overrideNote) {
			t.Errorf("%s does not record the override:\n%s", e.File, body)
		}
	}
}

// The review opens at its top, though the cursor waits on the line that
// writes the package at its bottom.
func TestReviewOpensAtItsTop(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c := exampleContext(t, ageTestCert(t, now, now.Add(300*24*time.Hour)))
	st := start(t, c, Review{})
	st.s.SetSize(80, 20)
	st.sees("All answers are complete", "Services", "Organization")
	if strings.Contains(st.view(), "Write the registration package →") {
		t.Fatalf("the review opened at its bottom:\n%s", st.view())
	}
	// The first key that moves the cursor brings it into view.
	st.keys("up", "down")
	st.sees("▸ Write the registration package")
}

// On a failing certificate the preselected choice is another file: enter
// does not accept it.
func TestFailingCertificateDefaultsToAnotherFile(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	l := ageTestCert(t, now, now.Add(-24*time.Hour)) // expired
	c := newContext()
	c.Answers.Services, c.Cert = []string{"msign"}, l
	st := start(t, c, Certificate{})
	st.sees("Use it anyway", "Choose another file")
	st.keys("enter")
	st.wantDone(false)
	if c.Cert != nil || c.Answers.Certificate != nil {
		t.Errorf("enter kept the failing certificate")
	}
	st.sees("Certificate file")

	// Moving to "Use it anyway" and confirming still uses it.
	c.Cert = l
	st = start(t, c, Certificate{})
	st.keys("up", "enter")
	st.wantDone(true)
}

// In accessible mode the question on a failing certificate is [y/N]: enter
// chooses another file.
func TestFailingCertificateAccessibleDefaultsToNo(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	l := ageTestCert(t, now, now.Add(-24*time.Hour))
	path := filepath.Join(t.TempDir(), "expired.cer")
	if err := os.WriteFile(path, testpki.PEM(l.Leaf), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newContext()
	c.Answers.Services = []string{"msign"}
	var out strings.Builder
	// File, the path, enter on the question; then the input ends.
	in := &oneByte{r: strings.NewReader("1\n" + path + "\n\n")}
	err := (Certificate{}).Accessible(context.Background(), c, in, &out)
	if err == nil || c.Answers.Certificate != nil {
		t.Fatalf("enter accepted the failing certificate (err %v):\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Use it anyway (see the problems above) [y/N]") {
		t.Errorf("the question is not [y/N]:\n%s", out.String())
	}
}

// In accessible mode the package step lists the failures and asks [y/N]:
// enter goes back to the review; y writes it with the override recorded.
func TestPackageAccessibleOverride(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c := exampleContext(t, ageTestCert(t, now, now.Add(-24*time.Hour)))
	c.OutDir = filepath.Join(t.TempDir(), "pkg")
	var out strings.Builder
	err := (Package{}).Accessible(context.Background(), c, &oneByte{r: strings.NewReader("\n")}, &out)
	if g, ok := err.(GotoError); !ok || g.ID != "review" {
		t.Fatalf("enter did not go back to the review: %v\n%s", err, out.String())
	}
	for _, w := range []string{"AGE would reject this package", "Expired on", "[y/N]"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the dialogue lacks %q:\n%s", w, out.String())
		}
	}
	if _, err := os.Stat(c.OutDir); !os.IsNotExist(err) {
		t.Fatal("something was written")
	}
	out.Reset()
	if err := (Package{}).Accessible(context.Background(), c, &oneByte{r: strings.NewReader("y\n\n")}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	wantOverrideRecorded(t, c.Package)
}

// In accessible mode the review marks the sections as the screen does, says
// the checks fail, and offers first to fix the certificate: enter opens it.
func TestReviewAccessibleOffersTheFixFirst(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c := exampleContext(t, ageTestCert(t, now, now.Add(-24*time.Hour)))
	var out strings.Builder
	err := (Review{}).Accessible(context.Background(), c, &oneByte{r: strings.NewReader("\n")}, &out)
	if g, ok := err.(GotoError); !ok || g.ID != "certificate" {
		t.Fatalf("enter did not open the certificate step: %v\n%s", err, out.String())
	}
	for _, w := range []string{"✗ Certificate", "  ✗ Expired on", "✓ Organization", "1 check fails (marked ✗)"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the review lacks %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "All answers are complete") {
		t.Errorf("the review calls a failing registration complete:\n%s", out.String())
	}
}
