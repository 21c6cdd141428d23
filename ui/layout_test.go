package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/steps"
)

// progressLine is the header's second line: the marks, then the step.
func (st *shellTest) progressLine() string {
	lines := strings.Split(st.screen(), "\n")
	if len(lines) < 2 {
		st.t.Fatalf("no progress line:\n%s", st.screen())
	}
	return strings.TrimSpace(lines[1])
}

// fits checks that no line of the screen is wider than width cells.
func (st *shellTest) fits(width int) {
	st.t.Helper()
	for _, l := range strings.Split(st.m.View().Content, "\n") {
		if w := ansi.StringWidth(l); w > width {
			st.t.Errorf("line of %d cells at width %d: %q", w, width, ansi.Strip(l))
		}
	}
}

// The progress line keeps one form from the first screen on, in every
// language at 80x24: the marks, then "Step N: Title" until the services are
// chosen (the number of steps depends on them), then "Step N of M: Title"
// with the count of the steps the chosen services need, which stays.
func TestProgressLineKeepsOneStyleAndCount(t *testing.T) {
	for _, lang := range []string{"en", "ro", "ru"} {
		t.Run(lang, func(t *testing.T) {
			st := newShellTest(t, export.NewAnswers(), false)
			st.m.c.Lang = lang
			st.d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
			services := assets.T(lang, "step.services.title")
			shape := regexp.MustCompile(`^[✓●○]+  \S`)

			first := st.progressLine()
			if !strings.HasPrefix(first, "●  "+assets.T(lang, "shell.step", "N", 1, "Title", services)) || !shape.MatchString(first) {
				t.Errorf("first screen's progress line: %q", first)
			}
			st.fits(80)

			// All three services, test: ten steps.
			st.d.Keys("ctrl+a", "enter", "enter")
			org := assets.T(lang, "step.organization.title")
			second := st.progressLine()
			if !strings.HasPrefix(second, "✓●○○○○○○○○  "+assets.T(lang, "shell.step_of", "N", 2, "Total", 10, "Title", org)) || !shape.MatchString(second) {
				t.Errorf("second screen's progress line: %q", second)
			}
			st.fits(80)

			// Back on the first screen the count is the one now known.
			st.d.Keys("shift+tab")
			back := st.progressLine()
			if !strings.HasPrefix(back, "●○○○○○○○○○  "+assets.T(lang, "shell.step_of", "N", 1, "Total", 10, "Title", services)) {
				t.Errorf("first screen again: %q", back)
			}
		})
	}
}

// The resume question names the answers file: at 80 columns (a screen 78
// wide) its path is never broken at a dot ("answers.⏎json"), in any
// language, wherever the system's name puts it on the line.
func TestResumePathStaysWhole(t *testing.T) {
	const path = "/home/ana/.config/egovsetup/answers.json"
	for _, lang := range []string{"en", "ro", "ru"} {
		for n := 0; n < 80; n++ {
			a := export.NewAnswers()
			a.Services = []string{"msign"}
			a.System.Name = "Registrul " + strings.Repeat("a", n)
			a.Complete("services")
			c := &steps.Context{Answers: a, Progress: &steps.Progress{Completed: a.Completed}, Data: assets.Embedded(), Lang: lang}
			r := newResumeScreen(c, &session{path: path})
			r.Init()
			r.SetSize(78, 20)
			view := ansi.Strip(r.View())
			found := false
			for _, l := range strings.Split(view, "\n") {
				found = found || strings.Contains(l, path)
				if w := ansi.StringWidth(l); w > 78 {
					t.Errorf("%s: line of %d cells: %q", lang, w, l)
				}
			}
			if !found {
				t.Errorf("%s: the path is broken across lines:\n%s", lang, view)
			}
		}
	}
}

// The notice under the header (saved answers moved aside) and a save error
// above the keys wrap between words at 80 columns: the paths in them stay
// whole.
func TestNoticeAndSaveErrorWrap(t *testing.T) {
	for _, lang := range []string{"ro", "ru"} {
		st := newShellTest(t, export.NewAnswers(), false)
		st.m.c.Lang = lang
		path := "/home/ana/.config/egovsetup/answers.json"
		st.m.notice = assets.T(lang, "shell.answers_unreadable", "Path", path, "Error", "invalid character 'x' looking for beginning of value", "Aside", path+".unreadable.2")
		st.m.saveErr = assets.T(lang, "shell.save_failed", "Error", "open "+path+".tmp-1234: read-only file system")
		st.d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
		st.fits(80)
		lines := strings.Split(st.screen(), "\n")
		for _, w := range append(strings.Fields(st.m.notice), strings.Fields(st.m.saveErr)...) {
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l, w)
			}
			if !found {
				t.Errorf("%s: %q broken across lines:\n%s", lang, w, st.screen())
			}
		}
	}
}

// What the wizard leaves on the terminal after writing the package wraps
// between words to the screen's width, in Romanian and Russian: a subject
// goes on under its own text.
func TestFinalSummaryWrapsToTheScreen(t *testing.T) {
	for _, lang := range []string{"ro", "ru"} {
		a := export.NewAnswers()
		a.Services, a.Env = []string{"mpass"}, "test"
		subject := "Înregistrare serviciu / Service registration: Registrul autorizațiilor de construcție al Primăriei municipiului Chișinău — MPass, mediul de test / test environment"
		c := &steps.Context{Answers: a, Progress: &steps.Progress{}, Data: assets.Embedded(), Lang: lang, Width: 78,
			Package: &export.Result{Dir: "registrul-test-2026-11-24", Zip: "registrul-test-2026-11-24.zip",
				Emails: []export.Email{{To: "support.mpass@egov.md", Cc: "servicii@egov.md", Subject: subject,
					File: "email/01-support.mpass@egov.md.eml", Attachments: []string{"certificate/registrul.cer"}}}}}
		got := finalSummary(c)
		lines := strings.Split(got, "\n")
		for _, l := range lines {
			if ansi.StringWidth(l) > 78 {
				t.Errorf("%s: line of %d cells: %q", lang, ansi.StringWidth(l), l)
			}
		}
		for _, w := range strings.Fields(subject + " 01-support.mpass@egov.md.eml") {
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l, w)
			}
			if !found {
				t.Errorf("%s: %q broken across lines:\n%s", lang, w, got)
			}
		}
	}
}
