package export

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
)

// At 80 columns the summary breaks between words only: each e-mail's file
// name stays whole on one line, and a line that goes on is indented under
// its own text rather than starting at the margin.
func TestSummaryWrapsBetweenWords(t *testing.T) {
	res, _ := buildExample(t, nil)
	a := exampleAnswers(t)
	got := Summary(res, a, assets.Embedded(), SummaryOptions{Lang: "en", Width: 80, NoRoute: true})
	lines := strings.Split(got, "\n")
	// Only a word too long for any line (the package's path) may go past
	// the edge; it stays after its label.
	for _, l := range lines {
		f := strings.Fields(l)
		if utf8.RuneCountInString(l) > 80 && (len(f) > 2 || utf8.RuneCountInString(f[len(f)-1]) <= 70) {
			t.Errorf("line over 80 columns: %q", l)
		}
	}
	if !strings.Contains(got, "  Folder "+res.Dir+"\n") {
		t.Errorf("the folder is not after its label:\n%s", got)
	}
	for _, e := range res.Emails {
		name := filepath.Base(e.File)
		found := false
		for _, l := range lines {
			found = found || strings.Contains(l, name)
		}
		if !found {
			t.Errorf("%s is not whole on any line:\n%s", name, got)
		}
	}
	for i, l := range lines {
		if i > 0 && strings.HasPrefix(lines[i-1], "  1. ") && !strings.HasPrefix(l, "     ") {
			t.Errorf("the line after %q is not indented: %q", lines[i-1], l)
		}
	}
	if !strings.Contains(got, "  1. To support.mpass@egov.md, Cc servicii@egov.md: open") {
		t.Errorf("summary:\n%s", got)
	}
}

// Unwrapped, the summary is the same text on longer lines, in the user's
// language, with AGE's steps.
func TestSummaryUnwrappedInRomanian(t *testing.T) {
	res, _ := buildExample(t, nil)
	a := exampleAnswers(t)
	got := Summary(res, a, assets.Embedded(), SummaryOptions{Lang: "ro"})
	for _, w := range []string{"✓ " + assets.T("ro", "package.written"), "în copie servicii@egov.md", filepath.Base(res.Emails[1].File),
		"Subiect: " + res.Emails[0].Subject, "office@egov.md"} {
		if !strings.Contains(got, w) {
			t.Errorf("the summary lacks %q:\n%s", w, got)
		}
	}
	if short := Summary(res, a, assets.Embedded(), SummaryOptions{Lang: "ro", NoRoute: true, NoSubjects: true}); strings.Contains(short, "Subiect:") ||
		strings.Contains(short, "office@egov.md") {
		t.Errorf("the short summary keeps subjects or AGE's steps:\n%s", short)
	}
}

// A path with terminal escapes is shown escaped; styles dress the parts
// they are asked for, after wrapping.
func TestSummaryEscapesAndStyles(t *testing.T) {
	a := exampleAnswers(t)
	res := &Result{Dir: "/tmp/pkg\x1b[2J", Zip: "/tmp/pkg.zip", Emails: []Email{{To: "support.mpass@egov.md",
		File: "/tmp/pkg/email/01-x\u202e.eml", Subject: "S\x07", Attachments: []string{"/tmp/pkg/a.cer"}}}}
	style := func(role SummaryRole, s string) string { return "<" + string(rune('0'+role)) + ">" + s + "</>" }
	got := Summary(res, a, assets.Embedded(), SummaryOptions{Lang: "en", Width: 40, Style: style})
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Errorf("raw control in the summary: %q", got)
	}
	for _, w := range []string{`/tmp/pkg\x1b[2J`, `01-x\u202e.eml`, `S\x07`, "<0>✓ The registration package is written.</>",
		"  <1>Folder</> /tmp/pkg", "<2>What to send</>", "Attached: a.cer"} {
		if !strings.Contains(got, w) {
			t.Errorf("the summary lacks %q:\n%s", w, got)
		}
	}
}

// A long e-mail subject wraps at 80 columns with its further lines indented
// under the subject's text, in Romanian and Russian, no word broken.
func TestSummarySubjectHangs(t *testing.T) {
	res, _ := buildExample(t, nil)
	a := exampleAnswers(t)
	for i := range res.Emails {
		res.Emails[i].Subject = "Solicitare de înregistrare a sistemului informațional „Registrul autorizațiilor de construcție al Primăriei municipiului Chișinău” în MPass și MSign (mediul de test)"
	}
	for _, lang := range []string{"ro", "ru"} {
		got := Summary(res, a, assets.Embedded(), SummaryOptions{Lang: lang, Width: 80, NoRoute: true})
		lines := strings.Split(got, "\n")
		label := assets.T(lang, "package.send.subject", "Subject", "")
		hang := strings.Repeat(" ", 5+utf8.RuneCountInString(label))
		for i, l := range lines {
			if utf8.RuneCountInString(l) > 80 && strings.Count(strings.TrimSpace(l), " ") > 1 {
				t.Errorf("%s: line over 80 columns: %q", lang, l)
			}
			if !strings.HasPrefix(l, "     "+label) {
				continue
			}
			if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], hang) || strings.HasPrefix(lines[i+1], hang+" ") {
				t.Errorf("%s: the subject does not go on under its text:\n%s", lang, got)
			}
		}
		for _, w := range strings.Fields(res.Emails[0].Subject) {
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l, w)
			}
			if !found {
				t.Errorf("%s: %q broken:\n%s", lang, w, got)
			}
		}
	}
}
