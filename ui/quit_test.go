package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/steps"
)

// organizationIn opens the organization step at 80x24 in lang.
func organizationIn(t *testing.T, lang string) *shellTest {
	t.Helper()
	a := export.NewAnswers()
	a.Services = []string{"mpass"}
	a.Complete("services")
	st := newShellTest(t, a, false)
	st.m.c.Lang = lang
	st.d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	st.d.Run(st.m.open(steps.Organization{}))
	return st
}

// esc on a screen holding typed text asks first (staying is the default);
// with nothing typed it quits at once; Ctrl+C always quits at once.
func TestEscAsksBeforeQuittingWithTyping(t *testing.T) {
	for _, lang := range []string{"ro", "ru"} {
		st := organizationIn(t, lang)
		st.d.Keys("Agenția", "esc")
		if st.quit {
			t.Fatalf("%s: esc quit with typing on the screen", lang)
		}
		stay := assets.T(lang, "shell.quit.stay")
		st.sees(assets.T(lang, "shell.quit.question"), "["+stay+"]", assets.T(lang, "shell.quit.leave"))
		for i, line := range strings.Split(st.screen(), "\n") {
			if w := len([]rune(line)); w > 80 || i >= 24 {
				t.Errorf("%s: line %d (%d wide) outside 80x24: %q", lang, i+1, w, line)
			}
		}
		st.d.Keys("esc") // stay
		st.sees("Agenția")
		st.d.Keys("ctrl+c")
		if !st.quit {
			t.Errorf("%s: ctrl+c did not quit at once", lang)
		}
	}
	st := organizationIn(t, "en")
	st.d.Keys("esc")
	if !st.quit {
		t.Error("esc with nothing typed did not quit")
	}
}
