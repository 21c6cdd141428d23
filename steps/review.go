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

func (Review) ID() string { return "review" }

// GotoError, returned by a step in accessible mode, asks to open step ID.
type GotoError struct{ ID string }

func (e GotoError) Error() string { return "go to step " + e.ID }

// section is one step's answers on the review screen.
type section struct {
	step     Step
	lines    [][2]string // label, value
	problems []string
}

// fieldStep maps a FieldError's field to the step that asks for it.
func fieldStep(field string) string {
	switch {
	case strings.HasPrefix(field, "organization."), strings.HasPrefix(field, "system."):
		return "organization"
	case strings.HasPrefix(field, "service."):
		return "names"
	case strings.HasPrefix(field, "certificate"):
		return "certificate"
	case strings.HasPrefix(field, "network."):
		return "network"
	case strings.HasPrefix(field, "mpass."):
		return "mpass"
	case strings.HasPrefix(field, "mpower."):
		return "mpower"
	}
	return "services"
}

// sections gathers the answers and problems, step by step.
func sections(c *Context) []section {
	a := c.Answers
	problems := map[string][]string{}
	for _, e := range export.Validate(a, c.Data) {
		id := fieldStep(e.Field)
		problems[id] = append(problems[id], e.In(c.Lang))
	}
	none := styles.Subtle.Render(c.T("review.none"))
	// Answers may come from a file: every value is shown escaped, on one
	// line, except the free-form other information, which keeps its lines.
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return none
		}
		return safetext.Line(s)
	}
	orBlock := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return none
		}
		return safetext.Block(s)
	}
	var out []section
	for _, s := range Applicable(c) {
		sec := section{step: s, problems: problems[s.ID()]}
		add := func(label, value string) { sec.lines = append(sec.lines, [2]string{label, value}) }
		switch s.ID() {
		case "services":
			var names []string
			for _, id := range a.Services {
				if svc, ok := c.Data.Service(id); ok {
					names = append(names, svc.Name)
				}
			}
			add(c.T("answers.field.services"), or(strings.Join(names, ", ")))
			add(c.T("answers.field.env"), c.T("env."+a.Env))
			if a.Env == "production" {
				add(c.T("answers.field.tested_on"), or(safetext.Line(a.TestedOn)))
			}
		case "organization":
			o := a.Organization
			if o.Type != "" {
				add(c.T("answers.field.organization.type"), c.T("org.type."+o.Type))
			}
			add(c.T("answers.field.organization.name"), or(o.Name))
			add(c.T("answers.field.organization.idno"), or(o.IDNO))
			add(c.T("answers.field.organization.contact_name"), or(o.ContactName))
			add(c.T("answers.field.organization.contact_email"), or(o.ContactEmail))
			add(c.T("answers.field.organization.contact_phone"), or(o.ContactPhone))
			add(c.T("answers.field.system.name"), or(a.System.Name))
			add(c.T("answers.field.system.description"), or(a.System.Description))
			add(c.T("answers.field.system.other"), orBlock(a.System.Other))
		case "names":
			add("RO", or(a.Service.RO))
			add("RU", or(a.Service.RU))
			add("EN", or(a.Service.EN))
			add(c.T("answers.field.service.description"), or(a.Service.Description))
		case "certificate":
			if cert := a.Certificate; cert != nil && cert.SerialOnly {
				add(c.T("review.cert.serial"), safetext.Line(cert.SerialHex))
				add(c.T("answers.field.certificate"), c.T("review.cert.serial_only"))
			} else if cert != nil {
				add(c.T("review.cert.subject"), safetext.Line(cert.Subject))
				add(c.T("review.cert.serial"), safetext.Line(cert.SerialHex))
				add(c.T("review.cert.valid_until"), cert.NotAfter.Format("2006-01-02"))
			} else {
				add(c.T("answers.field.certificate"), none)
			}
		case "network":
			if a.NeedsNetwork(c.Data) {
				var ips []string
				for _, ip := range a.Network.IPs {
					if ip.VPN != "" {
						ips = append(ips, c.T("review.ip_vpn", "IP", ip.Address, "VPN", ip.VPN))
					} else {
						ips = append(ips, ip.Address)
					}
				}
				add(c.T("answers.field.network.ips"), or(strings.Join(ips, ", ")))
			}
			if a.Has("msign") {
				value := none
				if a.Network.SignerType != "" {
					value = c.T("network.signer." + a.Network.SignerType)
				}
				add(c.T("answers.field.network.signer_type"), value)
			}
		case "mpass":
			reviewMPass(c, a, add, or)
		case "mpower":
			reviewMPower(c, a, add)
		case "connectivity":
			add(c.T("review.connectivity"), connectivitySummary(c))
		default:
			continue
		}
		out = append(out, sec)
	}
	return out
}

// connectivitySummary counts the results of the last connectivity run.
func connectivitySummary(c *Context) string {
	if len(c.Answers.Connectivity) == 0 {
		return styles.Subtle.Render(c.T("review.connectivity.not_run"))
	}
	count := map[string]int{}
	for _, r := range c.Answers.Connectivity {
		count[r.Status]++
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
			return r, Goto(r.secs[r.cursor].step.ID())
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
			label := styles.Label.Width(labelWidth).Render(l[0])
			value := lipgloss.NewStyle().Width(valueWidth).Render(l[1])
			b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, "    ", label, "  ", value) + "\n")
		}
		for _, p := range s.problems {
			b.WriteString(styles.Error.Width(r.width-4).PaddingLeft(4).Render("✗ "+p) + "\n")
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
		opts = append(opts, huh.NewOption(c.T("review.edit", "Step", Title(s.step, c.Lang)), s.step.ID()))
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

// reviewMPass lists both environments' logout URLs and the attributes.
func reviewMPass(c *Context, a *export.Answers, add func(label, value string), or func(string) string) {
	m := a.MPass
	if m.Test == nil && m.Production == nil && !m.ProductionLater {
		add("LogoutRequest", or(m.LogoutRequestURL))
		add("LogoutResponse", or(m.LogoutResponseURL))
	}
	for _, env := range []string{"test", "production"} {
		if u := m.LogoutFor(env); u != nil {
			add(c.T("review.mpass.logout", "Env", c.T("env."+env)), safetext.Line(u.Request))
			if u.Response != u.Request {
				add("LogoutResponse ("+c.T("env."+env)+")", safetext.Line(u.Response))
			}
		} else if env == "production" && m.ProductionLater {
			add(c.T("review.mpass.logout", "Env", c.T("env."+env)), c.T("review.mpass.later"))
		}
	}
	add(c.T("answers.field.mpass.attributes"), or(strings.Join(m.Attributes, ", ")))
	for _, x := range m.Custom {
		add(safetext.Line(x.Name), safetext.Line(strings.Join(x.Values, ", ")))
	}
}

// reviewMPower lists the MPower endpoints and warns when MPass is missing.
func reviewMPower(c *Context, a *export.Answers, add func(label, value string)) {
	var names []string
	for _, e := range a.MPower.Endpoints {
		names = append(names, safetext.Line(endpointName(e)))
	}
	add(c.T("answers.field.mpower.endpoints"), strings.Join(names, ", "))
	yes := c.T("common.no")
	if a.MPower.ViewAllAuthorizations {
		yes = c.T("common.yes")
	}
	add("ViewAllAuthorizations", yes)
	if a.NeedsMPassFirst() {
		add("MPass", styles.Warning.Render(c.T("mpower.warn")))
	}
}
