package steps

import (
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/export"
)

// The last screen walks AGE's current steps in order (platforms/procedure.md,
// mpass/process2.md, msign/process.md), names servicii@egov.md in Cc, and for
// production gives the same instruction about the request as the package's
// README: not sent again unless AGE asks; no tests on production
// (mpass/integration-development.md).
func TestSummaryWalksAGERoute_Process2(t *testing.T) {
	res := &export.Result{Dir: "/tmp/pkg", Emails: []export.Email{{To: "support.mpass@egov.md", Cc: "servicii@egov.md",
		File: "/tmp/pkg/email/01-support.mpass@egov.md.eml", Subject: "S", Attachments: []string{"sys.cer"}}}}
	c := newContext()
	got := Summary(c, res, false)
	last := -1
	for _, w := range []string{"To support.mpass@egov.md, Cc servicii@egov.md", "Unified Connection Form", "contract or annex",
		"technical-details form", "Send the e-mails above", "AGE configures the test environment", "test-plan/",
		"AGE runs its own tests", "Confirm production", "AGE activates", "7 working days"} {
		i := strings.Index(got, w)
		if i < 0 {
			t.Errorf("the summary lacks %q:\n%s", w, got)
			continue
		}
		if w != "7 working days" && i < last {
			t.Errorf("%q out of order", w)
		}
		last = i
	}
	// AGE's docs give 7 working days (mpass/process2.md "Connection time"); the
	// seeds' procedure, 10 working days for the answer and 30 days for the
	// examination (seed 002 §1 and §3): the summary names both.
	for _, w := range []string{"AGE's guides: at most 7 working days", "its integration procedure gives 10 working days", "up to 30 days"} {
		if !strings.Contains(got, w) {
			t.Errorf("the summary lacks %q:\n%s", w, got)
		}
	}
	c.Answers.Env = "production"
	got = Summary(c, res, false)
	if strings.Contains(got, "test-plan/") || strings.Contains(got, "Unified Connection Form on egov.md;") {
		t.Errorf("production summary repeats test steps:\n%s", got)
	}
	for _, w := range []string{"Run no tests on production", "The request in request/ is not sent again, unless AGE asks for it"} {
		if !strings.Contains(got, w) {
			t.Errorf("production summary lacks %q", w)
		}
	}
	// In Romanian too.
	c.Lang = "ro"
	if got := Summary(c, res, false); !strings.Contains(got, "Solicitarea din request/ nu se trimite din nou, decât dacă AGE o cere") ||
		!strings.Contains(got, "în copie servicii@egov.md") {
		t.Errorf("ro production summary:\n%s", got)
	}
}

// On a short terminal the last screen keeps what to send to whom and says
// where AGE's steps are, instead of pushing them off the screen.
func TestDoneScreenFitsShortTerminal(t *testing.T) {
	res := &export.Result{Dir: "/tmp/pkg", Emails: []export.Email{{To: "support.mpass@egov.md", Cc: "servicii@egov.md",
		File: "/tmp/pkg/email/01-support.mpass@egov.md.eml", Subject: "S", Attachments: []string{"sys.cer"}}}}
	c := newContext()
	s := &pkgScreen{c: c, state: pkgDone, result: res, width: 80, height: 16}
	v := s.View()
	if !strings.Contains(v, "Cc servicii@egov.md") || !strings.Contains(v, "AGE's steps, in order, are printed when you finish") {
		t.Errorf("short screen:\n%s", v)
	}
	if n := strings.Count(v, "\n") + 1; n > 16 {
		t.Errorf("%d lines on a 16-line screen:\n%s", n, v)
	}
	s.height = 60
	if v := s.View(); !strings.Contains(v, "Unified Connection Form") {
		t.Errorf("tall screen lacks AGE's steps:\n%s", v)
	}
}

// When only the folder of a package is there, the question to replace it
// names the missing .zip.
func TestReplaceQuestionNamesTheMissingHalf(t *testing.T) {
	c := newContext()
	s := &pkgScreen{c: c, width: 100, height: 30}
	s.askOverwrite(&export.ExistsError{Path: "/tmp/out/pkg", Missing: "/tmp/out/pkg.zip"})
	if v := s.View(); !strings.Contains(v, "/tmp/out/pkg is there, but /tmp/out/pkg.zip is missing. Write the package again?") {
		t.Errorf("the question:\n%s", v)
	}
	s.askOverwrite(&export.ExistsError{Path: "/tmp/out/pkg"})
	if v := s.View(); !strings.Contains(v, "/tmp/out/pkg already exists. Replace it?") {
		t.Errorf("the question:\n%s", v)
	}
}
