package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/steps"
)

// extraStep is a step the shell has never heard of, registered by a test.
type extraStep struct{}

func (extraStep) Info() steps.Info {
	return steps.Info{ID: "extra", Title: "Extra step", Order: 55, Fields: []string{"extra."}}
}
func (extraStep) Applies(*steps.Context) bool        { return true }
func (extraStep) Screen(*steps.Context) steps.Screen { return extraScreen{} }
func (extraStep) Section(_ *steps.Context, add func(string, string)) {
	add("Extra answer", "forty-two")
}
func (extraStep) Accessible(_ context.Context, _ *steps.Context, _ io.Reader, w io.Writer) error {
	_, err := fmt.Fprintln(w, "the extra step's question")
	return err
}

type extraScreen struct{}

func (extraScreen) Init() tea.Cmd { return nil }
func (s extraScreen) Update(msg tea.Msg) (steps.Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "enter" {
		return s, steps.Done
	}
	return s, nil
}
func (extraScreen) View() string        { return "the extra step's screen" }
func (extraScreen) Keys() []key.Binding { return nil }
func (extraScreen) SetSize(int, int)    {}

// A step is one registration: the shell puts it in the wizard's order, the
// progress line and the review without knowing its name.
func TestShellTakesARegisteredStepInOrderAndReview(t *testing.T) {
	defer steps.Register(extraStep{})()
	a := export.NewAnswers()
	a.Services = []string{"msign"}
	a.Completed = []string{"services", "organization", "names", "certificate", "network"}
	st := newShellTest(t, a, true)
	st.sees("Resume at “Extra step”")
	st.d.Keys("enter")
	st.sees("Step 6 of 9: Extra step", "the extra step's screen", "next: Connectivity, Review, Package")
	if next := st.m.next(); next == nil || next.Info().ID != "connectivity" {
		t.Errorf("after the extra step comes %v, want connectivity", next)
	}
	st.d.Send(tea.WindowSizeMsg{Width: 100, Height: 120})
	st.d.Run(st.m.open(steps.WithRole(steps.ReviewRole)))
	st.sees("Extra step", "Extra answer", "forty-two")
	if strings.Index(st.screen(), "Extra answer") < strings.Index(st.screen(), "Service names") {
		t.Errorf("the extra section is not in the step order:\n%s", st.screen())
	}
}
