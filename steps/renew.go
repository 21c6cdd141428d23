package steps

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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

// RenewalClosedMsg says the renewal screen is done with — esc, "back", or
// after the package was written (Written) — and the screen it was opened
// from comes back.
type RenewalClosedMsg struct{ Written bool }

func closeRenewal(written bool) tea.Cmd {
	return func() tea.Msg { return RenewalClosedMsg{Written: written} }
}

type renewState int

const (
	renewPick    renewState = iota // which registration to replace, when several are in force
	renewLoad                      // the new certificate's file and password
	renewJudged                    // its card, verdicts and the choice to write
	renewExists                    // the package's folder is there already
	renewDone                      // what was written
	renewNothing                   // nothing to renew: the reason, and back
)

// Renewal choices.
const (
	renewWrite   = "write"
	renewAnother = "another"
	renewBack    = "back"
)

// renewScreen renews the certificate of one registration of a known
// system: it loads the new certificate as the certificate step does, judges
// it as egovsetup renew does (export.CheckRenewal), and writes the renewal
// package (export.Renew) into the folder the package step would use,
// records it in the ledger and updates the system's answers.
type renewScreen struct {
	renewal
	state  renewState
	loader *certScreen
	path   string
	// loaded is the new certificate, private key included when the file
	// had one: in memory only.
	loaded  *cert.Loaded
	check   export.RenewalCheck
	refusal error
	choice  string
	over    bool
	form    *huh.Form
	vp      viewport.Model
	// problem is the reason nothing can be renewed, or why writing failed.
	problem string
	exists  string
	written *renewalWritten
	width   int
	height  int
}

// renewal is the registration being renewed: the system, the environment,
// the ledger (read once, when the renewal opens), the registrations in
// force there and the one the new certificate replaces.
type renewal struct {
	c      *Context
	id     string
	env    string
	ledger *export.Ledger
	cands  []export.StatusRow
	old    export.StatusRow
}

// openRenewal reads the ledger and finds the registrations of system id in
// env; why says, when there is none, why nothing can be renewed.
func openRenewal(c *Context, id, env string) (rn renewal, why string) {
	rn = renewal{c: c, id: id, env: env}
	if c.Store == nil {
		return rn, c.T("renewstep.nothing", "Env", c.EnvName(env))
	}
	l, err := c.Store.Ledger()
	if err != nil {
		return rn, checks.Localize(err, c.Lang)
	}
	rn.ledger = l
	_, rn.cands = export.RenewalTarget(l.Status(c.Now(), 0), id, env, "")
	if len(rn.cands) == 0 {
		return rn, c.T("renewstep.nothing", "Env", c.EnvName(env))
	}
	rn.old = rn.cands[0]
	return rn, ""
}

// renewalWritten is a renewal package written: where, its ledger entry,
// and why it could not be recorded or the answers saved (nil when they
// were).
type renewalWritten struct {
	res                *export.Result
	entry              export.LedgerEntry
	recordErr, saveErr error
}

// write writes the renewal package for the new certificate l into the
// folder the package step would use, records it in the ledger and updates
// the system's answers (export.Answers.Renewed, then saved).
func (rn *renewal) write(l *cert.Loaded, registered, overwrite bool) (*renewalWritten, error) {
	dir := expandHome(strings.TrimSpace(cmp.Or(rn.c.OutDir, ".")))
	res, entry, err := export.Renew(dir, export.RenewInput{Answers: rn.c.Answers, SystemID: rn.id, Old: rn.old, Leaf: l.Leaf,
		Registered: registered, HoldsKey: l.ContainsKey, Data: rn.c.Data, Now: rn.c.Now()}, export.Options{Overwrite: overwrite})
	if err != nil {
		return nil, err
	}
	out := &renewalWritten{res: res, entry: entry}
	out.recordErr = rn.c.Store.UpdateLedger(func(lg *export.Ledger) error { lg.Add(entry); return nil })
	rn.c.Answers.Renewed(entry, export.NewCertificate(l))
	if rn.c.Answers.Env == rn.env {
		// The answers now hold the new certificate: the one in memory is it.
		rn.c.Cert = l
	}
	if rn.c.Save != nil {
		out.saveErr = rn.c.Save()
	}
	return out, nil
}

