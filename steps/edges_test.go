package steps

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/internal/drive"
)

// startScreen drives screen s at 80x24, the smallest terminal the wizard
// is made for.
func startScreen(t *testing.T, c *Context, s Screen) *screenTest {
	t.Helper()
	st := &screenTest{t: t, c: c, s: s}
	st.s.SetSize(78, 20)
	st.d = drive.New(func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		st.s, cmd = st.s.Update(msg)
		return cmd
	}, func(msg tea.Msg) bool {
		switch msg.(type) {
		case DoneMsg, BackMsg, GotoMsg, FinishMsg:
			return true
		}
		return false
	})
	st.d.Run(st.s.Init())
	return st
}

func contextIn(lang string) *Context {
	c := newContext()
	c.Lang = lang
	return c
}

// The chosen button of a confirm is bracketed, so it shows with colours
// stripped (NO_COLOR): the view here is the screen without its colours.
func TestConfirmShowsTheChosenButtonWithoutColour(t *testing.T) {
	for _, lang := range []string{"en", "ro", "ru"} {
		c := contextIn(lang)
		st := startScreen(t, c, Names{}.Screen(c))
		st.keys("Registrul autorizaţiilor", "enter", "Реестр разрешений", "enter", "Registry of permits", "enter",
			"Permite depunerea online a cererilor.", "enter")
		fix, keep := c.T("names.cedilla.fix"), c.T("names.cedilla.keep")
		st.sees(c.T("names.cedilla"), "["+fix+"]", " "+keep+" ")
		st.keys("right")
		st.sees("["+keep+"]", " "+fix+" ")
		if strings.Contains(st.view(), "["+fix+"]") {
			t.Errorf("%s: both buttons look chosen:\n%s", lang, st.view())
		}
	}
}
