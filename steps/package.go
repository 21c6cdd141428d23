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
	pkgDone
)

type pkgScreen struct {
	c      *Context
	state  pkgState
	dir    string
	over   bool
	err    string
	form   *huh.Form
	first  huh.Field
	result *export.Result
	width  int
	height int
}

func (Package) Screen(c *Context) Screen {
	s := &pkgScreen{c: c, dir: c.OutDir}
	if s.dir == "" {
		s.dir = "."
	}
	s.ask()
	return s
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
		s.form.WithWidth(s.width).WithHeight(max(s.height-4, 5))
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
	res, err := buildPackage(s.c, expandHome(strings.TrimSpace(s.dir)), overwrite)
	var exists *export.ExistsError
	switch {
	case errors.As(err, &exists):
		return s.askOverwrite(exists)
	case err != nil:
		s.err = checks.Localize(err, s.c.Lang)
		return s.ask()
	}
	s.result = res
	s.state = pkgDone
	return nil
}

// buildPackage writes the package for the answers and records it in them.
func buildPackage(c *Context, dir string, overwrite bool) (*export.Result, error) {
	// The review showed the judgement; a package written past failures
	// says so in its README, certificate report and e-mails.
	in := export.Input{Answers: c.Answers, Data: c.Data, Now: c.Now(), AcceptFailures: true}
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
	if c.Save != nil {
		_ = c.Save()
	}
	return res, nil
}

func (s *pkgScreen) View() string {
	var b strings.Builder
	if s.err != "" {
		b.WriteString(styles.Error.Width(s.width).Render("✗ "+s.err) + "\n\n")
	}
	if s.state != pkgDone {
		b.WriteString(s.form.View())
		return b.String()
	}
	style := lipgloss.NewStyle().Width(max(s.width, 40))
	out := style.Render(summary(s.c, s.result, true, true, true, max(s.width, 40)))
	// Too tall for the terminal: AGE's steps, then the subjects, give way
	// (the full summary is printed when the wizard ends, and README.txt has
	// it); what to send to whom stays on screen.
	for _, subjects := range []bool{true, false} {
		if s.height <= 0 || lipgloss.Height(out)+2 <= s.height {
			break
		}
		out = style.Render(summary(s.c, s.result, true, false, subjects, max(s.width, 40)) + "\n\n" + s.c.T("package.next_steps.later"))
	}
	b.WriteString(out)
	b.WriteString("\n\n" + styles.Subtle.Render(s.c.T("package.finish")))
	return b.String()
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

// Accessible asks for the folder, writes the package and prints the summary.
func (Package) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
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
		res, err := buildPackage(c, expandHome(strings.TrimSpace(dir)), overwrite)
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
		fmt.Fprintln(w, Summary(c, res, false))
		return nil
	}
}