// doneLines say what was written, as egovsetup renew prints it: the folder
// and the zip, the serials, each e-mail with its recipient and platforms,
// and what could not be recorded or saved (warn is set on those). Every
// value is escaped (assets.T escapes placeholders).
func (rn *renewal) doneLines(out *renewalWritten) (written string, emails, warn []string) {
	res := out.res
	dir, zip := res.Dir, res.Zip
	if abs, err := filepath.Abs(dir); err == nil {
		dir, zip = abs, abs+".zip"
	}
	written = rn.c.T("cli.renew.written", "Dir", dir, "Zip", zip, "Old", rn.old.SerialHex, "New", out.entry.SerialHex)
	for _, e := range res.Emails {
		// The folder is named above: each e-mail is named inside it.
		file := e.File
		if rel, err := filepath.Rel(res.Dir, e.File); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
		emails = append(emails, rn.c.T("cli.renew.email", "To", e.To, "File", file, "Services", rn.serviceNames(e.Services)))
	}
	if out.recordErr != nil {
		warn = append(warn, rn.c.T("package.not_recorded", "Error", checks.Localize(out.recordErr, rn.c.Lang)))
	}
	if out.saveErr != nil {
		warn = append(warn, rn.c.T("cli.renew.answers_not_saved", "Err", checks.Localize(out.saveErr, rn.c.Lang)))
	}
	return written, emails, warn
}

// NewRenewal is the screen that renews the certificate of the store's
// system id registered for env (the wizard's restart screen opens it). It
// sends RenewalClosedMsg when it is done with.
func NewRenewal(c *Context, id, env string) Screen {
	rn, why := openRenewal(c, id, env)
	s := &renewScreen{renewal: rn, vp: viewport.New()}
	switch {
	case why != "":
		s.nothing(why)
	case len(s.cands) == 1:
		s.load()
	default:
		s.pick()
	}
	return s
}

func (s *renewScreen) nothing(why string) {
	s.state = renewNothing
	s.problem = why
}

// pick asks which of the certificates in force for the environment the new
// one replaces.
func (s *renewScreen) pick() tea.Cmd {
	s.state = renewPick
	s.choice = cmp.Or(s.old.SerialHex, s.cands[0].SerialHex)
	return s.setForm(newForm(s.c, huh.NewGroup(s.pickField(&s.choice))))
}

// pickField asks which registration the new certificate replaces.
func (rn *renewal) pickField(choice *string) huh.Field {
	var opts []huh.Option[string]
	for _, r := range rn.cands {
		// The details go on a line of their own, under the serial, as on
		// the systems list: a long serial and a date never break into each
		// other.
		label := safetext.Line(r.SerialHex) + "\n  " + rn.c.T("renewstep.pick.option",
			"Services", rn.serviceNames(r.Services), "Date", r.NotAfter.Format("2006-01-02"))
		opts = append(opts, huh.NewOption(label, r.SerialHex))
	}
	return huh.NewSelect[string]().Title(rn.c.T("renewstep.pick", "Env", rn.c.EnvName(rn.env))).Options(opts...).Value(choice)
}

// choose makes the registration with serial the one replaced.
func (rn *renewal) choose(serial string) {
	for _, r := range rn.cands {
		if r.SerialHex == serial {
			rn.old = r
		}
	}
}

// serviceNames are the platforms' names, from the data file, escaped.
func (rn *renewal) serviceNames(ids []string) string { return safetext.Line(rn.c.Data.Names(ids)) }

// load asks for the new certificate with the certificate step's file field,
// password prompt and messages.
func (s *renewScreen) load() tea.Cmd {
	s.state = renewLoad
	s.loaded, s.refusal, s.problem = nil, nil, ""
	s.loader = newCertLoader(s.c, s.path, s.judge, s.backFromLoad)
	s.resize()
	return s.loader.Init()
}

// backFromLoad leaves the file field: to the choice of the registration
// when there are several, else back to where the renewal was opened from.
func (s *renewScreen) backFromLoad() tea.Cmd {
	if len(s.cands) > 1 {
		return s.pick()
	}
	return closeRenewal(false)
}

