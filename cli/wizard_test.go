package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/ui"
)

// The wizard's abort becomes the exit code a shell expects (128 + the
// signal; 130 for Ctrl+C or esc), after the resume hint on stderr.
func TestWizardAbortExitCodes(t *testing.T) {
	for _, tc := range []struct {
		sig  os.Signal
		want int
	}{{nil, 130}, {os.Interrupt, 130}, {syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		var stderr bytes.Buffer
		a := &app{env: &Env{Stderr: &stderr, Getenv: func(string) string { return "" }}, lang: "en"}
		out := ui.Outcome{Aborted: true, AnswersPath: "/tmp/answers.json", ResumeAt: "Organization", Lang: "en"}
		err := a.wizardAborted(out, &ui.AbortError{Signal: tc.sig})
		var e *exitError
		if !errors.As(err, &e) || e.code != tc.want {
			t.Errorf("%v: %v, want exit %d", tc.sig, err, tc.want)
		}
		if !strings.Contains(stderr.String(), "/tmp/answers.json") || !strings.Contains(stderr.String(), "Organization") {
			t.Errorf("%v: stderr %q does not say where the answers are", tc.sig, stderr.String())
		}
	}
}

// The package a finished wizard wrote (its last registration in the saved
// answers) is recorded in the ledger; answers that remember no package
// made during this run record nothing.
func TestWizardPackageIsRecordedInTheLedger(t *testing.T) {
	s := tempStore(t)
	dir := t.TempDir()
	l, err := cert.Demo(ledgerNow)
	if err != nil {
		t.Fatal(err)
	}
	c := export.NewCertificate(l)
	c.Demo = false // a real certificate, as far as the ledger is concerned
	path := answersFile(t, dir, func(a *export.Answers) {
		a.Certificate = c
		a.Record(export.Registration{Env: a.Env, SerialHex: c.SerialHex(), SHA256: c.SHA256(), Built: ledgerNow, Package: filepath.Join(dir, "pkg")})
	})
	var stderr bytes.Buffer
	a := &app{env: &Env{Stderr: &stderr, Getenv: func(string) string { return "" }, Now: func() time.Time { return ledgerNow }}, lang: "en"}

	a.recordWizardPackage(path, ledgerNow.Add(time.Hour)) // the package is older than the run
	if lg, err := s.Ledger(); err != nil || len(lg.Entries) != 0 {
		t.Fatalf("a package from an earlier run was recorded: %+v %v", lg, err)
	}
	a.recordWizardPackage(path, ledgerNow.Add(-time.Minute))
	lg, err := s.Ledger()
	if err != nil || len(lg.Entries) != 1 {
		t.Fatalf("ledger: %+v %v (%s)", lg, err, stderr.String())
	}
	if e := lg.Entries[0]; e.SerialHex != c.SerialHex() || e.Env != "test" || e.Package != filepath.Join(dir, "pkg") || !e.Built.Equal(ledgerNow) {
		t.Errorf("entry %+v", e)
	}
}
