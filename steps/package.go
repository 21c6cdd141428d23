package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
)

// Package is the last step: it writes the registration package and says
// exactly what to send to whom.
type Package struct{ always }

func init() { Register(Package{}) }

func (Package) Info() Info {
	return Info{ID: "package", Title: "step.package.title", Order: 100, Role: Final}
}

type pkgState int

const (
	pkgAsk pkgState = iota
	pkgOverwrite
	// pkgOverride lists the failing checks and asks whether to go back and
	// fix them (the default) or to write the package anyway.
	pkgOverride
	// pkgRefused: the ledger forbids the certificate (AGE's rule); the only
	// way on is back to the certificate step.
	pkgRefused
	pkgDone
)

type pkgScreen struct {
	c     *Context
	state pkgState
	dir   string
	over  bool
	err   string
	form  *huh.Form
	first huh.Field
	// failures are the failing checks the override screen lists; accepted:
	// the user chose to write the package past them.
	failures []checks.Check
	decision string
	accepted bool
	// refusal is the ledger's refusal of the certificate (pkgRefused).
	refusal error
	result  *export.Result
	width   int
	height  int
}

// Override choices.
const (
	overrideBack  = "back"
	overrideWrite = "write"
)

func (Package) Screen(c *Context) Screen {
	s := &pkgScreen{c: c, dir: c.OutDir}
	if s.dir == "" {
		s.dir = "."
	}
	// No package is ever written for a certificate the ledger forbids.
	if err := ledgerRule(c, c.Answers.Certificate); isConflict(err) {
		s.refuse(err)
		return s
	}
	// The one judgement on the current answers: while a check fails, no
	// package is written unless the user says so.
	if j := judge(c); j.Failed() {
		s.askOverride(j)
	} else {
		s.ask()
	}
	return s
}

// askOverride shows the failing checks with the choice to go back and fix
// them (preselected) or to write the package anyway, the reasons recorded.
func (s *pkgScreen) askOverride(j export.Judgement) tea.Cmd {
	s.state = pkgOverride
	s.failures = j.Failures()
	s.accepted = false
	s.decision = overrideBack
	f := newForm(s.c, huh.NewGroup(huh.NewSelect[string]().
		Title(s.c.T("package.override.ask")).
		Description(s.c.T("package.override.description")).
		Options(
			huh.NewOption(s.c.T("package.override.back"), overrideBack),
			huh.NewOption(s.c.T("package.override.write"), overrideWrite),
		).
		Value(&s.decision)))
	return s.setForm(f)
}

// refuse says why no package is written for this certificate — the
// ledger's refusal (AGE's rule) — and offers the way back to the
// certificate step.
func (s *pkgScreen) refuse(err error) tea.Cmd {
	s.state = pkgRefused
	s.refusal = err
	s.decision = overrideBack
	f := newForm(s.c, huh.NewGroup(huh.NewSelect[string]().
		Title(s.c.T("package.ledger.title")).
		Options(huh.NewOption(s.c.T("package.ledger.back"), overrideBack)).
		Value(&s.decision)))
	return s.setForm(f)
}

// certificateStep is the ID of the step that asks for the certificate.
func certificateStep() string { return fieldStep("certificate") }

// failureLines are the failing checks, one per item, escaped.
func failureLines(c *Context, fails []checks.Check) []string {
	var out []string
	for _, f := range fails {
		out = append(out, safetext.Line(f.Message.In(c.Lang)))
	}
	return out
}

// checkOutDir says why dir cannot hold the package (it is created if missing).
func checkOutDir(dir string) error {
	dir = expandHome(strings.TrimSpace(dir))
	if dir == "" {
		return checks.Problemf("package.dir.empty")
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return checks.Problemf("package.dir.unusable", "Dir", dir)
	case !fi.IsDir():
		return checks.Problemf("package.dir.not_dir", "Dir", dir)
	}
	return nil
}

