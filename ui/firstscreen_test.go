package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/drive"
	"github.com/egovmd/egovsetup/steps"
)

// startSized starts the shell on its first step with the terminal's size
// known before the program starts (as runFullScreen knows it), without the
// WindowSizeMsg the program sends after.
func startSized(t *testing.T, width, height int) *shellTest {
	t.Helper()
	c := &steps.Context{
		Answers:    export.NewAnswers(),
		Progress:   &steps.Progress{},
		Data:       assets.Embedded(),
		Lang:       "en",
		Now:        func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) },
		Interfaces: func() []string { return nil },
	}
	st := &shellTest{t: t}
	st.m = newModel(c, nil, steps.WithRole(steps.First), width, height)
	st.d = drive.New(func(msg tea.Msg) tea.Cmd {
		next, cmd := st.m.Update(msg)
		st.m = next.(*model)
		return cmd
	}, nil)
	st.d.Run(st.m.Init())
	return st
}

// cursorOn reports whether the form's cursor (">") is on the line naming
// option.
func (st *shellTest) cursorOn(option string) bool {
	for _, l := range strings.Split(st.screen(), "\n") {
		if strings.Contains(l, "> ") && strings.Contains(l, option) {
			return true
		}
	}
	return false
}

// When the terminal's size is known before the program starts, the first
// screen is drawn to fit it from its first frame, and the same size
// reported by the program does not build it again: a key pressed in between
// is not undone.
func TestFirstScreenFitsTheKnownSizeAtOnce(t *testing.T) {
	st := startSized(t, 52, 30)
	st.sees("Which platforms will the system use?", "MPass")
	st.fits(52)
	st.d.Keys("down")
	if !st.cursorOn("MSign") {
		t.Fatalf("the cursor did not move to MSign:\n%s", st.screen())
	}
	st.d.Send(tea.WindowSizeMsg{Width: 52, Height: 30})
	if !st.cursorOn("MSign") {
		t.Errorf("the size the program reported moved the cursor back:\n%s", st.screen())
	}
}

// Should the first size the program reports differ from the one read before
// it started (the terminal was resized meanwhile), the first screen is
// built again to fit, keeping the choices made on it.
func TestFirstScreenRebuiltForAnotherFirstSize(t *testing.T) {
	st := startSized(t, 100, 30)
	st.d.Keys("space")
	st.d.Send(tea.WindowSizeMsg{Width: 44, Height: 30})
	st.fits(44)
	st.sees("[✓] MPass")
}
