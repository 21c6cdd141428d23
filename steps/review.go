package steps

import (
	"context"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
)

// Review shows every answer on one screen, with what is still wrong, and lets
// the user open any step to change it.
type Review struct{ always }

func init() { Register(Review{}) }

func (Review) Info() Info {
	return Info{ID: "review", Title: "step.review.title", Order: 90, Role: ReviewRole}
}

// GotoError, returned by a step in accessible mode, asks to open step ID.
type GotoError struct{ ID string }

func (e GotoError) Error() string { return "go to step " + e.ID }

// section is one step's answers on the review screen.
type section struct {
	step     Step
	lines    [][2]string // label, value
	problems []string
}

// fieldStep is the step that asks for an answer field (a FieldError's
// Field): the step whose Info lists a prefix of it, else the first step.
func fieldStep(field string) string {
	for _, s := range All() {
		for _, f := range s.Info().Fields {
			if strings.HasPrefix(field, f) {
				return s.Info().ID
			}
		}
	}
	if s := WithRole(First); s != nil {
		return s.Info().ID
	}
	return ""
}

// sections gathers the answers and problems of every applicable step that
// has a section.
func sections(c *Context) []section {
	problems := map[string][]string{}
	for _, e := range export.Validate(c.Answers, c.Data) {
		id := fieldStep(e.Field)
		problems[id] = append(problems[id], e.In(c.Lang))
	}
	var out []section
	for _, s := range Applicable(c) {
		st, ok := s.(Sectioned)
		if !ok {
			continue
		}
		sec := section{step: s, problems: problems[s.Info().ID]}
		st.Section(c, func(label, value string) { sec.lines = append(sec.lines, [2]string{label, value}) })
		out = append(out, sec)
	}
	return out
}

// none is shown for an answer not given yet.
func none(c *Context) string { return styles.Subtle.Render(c.T("review.none")) }

// orNone shows an answer (it may come from a file) escaped on one line, or
// none.
func orNone(c *Context, s string) string {
	if strings.TrimSpace(s) == "" {
		return none(c)
	}
	return safetext.Line(s)
}

// orNoneBlock is orNone for free-form text, which keeps its lines.
func orNoneBlock(c *Context, s string) string {
	if strings.TrimSpace(s) == "" {
		return none(c)
	}
	return safetext.Block(s)
}

// connectivitySummary counts the results of the last connectivity run.
func connectivitySummary(c *Context) string {
	if len(c.Answers.Connectivity) == 0 {
		return styles.Subtle.Render(c.T("review.connectivity.not_run"))
	}
	count := map[string]int{}
	for _, r := range c.Answers.Connectivity {
		count[r.Severity.String()]++
	}
	text := c.T("review.connectivity.counts", "Pass", count["pass"], "Warn", count["warn"], "Fail", count["fail"], "Skip", count["skip"])
	if count["fail"] > 0 {
		return styles.Warning.Render(text)
	}
	return text
}

func (Review) Screen(c *Context) Screen {
	r := &reviewScreen{c: c, vp: viewport.New()}
	r.refresh()
	return r
}

type reviewScreen struct {
	c        *Context
	secs     []section
	cursor   int // index into secs; len(secs) is the "write the package" line
	vp       viewport.Model
	width    int
	message  string
	problems int
}

var (
	keyUp    = key.NewBinding(key.WithKeys("up", "k", "shift+tab"))
	keyDown  = key.NewBinding(key.WithKeys("down", "j", "tab"))
	keyEnter = key.NewBinding(key.WithKeys("enter"))
)

func (r *reviewScreen) refresh() {
	r.secs = sections(r.c)
	r.problems = 0
	for _, s := range r.secs {
		r.problems += len(s.problems)
	}
	if r.problems > 0 && r.cursor == len(r.secs) {
		r.cursor = r.firstProblem()
	}
	r.render()
}

func (r *reviewScreen) firstProblem() int {
	for i, s := range r.secs {
		if len(s.problems) > 0 {
			return i
		}
	}
	return len(r.secs)
}

func (r *reviewScreen) Init() tea.Cmd {
	if r.problems == 0 {
		r.cursor = len(r.secs)
	} else {
		r.cursor = r.firstProblem()
	}
	r.render()
	return nil
}

func (r *reviewScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		var cmd tea.Cmd
		r.vp, cmd = r.vp.Update(msg)
		return r, cmd
	}
	r.message = ""
	switch {
	case key.Matches(k, keyUp):
		r.cursor = max(r.cursor-1, 0)
	case key.Matches(k, keyDown):
		r.cursor = min(r.cursor+1, len(r.secs))
	case key.Matches(k, keyEnter):
		if r.cursor < len(r.secs) {
			return r, Goto(r.secs[r.cursor].step.Info().ID)
		}
		if r.problems > 0 {
			r.message = r.c.T("review.fix_first", "Count", r.problems)
			r.cursor = r.firstProblem()
			break
		}
		return r, Done
	}
	r.render()
	return r, nil
}