func (s *pkgScreen) ask() tea.Cmd {
	s.state = pkgAsk
	f := newForm(s.c, huh.NewGroup(huh.NewInput().
		Title(s.c.T("package.dir")).
		Description(s.c.Desc("package.dir.description")).
		Value(&s.dir).
		Validate(validator(s.c, checkOutDir))))
	return s.setForm(f)
}

func (s *pkgScreen) askOverwrite(existing *export.ExistsError) tea.Cmd {
	s.state = pkgOverwrite
	s.over = false
	title := s.c.T("package.exists", "Dir", existing.Path)
	if existing.Missing != "" {
		// Only half of a package is there: say which half is missing.
		title = s.c.T("package.exists_half_ask", "Dir", existing.Path, "Missing", existing.Missing)
	}
	f := newForm(s.c, huh.NewGroup(huh.NewConfirm().
		Title(title).
		Affirmative(s.c.T("package.replace")).
		Negative(s.c.T("package.keep")).
		Value(&s.over)))
	return s.setForm(f)
}

func (s *pkgScreen) setForm(f *huh.Form) tea.Cmd {
	s.form = f
	s.resize()
	cmd := f.Init()
	s.first = f.GetFocusedField()
	return cmd
}

func (s *pkgScreen) resize() {
	if s.form != nil && s.width > 0 {
		h := s.height - 4
		switch s.state {
		case pkgOverride:
			h -= lipgloss.Height(s.failureList()) + 1
		case pkgRefused:
			h -= lipgloss.Height(s.refusalText()) + 1
		}
		s.form.WithWidth(s.width).WithHeight(max(h, 5))
	}
}

func (s *pkgScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.resize()
}

func (s *pkgScreen) Init() tea.Cmd { return s.form.Init() }

func (s *pkgScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if s.state == pkgDone {
			if k.String() == "enter" {
				return s, Finish
			}
			return s, nil
		}
		if k.String() == "shift+tab" && s.form.GetFocusedField() == s.first {
			if s.state == pkgOverwrite {
				return s, s.ask()
			}
			return s, Back
		}
	}
	if s.state == pkgDone {
		return s, nil
	}
	m, cmd := s.form.Update(msg)
	s.form = m.(*huh.Form)
	if s.form.State != huh.StateCompleted {
		return s, cmd
	}
	switch s.state {
	case pkgRefused:
		return s, Goto(certificateStep())
	case pkgOverride:
		if s.decision != overrideWrite {
			return s, Back
		}
		s.accepted = true
		return s, s.ask()
	case pkgAsk:
		return s, s.write(false)
	case pkgOverwrite:
		if !s.over {
			return s, s.ask()
		}
		return s, s.write(true)
	}
	return s, cmd
}

// write builds the package.
func (s *pkgScreen) write(overwrite bool) tea.Cmd {
	s.err = ""
	res, err := buildPackage(s.c, expandHome(strings.TrimSpace(s.dir)), overwrite, s.accepted)
	var exists *export.ExistsError
	var refused *export.FailuresError
	switch {
	case errors.As(err, &exists):
		return s.askOverwrite(exists)
	case errors.As(err, &refused):
		return s.askOverride(refused.Judgement)
	case isRefusal(err):
		return s.refuse(err)
	case err != nil:
		s.err = checks.Localize(err, s.c.Lang)
		return s.ask()
	}
	s.result = res
	s.state = pkgDone
	return nil
}