// judge shows the new certificate's card and verdicts (export.CheckRenewal)
// with the choice to write the renewal package — or, when it is refused,
// why, and the choice to load another one or go back.
func (s *renewScreen) judge(l *cert.Loaded) tea.Cmd {
	s.path = s.loader.path
	s.loaded = l
	s.state = renewJudged
	s.check, s.refusal = export.CheckRenewal(s.ledger, s.id, s.old, l, s.c.Data, s.c.Now())
	opts := []huh.Option[string]{
		huh.NewOption(s.c.T("renewstep.write"), renewWrite),
		huh.NewOption(s.c.T("renewstep.another"), renewAnother),
	}
	s.choice = renewWrite
	if s.refusal != nil {
		opts = []huh.Option[string]{opts[1], huh.NewOption(s.c.T("renewstep.back"), renewBack)}
		s.choice = renewAnother
	}
	cmd := s.setForm(newForm(s.c, huh.NewGroup(huh.NewSelect[string]().Options(opts...).Value(&s.choice))))
	s.vp.GotoTop()
	return cmd
}

// refusalText is why the new certificate is refused, in the wizard's words.
func (s *renewScreen) refusalText() string {
	if s.refusal == nil {
		return ""
	}
	return conflictText(s.c, s.refusal)
}

// write writes the renewal package, records it in the ledger and updates
// the system's answers; a folder already there is replaced only when the
// user says so.
func (s *renewScreen) write(overwrite bool) tea.Cmd {
	out, err := s.renewal.write(s.loaded, s.check.Registered, overwrite)
	if exists, ok := errors.AsType[*export.ExistsError](err); ok {
		return s.askExists(exists)
	}
	if err != nil {
		s.problem = checks.Localize(err, s.c.Lang)
		return s.judge(s.loaded)
	}
	s.written = out
	s.state = renewDone
	s.form = nil
	return nil
}

// askExists asks whether to replace the package already in the folder.
func (s *renewScreen) askExists(e *export.ExistsError) tea.Cmd {
	s.state = renewExists
	s.over = false
	s.exists = e.Path
	return s.setForm(newForm(s.c, huh.NewGroup(huh.NewConfirm().
		Title(s.c.T("package.exists", "Dir", e.Path)).
		Affirmative(s.c.T("package.replace")).
		Negative(s.c.T("renewstep.keep")).
		Value(&s.over))))
}

func (s *renewScreen) setForm(f *huh.Form) tea.Cmd {
	s.form = f
	s.resize()
	return f.Init()
}

func (s *renewScreen) Init() tea.Cmd {
	switch {
	case s.state == renewLoad:
		return s.loader.Init()
	case s.form != nil:
		return s.form.Init()
	}
	return nil
}

// Busy: keys wait while the certificate is read.
func (s *renewScreen) Busy() bool { return s.state == renewLoad && s.loader.Busy() }

// WantsEsc: esc goes back (or cancels the reading of a file), never quits.
func (s *renewScreen) WantsEsc() bool { return true }

func (s *renewScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if handled, cmd := s.key(k); handled {
			return s, cmd
		}
	}
	if s.state == renewLoad {
		next, cmd := s.loader.Update(msg)
		s.loader = next.(*certScreen)
		return s, cmd
	}
	if s.form == nil {
		return s, nil
	}
	m, cmd := s.form.Update(msg)
	s.form = m.(*huh.Form)
	if s.form.State != huh.StateCompleted {
		return s, cmd
	}
	return s, s.completed()
}

// key handles esc (back, or cancel a reading), enter on the last screens
// and the card's page keys; handled is false for keys the form takes.
func (s *renewScreen) key(k tea.KeyPressMsg) (handled bool, cmd tea.Cmd) {
	switch k.String() {
	case "esc":
		if s.state == renewLoad && s.loader.WantsEsc() {
			return false, nil
		}
		return true, closeRenewal(s.state == renewDone)
	case "enter":
		if s.state == renewDone || s.state == renewNothing {
			return true, closeRenewal(s.state == renewDone)
		}
	case "pgup", "pgdown":
		if s.state == renewJudged {
			s.vp, cmd = s.vp.Update(k)
			return true, cmd
		}
	case "shift+tab":
		if s.state == renewJudged || s.state == renewExists {
			return true, s.load()
		}
	}
	return s.state == renewDone || s.state == renewNothing, nil
}

