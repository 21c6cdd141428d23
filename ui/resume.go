package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/styles"
	"github.com/egovmd/egovsetup/steps"
)

// Resume choices.
const (
	resumeContinue = "continue"
	resumeReview   = "review"
	resumeAfresh   = "afresh"
)

// resumeMsg carries the user's choice on the resume screen.
type resumeMsg struct{ choice string }

// resumeScreen asks, when saved answers exist, whether to go on where the
// last run stopped or to start afresh.
type resumeScreen struct {
	c      *steps.Context
	path   string
	form   *huh.Form
	choice string
	width  int
	// sel and desc: the question and its text, wrapped again to each width.
	sel  *huh.Select[string]
	desc string
}

func newResumeScreen(c *steps.Context, path string) *resumeScreen {
	r := &resumeScreen{c: c, path: path, choice: resumeContinue}
	a := c.Answers
	at := FirstUnfinished(c)
	system := a.System.Name
	if system == "" {
		system = c.T("resume.unnamed")
	}
	opts := []huh.Option[string]{
		huh.NewOption(c.T("resume.continue", "Step", steps.Title(at, c.Lang)), resumeContinue),
	}
	if first := steps.WithRole(steps.First); first != nil && r.c.Progress.IsCompleted(first.Info().ID) {
		opts = append(opts, huh.NewOption(c.T("resume.review"), resumeReview))
	}
	opts = append(opts, huh.NewOption(c.T("resume.afresh"), resumeAfresh))
	desc := c.T("resume.description", "System", system, "Path", path)
	if !a.Updated.IsZero() {
		desc = c.T("resume.description_saved", "System", system, "Path", path, "Saved", a.Updated.Local().Format("2006-01-02 15:04"))
	}
	r.desc = desc
	r.sel = huh.NewSelect[string]().
		Title(c.T("resume.title")).
		Description(desc).
		Options(opts...).
		Value(&r.choice)
	r.form = huh.NewForm(huh.NewGroup(r.sel)).WithTheme(styles.FormTheme).WithKeyMap(styles.KeyMap(c.Lang)).WithShowHelp(false)
	return r
}

func (r *resumeScreen) Init() tea.Cmd { return r.form.Init() }

func (r *resumeScreen) Update(msg tea.Msg) (*resumeScreen, tea.Cmd) {
	m, cmd := r.form.Update(msg)
	r.form = m.(*huh.Form)
	if r.form.State == huh.StateCompleted {
		choice := r.choice
		return r, func() tea.Msg { return resumeMsg{choice} }
	}
	return r, cmd
}

func (r *resumeScreen) View() string { return r.form.View() }

func (r *resumeScreen) Keys() []key.Binding { return r.form.KeyBinds() }

func (r *resumeScreen) SetSize(w, h int) {
	r.width = w
	// huh would break the path at its dots: wrap it between words first.
	r.sel.Description(styles.Wrap(r.desc, w-2))
	r.form.WithWidth(w).WithHeight(max(h, 5))
	// The form lays its fields out again only on a message.
	m, _ := r.form.Update(nil)
	r.form = m.(*huh.Form)
}

// resumeChosen acts on the resume choice.
func (m *model) resumeChosen(msg resumeMsg) tea.Cmd {
	path := m.resume.path
	m.resume = nil
	switch msg.choice {
	case resumeAfresh:
		backupAnswers(path)
		lang := m.c.Lang
		*m.c.Answers = *export.NewAnswers()
		*m.c.Progress = steps.Progress{Lang: lang}
		return m.open(steps.WithRole(steps.First))
	case resumeReview:
		return m.open(steps.WithRole(steps.ReviewRole))
	}
	return m.open(FirstUnfinished(m.c))
}