// buildPackage writes the package for the answers and records it in them.
// While a check fails it writes nothing (*export.FailuresError) unless
// accept is set: the user confirmed the override, and the package says so
// in its README, certificate report and e-mails, as `build
// --accept-failures` does.
func buildPackage(c *Context, dir string, overwrite, accept bool) (*export.Result, error) {
	if err := ledgerRule(c, c.Answers.Certificate); isConflict(err) {
		return nil, refusalError{err}
	}
	in := export.Input{Answers: c.Answers, Data: c.Data, Now: c.Now(), AcceptFailures: accept,
		IdPCert: packageIdP(c)}
	// A serial-only certificate (AGE has it already) builds without a file;
	// one loaded in this run gives the package the report of that file.
	if ac := c.Answers.Certificate; ac == nil || !ac.SerialOnly {
		if savedCertificate(c) == nil {
			return nil, checks.Problemf("answers.no_certificate")
		}
		if c.Cert != nil {
			in.Cert, in.HoldsKey = c.Cert, c.Cert.ContainsKey
		}
	}
	k, err := export.Build(in)
	if err != nil {
		return nil, err
	}
	res, err := k.Write(dir, export.Options{Overwrite: overwrite})
	if err != nil {
		return nil, err
	}
	c.Answers.Record(res.Record)
	c.Package = res
	c.RecordErr = recordPackage(c, res)
	if c.Save != nil {
		_ = c.Save()
	}
	return res, nil
}

// refusalError marks buildPackage's refusal by the ledger: no package is
// written for the certificate.
type refusalError struct{ error }

func (e refusalError) Unwrap() error { return e.error }

// isRefusal reports whether err is the ledger's refusal (refusalError).
func isRefusal(err error) bool {
	_, ok := errors.AsType[refusalError](err)
	return ok
}

func (s *pkgScreen) View() string {
	var b strings.Builder
	if s.err != "" {
		b.WriteString(styles.Error.Width(s.width).Render("✗ "+s.err) + "\n\n")
	}
	switch s.state {
	case pkgOverride:
		b.WriteString(s.failureList() + "\n\n")
	case pkgRefused:
		b.WriteString(s.refusalText() + "\n\n")
	}
	if s.state != pkgDone {
		b.WriteString(s.form.View())
		return b.String()
	}
	if s.accepted {
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, styles.Warning.Render("! "),
			styles.Warning.Width(max(s.width, 40)-2).Render(s.c.T("package.overridden"))) + "\n\n")
	}
	room := s.height - lipgloss.Height(b.String()) + 1
	style := lipgloss.NewStyle().Width(max(s.width, 40))
	out := style.Render(summary(s.c, s.result, true, true, true, max(s.width, 40)))
	// Too tall for the terminal: AGE's steps, then the subjects, give way
	// (the full summary is printed when the wizard ends, and README.txt has
	// it); what to send to whom stays on screen.
	for _, subjects := range []bool{true, false} {
		if s.height <= 0 || lipgloss.Height(out)+2 <= room {
			break
		}
		out = style.Render(summary(s.c, s.result, true, false, subjects, max(s.width, 40)) + "\n\n" + s.c.T("package.next_steps.later"))
	}
	b.WriteString(out)
	if s.c.RecordErr != nil {
		b.WriteString("\n\n" + styles.Warning.Width(s.width).Render("! "+s.c.T("package.not_recorded", "Error", checks.Localize(s.c.RecordErr, s.c.Lang))))
	}
	b.WriteString("\n\n" + styles.Subtle.Render(s.c.T("package.finish")))
	return b.String()
}

// failureList is the override screen's heading and its failing checks,
// each wrapped under its own first word.
func (s *pkgScreen) failureList() string {
	w := max(s.width, 40)
	lines := []string{styles.Error.Bold(true).Width(w).Render(s.c.T("package.override.title"))}
	for _, l := range failureLines(s.c, s.failures) {
		lines = append(lines, lipgloss.JoinHorizontal(lipgloss.Top, styles.Error.Render("✗ "), styles.Error.Width(w-2).Render(l)))
	}
	return strings.Join(lines, "\n")
}

// refusalText is the ledger's refusal, wrapped under its mark.
func (s *pkgScreen) refusalText() string {
	w := max(s.width, 40)
	return lipgloss.JoinHorizontal(lipgloss.Top, styles.Error.Render("✗ "), styles.Error.Width(w-2).Render(conflictText(s.c, s.refusal)))
}

// Summary says where the package is, what to send to whom, and AGE's steps.
func Summary(c *Context, r *export.Result, styled bool) string {
	return summary(c, r, styled, true, true, 0)
}

