package steps

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// The package the wizard writes is in the ledger, under the system it was
// written for, as egovsetup status and renew read it.
func TestPackageStepRecordsThePackageInTheLedger(t *testing.T) {
	c := newContext()
	a, err := export.LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	*c.Answers = *a
	ch := testpki.STISC(c.Now(), nil)
	c.Cert = &cert.Loaded{Leaf: ch.Leaf.Cert}
	c.Answers.Certificate = export.NewCertificate(c.Cert)
	c.Store = &export.Store{Dir: t.TempDir()}
	c.SystemID = "registrul-x"
	out := t.TempDir()
	c.OutDir = out
	st := start(t, c, Package{})
	st.keys("enter")
	st.d.WaitFor(func() bool { return c.Package != nil }, 10*time.Second)
	if c.Package == nil {
		t.Fatalf("no package written:\n%s", st.view())
	}
	l, err := c.Store.Ledger()
	if err != nil || len(l.Entries) != 1 {
		t.Fatalf("ledger: %+v %v", l, err)
	}
	e := l.Entries[0]
	if e.SystemID != "registrul-x" || e.Env != "test" || e.SerialHex != cert.SerialHex(ch.Leaf.Cert) ||
		e.Package != c.Package.Dir || !e.NotAfter.Equal(ch.Leaf.Cert.NotAfter.UTC()) || strings.Join(e.Services, ",") != strings.Join(a.Services, ",") {
		t.Errorf("ledger entry: %+v", e)
	}
	if c.RecordErr != nil || strings.Contains(st.view(), "could not be recorded") {
		t.Errorf("record error: %v", c.RecordErr)
	}

	unrecordedPackageSaysSo(t, a, c.Cert)
}

// unrecordedPackageSaysSo: a ledger that cannot be written leaves the
// package written, and the last screen says it was not recorded.
func unrecordedPackageSaysSo(t *testing.T, a *export.Answers, l *cert.Loaded) {
	t.Helper()
	out := t.TempDir()
	c2 := newContext()
	*c2.Answers = *a
	c2.Cert = l
	c2.Answers.Certificate = export.NewCertificate(l)
	c2.Store = &export.Store{Dir: filepath.Join(out, "ledger-is-a-file")}
	if err := os.WriteFile(c2.Store.Dir, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	c2.OutDir = t.TempDir()
	st2 := start(t, c2, Package{})
	st2.keys("enter")
	st2.d.WaitFor(func() bool { return c2.Package != nil }, 10*time.Second)
	if c2.Package == nil || c2.RecordErr == nil {
		t.Fatalf("package %v, record error %v", c2.Package, c2.RecordErr)
	}
	st2.sees("The package is written, but it could not be recorded for egovsetup status")
}

// ledgerWith is a context for the example answers (MPass and MSign on
// test) of the store's system "registrul", whose ledger records leaf for
// env and services.
func ledgerWith(t *testing.T, leaf *x509.Certificate, env string, services ...string) *Context {
	t.Helper()
	c := newContext()
	a, err := export.LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	*c.Answers = *a
	c.Store = &export.Store{Dir: t.TempDir()}
	c.SystemID = "registrul"
	other := export.NewAnswers()
	other.System.Name, other.Env, other.Services = a.System.Name, env, services
	other.Certificate = export.NewCertificate(&cert.Loaded{Leaf: leaf})
	if err := c.Store.Record(other, "registrul", "/srv/packages/registrul-"+env, c.Now().AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	c.OutDir = t.TempDir()
	return c
}

// loadCertFile chooses "a file" on the certificate step and loads path.
func loadCertFile(st *screenTest, path string) {
	st.t.Helper()
	st.focus("How does AGE get the certificate?").keys("enter")
	st.focus("Certificate file").keys(path, "enter")
	if !st.d.WaitFor(func() bool { return st.s.(*certScreen).state == certShow }, 10*time.Second) {
		st.t.Fatalf("the certificate was not shown:\n%s", st.view())
	}
}

// The certificate step applies AGE's rule on the ledger: the certificate
// the same system has registered for production is refused for test, with
// the reason and no way to use it; the one it uses for MPower on test is
// taken for MPass and MSign on test.
func TestCertificateStepAppliesTheLedgerRule(t *testing.T) {
	leaf := testpki.STISC(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), nil).Leaf.Cert
	path := filepath.Join(t.TempDir(), "system.cer")
	if err := os.WriteFile(path, leaf.Raw, 0o600); err != nil {
		t.Fatal(err)
	}

	c := ledgerWith(t, leaf, "production", "msign")
	st := start(t, c, Certificate{})
	loadCertFile(st, path)
	seesFlat(st, "is already registered for this system on the production environment (package of 2026-10-22)",
		"AGE requires a different certificate for test and for production", "Choose another file")
	if v := st.view(); strings.Contains(v, "Use this certificate") || strings.Contains(v, "Use it anyway") {
		t.Errorf("the forbidden certificate is offered for use:\n%s", v)
	}
	st.keys("enter")
	st.wantDone(false)
	st.focus("Certificate file")
	if c.Answers.Certificate != nil {
		t.Errorf("the forbidden certificate is kept: %+v", c.Answers.Certificate)
	}

	c = ledgerWith(t, leaf, "test", "mpower")
	st = start(t, c, Certificate{})
	loadCertFile(st, path)
	if strings.Contains(st.view(), "already registered") {
		t.Errorf("the certificate of the same system and environment is refused:\n%s", st.view())
	}
	st.keys("enter")
	st.wantDone(true)
	if c.Answers.Certificate.SerialHex() != cert.SerialHex(leaf) {
		t.Errorf("certificate kept: %+v", c.Answers.Certificate)
	}
}

// The package step never writes a package for a certificate the ledger
// forbids: it says why and leads back to the certificate step; the
// line-by-line wizard does the same. A certificate the same system uses on
// another platform of the same environment is written.
func TestPackageStepAppliesTheLedgerRule(t *testing.T) {
	leaf := testpki.STISC(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), nil).Leaf.Cert
	forbidden := func() *Context {
		c := ledgerWith(t, leaf, "production", "msign")
		c.Cert = &cert.Loaded{Leaf: leaf}
		c.Answers.Certificate = export.NewCertificate(c.Cert)
		return c
	}
	c := forbidden()
	st := start(t, c, Package{})
	seesFlat(st, "No package is written for this certificate.", "is already registered for this system on the production environment",
		"Go back and choose another certificate")
	st.keys("enter")
	if len(st.d.Out) != 1 || st.d.Out[0] != (GotoMsg{ID: "certificate"}) {
		t.Errorf("after enter: %v, want the certificate step", st.d.Out)
	}
	if _, err := buildPackage(c, c.OutDir, false, true); !isConflict(err) {
		t.Errorf("buildPackage: %v, want the ledger's refusal", err)
	}
	var out strings.Builder
	err := Package{}.Accessible(context.Background(), forbidden(), strings.NewReader("\n"), &out)
	if g, ok := err.(GotoError); !ok || g.ID != "certificate" || !strings.Contains(out.String(), "AGE requires a different certificate") {
		t.Errorf("accessible: %v\n%s", err, out.String())
	}
	if entries, _ := os.ReadDir(c.OutDir); len(entries) != 0 || c.Package != nil {
		t.Errorf("written for a forbidden certificate: %v", entries)
	}

	c = ledgerWith(t, leaf, "test", "mpower")
	c.Cert = &cert.Loaded{Leaf: leaf}
	c.Answers.Certificate = export.NewCertificate(c.Cert)
	res, err := buildPackage(c, c.OutDir, false, true)
	if err != nil || res == nil {
		t.Fatalf("the same system's certificate on test: %v", err)
	}
}