// completed moves on when the current form is complete.
func (s *renewScreen) completed() tea.Cmd {
	switch s.state {
	case renewPick:
		s.choose(s.choice)
		return s.load()
	case renewJudged:
		switch s.choice {
		case renewWrite:
			return s.write(false)
		case renewBack:
			return closeRenewal(false)
		}
		return s.load()
	case renewExists:
		if s.over {
			return s.write(true)
		}
		return s.judge(s.loaded)
	}
	return nil
}

// heading names the registration renewed: system, environment, and the
// serial replaced with its expiry.
func (s *renewScreen) heading() string {
	w := max(s.width, 40)
	out := styles.Bold.Width(w).Render(s.title())
	if r := s.replaces(); r != "" && s.state != renewPick {
		out += "\n" + styles.Subtle.Width(w).Render(r)
	}
	return out
}

// title names the system and the environment renewed.
func (rn *renewal) title() string {
	return rn.c.T("renewstep.title", "System", cmp.Or(rn.c.Answers.System.Name, rn.id), "Env", rn.c.EnvName(rn.env))
}

// replaces names the serial replaced, its platforms and expiry ("" until
// it is chosen).
func (rn *renewal) replaces() string {
	if rn.old.SerialHex == "" {
		return ""
	}
	return rn.c.T("renewstep.replaces", "Serial", rn.old.SerialHex, "Date", rn.old.NotAfter.Format("2006-01-02"),
		"Services", rn.serviceNames(rn.old.Services))
}

// errorLine is text in the error style under its mark, wrapped.
func (s *renewScreen) errorLine(text string) string {
	w := max(s.width, 40)
	return styles.Error.Render(styles.Hang("✗ ", text, w))
}

func (s *renewScreen) View() string {
	var b strings.Builder
	b.WriteString(s.heading() + "\n\n")
	switch s.state {
	case renewNothing:
		b.WriteString(s.errorLine(s.problem) + "\n\n" + styles.Subtle.Render(s.c.T("renewstep.enter_back")))
	case renewLoad:
		b.WriteString(s.loader.View())
	case renewDone:
		b.WriteString(s.doneText())
	default:
		if s.state == renewJudged {
			b.WriteString(s.vp.View() + "\n")
			if s.problem != "" {
				b.WriteString(s.errorLine(s.problem) + "\n")
			}
			if r := s.refusalText(); r != "" {
				b.WriteString(s.errorLine(r) + "\n")
			}
		}
		b.WriteString(s.form.View())
	}
	return b.String()
}

// doneText is what was written (doneLines), styled and wrapped.
func (s *renewScreen) doneText() string {
	w := max(s.width, 40)
	written, emails, warn := s.doneLines(s.written)
	// Hang wraps between words only: a path breaks at no hyphen or dot.
	lines := []string{styles.Success.Render(styles.Hang("✓ ", written, w))}
	for _, e := range emails {
		lines = append(lines, styles.Hang("  • ", e, w))
	}
	for _, x := range warn {
		lines = append(lines, styles.Warning.Render(styles.Hang("! ", x, w)))
	}
	lines = append(lines, "", styles.Subtle.Width(w).Render(s.c.T("renewstep.enter_back")))
	return strings.Join(lines, "\n")
}