func summary(c *Context, r *export.Result, styled, route, subjects bool, width int) string {
	o := export.SummaryOptions{Lang: c.Lang, Width: width, NoRoute: !route, NoSubjects: !subjects}
	if styled {
		o.Style = summaryStyle
	}
	return export.Summary(r, c.Answers, c.Data, o)
}

// summaryStyle dresses the parts of the package summary on the last screen.
func summaryStyle(role export.SummaryRole, s string) string {
	switch role {
	case export.SummaryDone:
		return styles.Success.Render(s)
	case export.SummaryLabel:
		return styles.Label.Render(s)
	case export.SummaryHeading:
		return styles.Bold.Render(s)
	}
	return styles.Warning.Render(s)
}

func (s *pkgScreen) Keys() []key.Binding {
	if s.state == pkgDone {
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", s.c.T("key.finish")))}
	}
	return s.form.KeyBinds()
}

// Accessible lists the failing checks, if any, and asks whether to write
// the package anyway ([y/N]: enter goes back to the review); then it asks
// for the folder, writes the package and prints the summary.
func (Package) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	if err := ledgerRule(c, c.Answers.Certificate); isConflict(err) {
		fmt.Fprintln(w, c.T("package.ledger.title"))
		fmt.Fprintln(w, "  ✗ "+conflictText(c, err))
		return GotoError{ID: certificateStep()}
	}
	accept := false
	if j := judge(c); j.Failed() {
		var err error
		if accept, err = accessibleOverride(ctx, c, j, r, w); err != nil || !accept {
			return err
		}
	}
	dir := c.OutDir
	if dir == "" {
		dir = "."
	}
	overwrite := false
	for {
		err := newForm(c, huh.NewGroup(huh.NewInput().Title(c.T("package.dir")).Value(&dir).
			Validate(validator(c, checkOutDir)))).
			WithAccessible(true).WithInput(r).WithOutput(w).RunWithContext(ctx)
		if err != nil {
			return err
		}
		res, err := buildPackage(c, expandHome(strings.TrimSpace(dir)), overwrite, accept)
		var exists *export.ExistsError
		if errors.As(err, &exists) {
			err = newForm(c, huh.NewGroup(huh.NewConfirm().Title(c.T("package.exists", "Dir", exists.Path)).
				Affirmative(c.T("package.replace")).Negative(c.T("package.keep")).Value(&overwrite))).
				WithAccessible(true).WithInput(r).WithOutput(w).RunWithContext(ctx)
			if err != nil {
				return err
			}
			continue
		}
		if err != nil {
			fmt.Fprintln(w, "✗ "+checks.Localize(err, c.Lang))
			continue
		}
		if accept {
			fmt.Fprintln(w, "! "+c.T("package.overridden"))
		}
		fmt.Fprintln(w, Summary(c, res, false))
		if c.RecordErr != nil {
			fmt.Fprintln(w, "! "+c.T("package.not_recorded", "Error", checks.Localize(c.RecordErr, c.Lang)))
		}
		return nil
	}
}

// accessibleOverride lists the failing checks and asks whether to write the
// package anyway. The default is no: the review opens again (GotoError).
func accessibleOverride(ctx context.Context, c *Context, j export.Judgement, r io.Reader, w io.Writer) (bool, error) {
	fmt.Fprintln(w, c.T("package.override.title"))
	for _, l := range failureLines(c, j.Failures()) {
		fmt.Fprintln(w, "  ✗ "+l)
	}
	fmt.Fprintln(w, c.T("package.override.description"))
	accept := false
	err := newForm(c, huh.NewGroup(huh.NewConfirm().Title(c.T("package.override.ask")).
		Affirmative(c.T("common.yes")).Negative(c.T("common.no")).Value(&accept))).
		WithAccessible(true).WithInput(r).WithOutput(w).RunWithContext(ctx)
	switch {
	case err != nil:
		return false, err
	case !accept:
		if s := WithRole(ReviewRole); s != nil {
			return false, GotoError{ID: s.Info().ID}
		}
		return false, checks.Problemf("package.override.title")
	}
	return true, nil
}