// render lays the sections out and scrolls the selected one into view.
func (r *reviewScreen) render() {
	var b strings.Builder
	labelWidth := 0
	for _, s := range r.secs {
		for _, l := range s.lines {
			labelWidth = max(labelWidth, lipgloss.Width(l[0]))
		}
	}
	labelWidth = min(labelWidth, 28)
	valueWidth := max(r.width-labelWidth-6, 20)
	selTop, selBottom := 0, 0
	for i, s := range r.secs {
		if i == r.cursor {
			selTop = lipgloss.Height(b.String()) - 1
		}
		pointer := "  "
		title := styles.Bold.Render(Title(s.step, r.c.Lang))
		if i == r.cursor {
			pointer = styles.Selected.Render("▸ ")
			title = styles.Selected.Render(Title(s.step, r.c.Lang)) + styles.Subtle.Render("  "+r.c.T("review.edit_hint"))
		}
		mark := styles.Mark(checks.Pass)
		if len(s.problems) > 0 {
			mark = styles.Mark(checks.Fail)
		}
		fmt.Fprintf(&b, "%s%s %s\n", pointer, mark, title)
		for _, l := range s.lines {
			// A value with a word too long for its column goes under its label.
			b.WriteString(styles.Indent(styles.Row(l[0], l[1], labelWidth+2, labelWidth+2+valueWidth), 4) + "\n")
		}
		for _, p := range s.problems {
			b.WriteString(styles.Hang("    "+styles.Error.Render("✗ "), styles.Error.Render(p), r.width) + "\n")
		}
		if i == r.cursor {
			selBottom = lipgloss.Height(b.String())
		}
	}
	b.WriteString("\n")
	write := r.c.T("review.write")
	if r.cursor == len(r.secs) {
		selTop = lipgloss.Height(b.String()) - 1
		selBottom = selTop + 2
		b.WriteString(styles.Selected.Render("▸ " + write))
	} else {
		b.WriteString(styles.Subtle.Render("  " + write))
	}
	r.vp.SetContent(b.String())
	// Keep the selected section in view.
	if selTop < r.vp.YOffset() {
		r.vp.SetYOffset(selTop)
	} else if selBottom > r.vp.YOffset()+r.vp.Height() {
		r.vp.SetYOffset(min(selTop, selBottom-r.vp.Height()))
	}
}

// status is the line above the answers: what still blocks the package.
func (r *reviewScreen) status() string {
	switch {
	case r.message != "":
		return styles.Error.Width(r.width).Render("✗ " + r.message)
	case r.problems > 0:
		return styles.Error.Width(r.width).Render("✗ " + r.c.T("review.problems", "Count", r.problems))
	}
	return styles.Success.Width(r.width).Render("✓ " + r.c.T("review.ready"))
}

func (r *reviewScreen) View() string { return r.status() + "\n\n" + r.vp.View() }

func (r *reviewScreen) SetSize(w, h int) {
	r.width = w
	r.vp.SetWidth(w)
	r.vp.SetHeight(max(h-3, 5))
	r.render()
}

func (r *reviewScreen) Keys() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", r.c.T("key.move"))),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", r.c.T("review.key.enter"))),
	}
}

// Accessible prints the answers and asks what to do next.
func (Review) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	secs := sections(c)
	problems := 0
	for _, s := range secs {
		fmt.Fprintf(w, "\n%s\n", Title(s.step, c.Lang))
		for _, l := range s.lines {
			fmt.Fprintf(w, "  %s: %s\n", l[0], l[1])
		}
		for _, p := range s.problems {
			fmt.Fprintf(w, "  ✗ %s\n", p)
			problems++
		}
	}
	choice := ""
	var opts []huh.Option[string]
	if problems == 0 {
		opts = append(opts, huh.NewOption(c.T("review.write"), ""))
	}
	for _, s := range secs {
		opts = append(opts, huh.NewOption(c.T("review.edit", "Step", Title(s.step, c.Lang)), s.step.Info().ID))
	}
	if len(opts) > 0 {
		choice = opts[0].Value
	}
	err := newForm(c, huh.NewGroup(huh.NewSelect[string]().Title(c.T("review.next")).Options(opts...).Value(&choice))).
		WithAccessible(true).WithInput(r).WithOutput(w).RunWithContext(ctx)
	if err != nil {
		return err
	}
	if choice != "" {
		return GotoError{ID: choice}
	}
	return nil
}