func (s *renewScreen) Keys() []key.Binding {
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", s.c.T("key.back")))
	switch s.state {
	case renewLoad:
		binds := s.loader.Keys()
		if !s.loader.WantsEsc() {
			binds = append(binds, back)
		}
		return binds
	case renewDone, renewNothing:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", s.c.T("key.back")))}
	}
	binds := append(s.form.KeyBinds(), back)
	if s.state == renewJudged && s.vp.TotalLineCount() > s.vp.Height() {
		binds = append(binds, key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", s.c.T("key.scroll"))))
	}
	return binds
}

func (s *renewScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.resize()
}

// resize lays the screen out: the heading on top; on the card screen the
// card takes the room the refusal and the two choices leave.
func (s *renewScreen) resize() {
	if s.width == 0 {
		return
	}
	room := s.height - lipgloss.Height(s.heading()) - 1
	if s.loader != nil {
		s.loader.SetSize(s.width, room)
	}
	if s.form == nil {
		return
	}
	if s.state != renewJudged {
		s.form.WithWidth(s.width).WithHeight(max(room, 4))
		return
	}
	s.form.WithWidth(s.width).WithHeight(3)
	below := 2
	for _, t := range []string{s.problem, s.refusalText()} {
		if t != "" {
			below += lipgloss.Height(s.errorLine(t))
		}
	}
	s.vp.SetWidth(s.width)
	s.vp.SetHeight(max(room-below, 4))
	if s.loaded != nil {
		s.vp.SetContent(renderCard(s.c, s.check.Report, s.loaded, s.width))
	}
}

// RenewAccessible renews the certificate of the store's system id for env
// with plain line-by-line prompts (the accessible wizard's restart question
// offers it): the registration replaced when there are several, the new
// certificate asked for as the certificate step asks, its card and
// verdicts, and the renewal package written when it passes. A refused
// certificate is explained, and another may be loaded.
func RenewAccessible(ctx context.Context, c *Context, id, env string, r io.Reader, w io.Writer) error {
	ask := func(fields ...huh.Field) error {
		return newForm(c, huh.NewGroup(fields...)).WithAccessible(true).WithInput(r).WithOutput(w).RunWithContext(ctx)
	}
	rn, why := openRenewal(c, id, env)
	if why != "" {
		fmt.Fprintln(w, "✗ "+why)
		return nil
	}
	if len(rn.cands) > 1 {
		serial := rn.old.SerialHex
		if err := ask(rn.pickField(&serial)); err != nil {
			return err
		}
		rn.choose(serial)
	}
	fmt.Fprintln(w, rn.title()+"\n"+rn.replaces())
	for {
		l, err := accessibleLoad(ctx, c, r, w, ask)
		if err != nil {
			return err
		}
		check, refusal := export.CheckRenewal(rn.ledger, rn.id, rn.old, l, c.Data, c.Now())
		check.Report.WriteText(w, c.Lang)
		again, err := rn.accessibleWrite(l, check.Registered, refusal, w, ask)
		if err != nil || !again {
			return err
		}
	}
}

// accessibleWrite says why a refused certificate is refused, or asks
// whether to write the renewal package, writes it (asking before a package
// already there is replaced) and says what was written. again: the user
// loads another certificate.
func (rn *renewal) accessibleWrite(l *cert.Loaded, registered bool, refusal error, w io.Writer, ask func(...huh.Field) error) (again bool, err error) {
	c := rn.c
	if refusal != nil {
		fmt.Fprintln(w, "✗ "+conflictText(c, refusal))
		again = true
		err = ask(huh.NewConfirm().Title(c.T("renewstep.another")).
			Affirmative(c.T("common.yes")).Negative(c.T("renewstep.back")).Value(&again))
		return again, err
	}
	write := true
	if err := ask(huh.NewConfirm().Title(c.T("renewstep.write")).
		Affirmative(c.T("common.yes")).Negative(c.T("renewstep.another")).Value(&write)); err != nil || !write {
		return !write, err
	}
	for overwrite := false; ; {
		out, err := rn.write(l, registered, overwrite)
		if exists, ok := errors.AsType[*export.ExistsError](err); ok && !overwrite {
			if err := ask(huh.NewConfirm().Title(c.T("package.exists", "Dir", exists.Path)).
				Affirmative(c.T("package.replace")).Negative(c.T("renewstep.keep")).Value(&overwrite)); err != nil || !overwrite {
				return false, err
			}
			continue
		}
		if err != nil {
			fmt.Fprintln(w, "✗ "+checks.Localize(err, c.Lang))
			return true, nil
		}
		written, emails, warn := rn.doneLines(out)
		fmt.Fprintln(w, "✓ "+written)
		for _, e := range emails {
			fmt.Fprintln(w, "  • "+e)
		}
		for _, x := range warn {
			fmt.Fprintln(w, "! "+x)
		}
		return false, nil
	}
}
