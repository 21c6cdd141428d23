package steps

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
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

// section is one step's answers on the review screen, with what the
// judgement says about them.
type section struct {
	step  Step
	lines [][2]string // label, value
	// problems are answers still missing or wrong: no package until they
	// are fixed.
	problems []string
	// fails and warns are the other failing and warning verdicts (the
	// certificate's, the connectivity results'), in words: a failure stops
	// the package unless the user overrides it on the package step.
	fails, warns []string
}

// mark is the section's ✓ / ! / ✗.
func (s section) mark() string {
	switch {
	case len(s.problems) > 0 || len(s.fails) > 0:
		return styles.Mark(checks.Fail)
	case len(s.warns) > 0:
		return styles.Mark(checks.Warn)
	}
	return styles.Mark(checks.Pass)
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

// judge is the one judgement (export.Judge) on the current answers, with
// the certificate loaded in this run when there is one: the review and the
// package step call it each time they open, so a change of services,
// environment or certificate is always judged anew.
func judge(c *Context) export.Judgement {
	var l *cert.Loaded
	if ac := c.Answers.Certificate; ac != nil && !ac.SerialOnly {
		l = c.Cert
	}
	return export.Judge(c.Answers, l, c.Data, c.Now())
}

// checkStep is the step whose section shows a judged item: an answer's
// step, the connectivity step, or the certificate step.
func checkStep(ch checks.Check) (id string, answer bool) {
	if field, ok := strings.CutPrefix(ch.ID, "answers/"); ok {
		return fieldStep(field), true
	}
	if strings.HasPrefix(ch.ID, "connectivity") {
		return fieldStep("connectivity"), false
	}
	return fieldStep("certificate"), false
}

// sections gathers the answers of every applicable step that has a
// section, and puts each failing or warning item of the judgement under
// the step it concerns.
func sections(c *Context) []section {
	var out []section
	at := map[string]int{}
	for _, s := range Applicable(c) {
		st, ok := s.(Sectioned)
		if !ok {
			continue
		}
		sec := section{step: s}
		st.Section(c, func(label, value string) { sec.lines = append(sec.lines, [2]string{label, value}) })
		at[s.Info().ID] = len(out)
		out = append(out, sec)
	}
	for _, ch := range judge(c).Checks {
		id, answer := checkStep(ch)
		i, ok := at[id]
		if !ok || (ch.Severity != checks.Fail && ch.Severity != checks.Warn) {
			continue
		}
		// Verdicts may quote the certificate: shown escaped.
		text := safetext.Line(ch.Message.In(c.Lang))
		switch {
		case answer:
			out[i].problems = append(out[i].problems, text)
		case ch.Severity == checks.Fail:
			out[i].fails = append(out[i].fails, text)
		default:
			out[i].warns = append(out[i].warns, text)
		}
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

// connectivitySummary counts the results of the last connectivity run
// for the current environment and services; results run for others are
// not counted as current (the judgement marks them stale).
func connectivitySummary(c *Context) string {
	count := map[string]int{}
	current := 0
	for _, r := range c.Answers.Connectivity {
		if !r.StaleFor(c.Answers) {
			count[r.Severity.String()]++
			current++
		}
	}
	if current == 0 {
		return styles.Subtle.Render(c.T("review.connectivity.not_run"))
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
	c       *Context
	secs    []section
	cursor  int // index into secs; len(secs) is the "write the package" line
	vp      viewport.Model
	width   int
	message string
	// problems counts answers to fix; fails, the other failing verdicts.
	problems, fails int
	// moved: the user has moved the cursor. Until then the review stays
	// scrolled to its top, as it opened.
	moved bool
}

var (
	keyUp    = key.NewBinding(key.WithKeys("up", "k", "shift+tab"))
	keyDown  = key.NewBinding(key.WithKeys("down", "j", "tab"))
	keyEnter = key.NewBinding(key.WithKeys("enter"))
)

func (r *reviewScreen) refresh() {
	r.secs = sections(r.c)
	r.problems, r.fails = 0, 0
	for _, s := range r.secs {
		r.problems += len(s.problems)
		r.fails += len(s.fails)
	}
	if r.problems > 0 && r.cursor == len(r.secs) {
		r.cursor = r.firstProblem()
	}
	r.render()
}

// firstProblem is the first section marked ✗ (len(secs) when none is).
func (r *reviewScreen) firstProblem() int {
	for i, s := range r.secs {
		if len(s.problems) > 0 || len(s.fails) > 0 {
			return i
		}
	}
	return len(r.secs)
}

// Init puts the cursor on the first section marked ✗, else on the line
// that writes the package; the screen shows the review from its top.
func (r *reviewScreen) Init() tea.Cmd {
	r.cursor = r.firstProblem()
	r.moved = false
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
		r.moved = true
	case key.Matches(k, keyDown):
		r.cursor = min(r.cursor+1, len(r.secs))
		r.moved = true
	case key.Matches(k, keyEnter):
		if r.cursor < len(r.secs) {
			return r, Goto(r.secs[r.cursor].step.Info().ID)
		}
		if r.problems > 0 {
			r.message = r.c.T("review.fix_first", "Count", r.problems)
			r.cursor = r.firstProblem()
			r.moved = true
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
		fmt.Fprintf(&b, "%s%s %s\n", pointer, s.mark(), title)
		for _, l := range s.lines {
			// A value with a word too long for its column goes under its label.
			b.WriteString(styles.Indent(styles.Row(l[0], l[1], labelWidth+2, labelWidth+2+valueWidth), 4) + "\n")
		}
		r.writeVerdicts(&b, s)
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
	if !r.moved {
		r.vp.GotoTop()
		return
	}
	// Keep the selected section in view.
	if selTop < r.vp.YOffset() {
		r.vp.SetYOffset(selTop)
	} else if selBottom > r.vp.YOffset()+r.vp.Height() {
		r.vp.SetYOffset(min(selTop, selBottom-r.vp.Height()))
	}
}

// writeVerdicts lists a section's problems and failing verdicts (✗) and
// its warnings (!) under its answers.
func (r *reviewScreen) writeVerdicts(b *strings.Builder, s section) {
	// Each item wraps under its own first word, clear of the mark.
	item := func(style lipgloss.Style, mark, text string) {
		b.WriteString(styles.Hang("    "+style.Render(mark+" "), style.Render(text), max(r.width-1, 24)) + "\n")
	}
	for _, p := range append(slices.Clone(s.problems), s.fails...) {
		item(styles.Error, "✗", p)
	}
	for _, w := range s.warns {
		item(styles.Warning, "!", w)
	}
}

// status is the line above the answers: what still blocks the package.
// "All answers are complete" only when nothing fails.
func (r *reviewScreen) status() string {
	switch {
	case r.message != "":
		return styles.Hang(styles.Error.Render("✗ "), styles.Error.Render(r.message), r.width)
	case r.problems > 0:
		return styles.Hang(styles.Error.Render("✗ "), styles.Error.Render(r.c.T("review.problems", "Count", r.problems)), r.width)
	case r.fails > 0:
		return styles.Hang(styles.Error.Render("✗ "), styles.Error.Render(r.c.T("review.failures", "Count", r.fails)), r.width)
	}
	return styles.Hang(styles.Success.Render("✓ "), styles.Success.Render(r.c.T("review.ready")), r.width)
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

// plainMark is a section's mark as a bare character (accessible mode).
func (s section) plainMark() string {
	switch {
	case len(s.problems) > 0 || len(s.fails) > 0:
		return "✗"
	case len(s.warns) > 0:
		return "!"
	}
	return "✓"
}

// printSections writes the sections as plain text, marked as on the
// screen, and the status line; it returns the counts of answers to fix and
// of other failures, and the first step marked ✗ ("" when none is).
func printSections(c *Context, w io.Writer, secs []section) (problems, fails int, fix string) {
	for _, s := range secs {
		fmt.Fprintf(w, "\n%s %s\n", s.plainMark(), Title(s.step, c.Lang))
		for _, l := range s.lines {
			fmt.Fprintf(w, "  %s: %s\n", l[0], l[1])
		}
		for _, p := range append(slices.Clone(s.problems), s.fails...) {
			fmt.Fprintf(w, "  ✗ %s\n", p)
		}
		for _, p := range s.warns {
			fmt.Fprintf(w, "  ! %s\n", p)
		}
		problems += len(s.problems)
		fails += len(s.fails)
		if fix == "" && (len(s.problems) > 0 || len(s.fails) > 0) {
			fix = s.step.Info().ID
		}
	}
	switch {
	case problems > 0:
		fmt.Fprintf(w, "\n✗ %s\n", c.T("review.problems", "Count", problems))
	case fails > 0:
		fmt.Fprintf(w, "\n✗ %s\n", c.T("review.failures", "Count", fails))
	default:
		fmt.Fprintf(w, "\n✓ %s\n", c.T("review.ready"))
	}
	return problems, fails, fix
}

// Accessible prints the answers, marked as on the screen, and asks what to
// do next; when something fails, the first choice offered is to fix it.
func (Review) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	secs := sections(c)
	problems, _, fix := printSections(c, w, secs)
	var opts []huh.Option[string]
	if problems == 0 {
		opts = append(opts, huh.NewOption(c.T("review.write"), ""))
	}
	for _, s := range secs {
		opts = append(opts, huh.NewOption(c.T("review.edit", "Step", Title(s.step, c.Lang)), s.step.Info().ID))
	}
	choice := fix
	if choice == "" && len(opts) > 0 {
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
