package steps

import (
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
