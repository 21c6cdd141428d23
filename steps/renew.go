package steps

import (
	"cmp"
	"errors"
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
	c   *Context
	id  string
	env string
	// ledger is read once, when the screen opens.
	ledger *export.Ledger
	cands  []export.StatusRow
	old    export.StatusRow
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
	result  *export.Result
	entry   export.LedgerEntry
	// recordErr and saveErr say why the package could not be recorded in
	// the ledger, or the answers saved.
	recordErr, saveErr error
	width, height      int
}

// NewRenewal is the screen that renews the certificate of the store's
// system id registered for env (the wizard's restart screen opens it). It
// sends RenewalClosedMsg when it is done with.
func NewRenewal(c *Context, id, env string) Screen {
	s := &renewScreen{c: c, id: id, env: env, vp: viewport.New()}
	if c.Store == nil {
		s.nothing(c.T("renewstep.nothing", "Env", c.EnvName(env)))
		return s
	}
	l, err := c.Store.Ledger()
	if err != nil {
		s.nothing(checks.Localize(err, c.Lang))
		return s
	}
	s.ledger = l
	_, s.cands = export.RenewalTarget(l.Status(c.Now(), 0), id, env, "")
	switch len(s.cands) {
	case 0:
		s.nothing(c.T("renewstep.nothing", "Env", c.EnvName(env)))
	case 1:
		s.old = s.cands[0]
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
	var opts []huh.Option[string]
	for _, r := range s.cands {
		opts = append(opts, huh.NewOption(s.c.T("renewstep.pick.option", "Serial", r.SerialHex,
			"Services", s.serviceNames(r.Services), "Date", r.NotAfter.Format("2006-01-02")), r.SerialHex))
	}
	s.choice = cmp.Or(s.old.SerialHex, s.cands[0].SerialHex)
	return s.setForm(newForm(s.c, huh.NewGroup(huh.NewSelect[string]().
		Title(s.c.T("renewstep.pick", "Env", s.c.EnvName(s.env))).
		Options(opts...).
		Value(&s.choice))))
}

// serviceNames are the platforms' names, from the data file, escaped.
func (s *renewScreen) serviceNames(ids []string) string {
	var names []string
	for _, id := range ids {
		name := id
		if svc, ok := s.c.Data.Service(id); ok {
			name = svc.Name
		}
		names = append(names, safetext.Line(name))
	}
	return strings.Join(names, ", ")
}

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
	dir := expandHome(strings.TrimSpace(cmp.Or(s.c.OutDir, ".")))
	l := s.loaded
	res, entry, err := export.Renew(dir, export.RenewInput{Answers: s.c.Answers, SystemID: s.id, Old: s.old, Leaf: l.Leaf,
		Registered: s.check.Registered, HoldsKey: l.ContainsKey, Data: s.c.Data, Now: s.c.Now()}, export.Options{Overwrite: overwrite})
	if exists, ok := errors.AsType[*export.ExistsError](err); ok {
		return s.askExists(exists)
	}
	if err != nil {
		s.problem = checks.Localize(err, s.c.Lang)
		return s.judge(l)
	}
	s.result, s.entry = res, entry
	s.recordErr = s.c.Store.UpdateLedger(func(lg *export.Ledger) error { lg.Add(entry); return nil })
	s.c.Answers.Renewed(entry, export.NewCertificate(l))
	if s.c.Answers.Env == s.env {
		// The answers now hold the new certificate: the one in memory is it.
		s.c.Cert = l
	}
	if s.c.Save != nil {
		s.saveErr = s.c.Save()
	}
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
		for _, r := range s.cands {
			if r.SerialHex == s.choice {
				s.old = r
			}
		}
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
	title := s.c.T("renewstep.title", "System", cmp.Or(s.c.Answers.System.Name, s.id), "Env", s.c.EnvName(s.env))
	out := styles.Bold.Width(w).Render(title)
	if s.old.SerialHex != "" {
		out += "\n" + styles.Subtle.Width(w).Render(s.c.T("renewstep.replaces", "Serial", s.old.SerialHex,
			"Date", s.old.NotAfter.Format("2006-01-02"), "Services", s.serviceNames(s.old.Services)))
	}
	return out
}

// errorLine is text in the error style under its mark, wrapped.
func (s *renewScreen) errorLine(text string) string {
	w := max(s.width, 40)
	return lipgloss.JoinHorizontal(lipgloss.Top, styles.Error.Render("✗ "), styles.Error.Width(w-2).Render(text))
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

// doneText says what was written, as egovsetup renew prints it: the folder
// and the zip, the serials, and each e-mail with its recipient and
// platforms. Every value is escaped (assets.T escapes placeholders).
func (s *renewScreen) doneText() string {
	w := max(s.width, 40)
	res := s.result
	dir, zip := res.Dir, res.Zip
	if abs, err := filepath.Abs(dir); err == nil {
		dir, zip = abs, abs+".zip"
	}
	lines := []string{styles.Success.Width(w).Render("✓ " + s.c.T("cli.renew.written", "Dir", dir, "Zip", zip,
		"Old", s.old.SerialHex, "New", s.entry.SerialHex))}
	for _, e := range res.Emails {
		// The folder is named above: each e-mail is named inside it.
		file := e.File
		if rel, err := filepath.Rel(res.Dir, e.File); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
		lines = append(lines, styles.Hang("  • ", s.c.T("cli.renew.email", "To", e.To, "File", file,
			"Services", strings.Join(e.Services, ", ")), w))
	}
	if s.recordErr != nil {
		lines = append(lines, styles.Warning.Width(w).Render("! "+s.c.T("package.not_recorded", "Error", checks.Localize(s.recordErr, s.c.Lang))))
	}
	if s.saveErr != nil {
		lines = append(lines, styles.Warning.Width(w).Render("! "+s.c.T("cli.renew.answers_not_saved", "Err", checks.Localize(s.saveErr, s.c.Lang))))
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