// seesFlat checks the screen shows each text, wherever its lines wrap.
func seesFlat(st *screenTest, texts ...string) {
	st.t.Helper()
	flat := strings.Join(strings.Fields(st.view()), " ")
	for _, text := range texts {
		if !strings.Contains(flat, text) {
			st.t.Errorf("screen does not show %q:\n%s", text, st.view())
		}
	}
}

// The refusal names another system as the ledger holds it, escaped: a name
// with terminal controls cannot drive the terminal.
func TestLedgerRefusalEscapesTheOtherSystemsName(t *testing.T) {
	leaf := testpki.STISC(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), nil).Leaf.Cert
	c := ledgerWith(t, leaf, "test", "msign")
	hostile := "Evil\x1b[2J\u202eName"
	err := c.Store.UpdateLedger(func(l *export.Ledger) error {
		l.Entries[0].SystemID, l.Entries[0].System = "evil", hostile
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	v, forbidden := ledgerVerdict(c, export.NewCertificate(&cert.Loaded{Leaf: leaf}))
	if v == nil || !isConflict(forbidden) {
		t.Fatalf("another system's certificate: %v %v", v, forbidden)
	}
	for _, text := range []string{v.Message.In("en"), conflictText(c, forbidden)} {
		if strings.ContainsAny(text, "\x1b\u202e") || !strings.Contains(text, `Evil\x1b[2J\u202eName`) ||
			!strings.Contains(text, "another system") {
			t.Errorf("refusal %q", text)
		}
	}
}

// Answers kept outside the store are recorded under the store's system of
// their name, never under another system whose name makes the same ID
// ("Portal Ă" is not "Portal A"), as egovsetup build records them.
func TestLedgerIDOfAnswersOutsideTheStore(t *testing.T) {
	c := newContext()
	c.Store = &export.Store{Dir: t.TempDir()}
	portal := export.NewAnswers()
	portal.System.Name = "Portal A"
	if err := c.Store.SaveSystem("portal-a", portal); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"Portal A": "portal-a", "portal a": "portal-a", "Portal Ă": "portal-a-2", "Alt portal": "alt-portal"} {
		c.Answers.System.Name = name
		if got := ledgerSystemID(c); got != want {
			t.Errorf("%q recorded under %q, want %q", name, got, want)
		}
	}
}
