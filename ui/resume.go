package ui

import (
	"context"
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
	"github.com/egovmd/egovsetup/steps"
)

// Resume choices.
const (
	resumeContinue   = "continue"
	resumeReview     = "review"
	resumeAfresh     = "afresh"
	resumeNew        = "new"
	resumeProduction = "production"
	// renewChoice is the prefix of a choice renewing the certificate of the
	// environment that follows it.
	renewChoice = "renew:"
)

// resumeMsg carries the user's choice on the resume screen.
type resumeMsg struct{ choice string }

// resumeScreen comes before the steps: the list of the systems known on
// this machine, or, for the system chosen, whether to go on where the last
// run stopped — and, once its package was written, whether to register it
// for production or start a new system.
type resumeScreen struct {
	c    *steps.Context
	sess *session
	// systems is the systems list shown (nil: the resume question).
	systems []export.SystemInfo
	form    *huh.Form
	choice  string
	width   int
	height  int
	// sel and desc: the question and its text, wrapped again to each width.
	sel  *huh.Select[string]
	desc string
	// renew is the renewal of a certificate, opened from this screen (nil
	// while the question is shown).
	renew steps.Screen
}

func newResumeScreen(c *steps.Context, sess *session) *resumeScreen {
	r := &resumeScreen{c: c, sess: sess}
	r.question()
	return r
}

// question builds the restart question from what the answers and the
// ledger say now.
func (r *resumeScreen) question() {
	r.renew = nil
	title, desc, opts := restartWithRenewals(r.c, r.sess)
	r.choice = opts[0].Value
	r.build(title, desc, opts)
}

// restartWithRenewals is the restart question with the renewals of the
// system's certificates: those due right after the first choice (which
// stays the one preselected), the others last.
func restartWithRenewals(c *steps.Context, sess *session) (title, desc string, opts []huh.Option[string]) {
	title, desc, opts = restartQuestion(c, sess)
	soon, early := renewalOptions(c, systemRows(c, sess))
	out := append(append(opts[:1:1], soon...), opts[1:]...)
	return title, desc, append(out, early...)
}

// askRestart asks the restart question line by line and returns the step
// to start at; a renewal chosen there runs (steps.RenewAccessible), then
// the question is asked again.
func askRestart(ctx context.Context, c *steps.Context, sess *session, r io.Reader, w io.Writer) (steps.Step, error) {
	for {
		title, desc, opts := restartWithRenewals(c, sess)
		choice, err := askSelect(title, desc, opts, r, w)
		if err != nil {
			return nil, err
		}
		env, ok := strings.CutPrefix(choice, renewChoice)
		if !ok {
			start, _ := restartChosen(c, sess, choice)
			return start, nil
		}
		if err := steps.RenewAccessible(ctx, c, ledgerID(c, sess), env, r, w); err != nil {
			return nil, err
		}
	}
}

// newSystemsScreen lists the systems known on this machine.
func newSystemsScreen(c *steps.Context, sess *session, list []export.SystemInfo) *resumeScreen {
	r := &resumeScreen{c: c, sess: sess, systems: list}
	opts := systemOptions(c, list)
	r.choice = opts[0].Value
	r.build(c.T("systems.title"), c.T("systems.description", "Dir", sess.store.SystemsDir()), opts)
	return r
}

// again is the same screen rebuilt (in another language).
func (r *resumeScreen) again() *resumeScreen {
	if r.systems != nil {
		return newSystemsScreen(r.c, r.sess, r.systems)
	}
	return newResumeScreen(r.c, r.sess)
}

func (r *resumeScreen) build(title, desc string, opts []huh.Option[string]) {
	r.desc = desc
	r.sel = huh.NewSelect[string]().
		Title(title).
		Description(desc).
		Options(opts...).
		Value(&r.choice)
	r.form = huh.NewForm(huh.NewGroup(r.sel)).WithTheme(styles.FormTheme).WithKeyMap(styles.KeyMap(r.c.Lang)).WithShowHelp(false)
	if r.width > 0 {
		r.SetSize(r.width, r.height)
	}
}

// lastPackage is the latest package recorded in the answers for their
// environment, nil when none was written.
func lastPackage(a *export.Answers) *export.Registration {
	for i := len(a.Registered) - 1; i >= 0; i-- {
		if a.Registered[i].Env == a.Env {
			return &a.Registered[i]
		}
	}
	return nil
}

// hasPackageFor reports whether a package for env was written.
func hasPackageFor(a *export.Answers, env string) bool {
	for _, r := range a.Registered {
		if r.Env == env {
			return true
		}
	}
	return false
}

// restartQuestion is the resume screen's title, description and choices.
// Once the package was written it says so and offers what comes next —
// production for a test registration, a new system, or changing the answers
// and writing the package again — rather than resuming at a step that is
// already done.
func restartQuestion(c *steps.Context, sess *session) (title, desc string, opts []huh.Option[string]) {
	a := c.Answers
	system := safetext.Line(a.System.Name)
	if strings.TrimSpace(a.System.Name) == "" {
		system = c.T("resume.unnamed")
	}
	newChoice := huh.NewOption(c.T("resume.new"), resumeNew)
	if sess.explicit() {
		newChoice = huh.NewOption(c.T("resume.afresh"), resumeAfresh)
	}
	if p := lastPackage(a); p != nil {
		desc = c.T("resume.written_description", "System", system, "Env", c.EnvName(a.Env),
			"Date", p.Built.Local().Format("2006-01-02"), "Package", safetext.Line(p.Package))
		rows := systemRows(c, sess)
		desc += renewalDue(c, rows)
		if a.Env != assets.EnvProduction && !hasPackageFor(a, assets.EnvProduction) && !inLedger(rows, assets.EnvProduction) {
			opts = append(opts, huh.NewOption(c.T("resume.production", "System", system), resumeProduction))
		}
		opts = append(opts, newChoice,
			huh.NewOption(c.T("resume.rewrite", "Env", c.EnvName(a.Env)), resumeReview))
		return c.T("resume.written_title"), desc, opts
	}
	at := FirstUnfinished(c)
	opts = append(opts, huh.NewOption(c.T("resume.continue", "Step", steps.Title(at, c.Lang)), resumeContinue))
	if first := steps.WithRole(steps.First); first != nil && c.Progress.IsCompleted(first.Info().ID) &&
		at.Info().Role != steps.ReviewRole {
		opts = append(opts, huh.NewOption(c.T("resume.review"), resumeReview))
	}
	opts = append(opts, newChoice)
	desc = c.T("resume.description", "System", system, "Path", sess.path)
	if !a.Updated.IsZero() {
		desc = c.T("resume.description_saved", "System", system, "Path", sess.path, "Saved", a.Updated.Local().Format("2006-01-02 15:04"))
	}
	return c.T("resume.title"), desc, opts
}

// systemRows are the ledger's registrations in force of the session's
// system, judged against the warning window; a registration in an
// environment that is neither test nor production (a ledger edited by hand)
// is left out, as AGE has nothing to renew there. None when there is no
// ledger or it cannot be read.
func systemRows(c *steps.Context, sess *session) []export.StatusRow {
	if sess.ledger == nil {
		return nil
	}
	l, err := sess.ledger.Ledger()
	if err != nil {
		return nil
	}
	id := ledgerID(c, sess)
	var out []export.StatusRow
	for _, r := range l.Status(c.Now(), expiryWithin) {
		if r.SystemID == id && assets.EnvKey(r.Env) != "" {
			out = append(out, r)
		}
	}
	return out
}

// inLedger reports whether rows hold a registration in env ("": in any
// environment): a system whose answers were kept by egovsetup build
// remembers only the package they were built for.
func inLedger(rows []export.StatusRow, env string) bool {
	return slices.ContainsFunc(rows, func(r export.StatusRow) bool { return env == "" || r.Env == env })
}

// ledgerID is the ID the ledger knows the session's system by.
func ledgerID(c *steps.Context, sess *session) string {
	if sess.id != "" {
		return sess.id
	}
	if sess.ledger == nil {
		return export.Slug(c.Answers.System.Name)
	}
	return sess.ledger.LedgerID(c.Answers.System.Name)
}

// renewalOptions are the choices renewing the system's certificate (rows,
// from systemRows): one per environment with a registration in force, those
// due apart from the others (early).
func renewalOptions(c *steps.Context, rows []export.StatusRow) (dueOpts, early []huh.Option[string]) {
	soon := map[string]bool{}
	var envs []string
	for _, r := range rows {
		if !slices.Contains(envs, r.Env) {
			envs = append(envs, r.Env)
		}
		soon[r.Env] = soon[r.Env] || r.Due()
	}
	for _, env := range envs {
		o := huh.NewOption(c.T("resume.renew", "Env", c.EnvName(env)), renewChoice+env)
		if soon[env] {
			dueOpts = append(dueOpts, o)
		} else {
			early = append(early, o)
		}
	}
	return dueOpts, early
}

// renewalDue says, for each registration in rows that is due, when its
// certificate expires, and that the choices below renew it ("" when none
// is due).
func renewalDue(c *steps.Context, rows []export.StatusRow) string {
	var b strings.Builder
	for _, r := range rows {
		if r.Due() {
			b.WriteString("\n" + c.T("resume.renewal_due", "Env", c.EnvName(r.Env), "Serial", safetext.Line(r.SerialHex),
				"Date", r.NotAfter.Local().Format("2006-01-02")))
		}
	}
	return b.String()
}

func (r *resumeScreen) Init() tea.Cmd {
	if r.renew != nil {
		return r.renew.Init()
	}
	return r.form.Init()
}

// startRenewal opens the renewal of the system's certificate for env.
func (r *resumeScreen) startRenewal(env string) tea.Cmd {
	r.renew = steps.NewRenewal(r.c, ledgerID(r.c, r.sess), env)
	if r.width > 0 {
		r.renew.SetSize(r.width, r.height)
	}
	return r.renew.Init()
}

// renewing reports whether the renewal is shown.
func (r *resumeScreen) renewing() bool { return r.renew != nil }

// WantsEsc: in the renewal, esc goes back to the question.
func (r *resumeScreen) WantsEsc() bool { return r.renew != nil }

// Busy: the renewal is reading a certificate; keys wait.
func (r *resumeScreen) Busy() bool {
	b, ok := r.renew.(busy)
	return ok && b.Busy()
}

func (r *resumeScreen) Update(msg tea.Msg) (*resumeScreen, tea.Cmd) {
	if r.renew != nil {
		if _, ok := msg.(steps.RenewalClosedMsg); ok {
			r.question()
			return r, r.form.Init()
		}
		var cmd tea.Cmd
		r.renew, cmd = r.renew.Update(msg)
		return r, cmd
	}
	m, cmd := r.form.Update(msg)
	r.form = m.(*huh.Form)
	if r.form.State == huh.StateCompleted {
		choice := r.choice
		return r, func() tea.Msg { return resumeMsg{choice} }
	}
	return r, cmd
}

func (r *resumeScreen) View() string {
	if r.renew != nil {
		return r.renew.View()
	}
	return r.form.View()
}

func (r *resumeScreen) Keys() []key.Binding {
	if r.renew != nil {
		return r.renew.Keys()
	}
	return r.form.KeyBinds()
}

func (r *resumeScreen) SetSize(w, h int) {
	r.width, r.height = w, h
	if r.renew != nil {
		r.renew.SetSize(w, h)
	}
	// huh would break a path at its dots: wrap it between words first.
	r.sel.Description(styles.Wrap(r.desc, w-2))
	r.form.WithWidth(w).WithHeight(max(h, 5))
	// The form lays its fields out again only on a message.
	m, _ := r.form.Update(nil)
	r.form = m.(*huh.Form)
}

// resumeChosen acts on the choice made on the systems list or the resume
// screen.
func (m *model) resumeChosen(msg resumeMsg) tea.Cmd {
	if env, ok := strings.CutPrefix(msg.choice, renewChoice); ok {
		return m.resume.startRenewal(env)
	}
	sess := m.resume.sess
	m.resume = nil
	if id, ok := strings.CutPrefix(msg.choice, systemChoice); ok {
		return m.openSystem(sess, id)
	}
	start, review := restartChosen(m.c, sess, msg.choice)
	m.review = review
	return m.open(start)
}

// restartChosen acts on a choice of the resume screen (or "New system" on
// the systems list) and returns the step to open; review is true when the
// steps left to do lead back to the review.
func restartChosen(c *steps.Context, sess *session, choice string) (start steps.Step, review bool) {
	switch choice {
	case resumeAfresh:
		backupAnswers(sess.path)
		freshAnswers(c)
		return steps.WithRole(steps.First), false
	case resumeNew:
		if sess.explicit() {
			backupAnswers(sess.path)
		} else {
			sess.newSystem()
		}
		freshAnswers(c)
		return steps.WithRole(steps.First), false
	case resumeProduction:
		toProduction(c)
		// The first step confirms the environment and the tests; then the
		// steps left to do, then the review.
		return steps.WithRole(steps.First), true
	case resumeReview:
		return steps.WithRole(steps.ReviewRole), false
	}
	return FirstUnfinished(c), false
}

// freshAnswers empties the answers and the progress, keeping the language.
func freshAnswers(c *steps.Context) {
	*c.Answers = *export.NewAnswers()
	*c.Progress = steps.Progress{Lang: c.Lang}
	dropCertificate(c)
}

// dropCertificate forgets the certificate loaded in this run and the
// package written, for other answers; the demonstration certificate of
// --demo stays.
func dropCertificate(c *steps.Context) {
	if !c.Demo {
		c.Cert = nil
	}
	c.Package = nil
}

// openSystem loads the answers of the store's system id and goes on with
// it: to the resume question when it has progress, else to the first step.
// A system whose answers cannot be read stays in the list, which says why.
func (m *model) openSystem(sess *session, id string) tea.Cmd {
	prev := *sess
	sess.useSystem(id)
	if err := loadInto(m.c, sess); err != nil {
		*sess = prev
		list, _ := sess.store.Systems(m.c.Now(), expiryWithin)
		m.notice = m.c.T("systems.cannot_open", "Error", checks.Localize(err, m.c.Lang))
		m.resume = newSystemsScreen(m.c, sess, list)
		m.layout()
		return m.resume.Init()
	}
	// A system with a package recorded (by egovsetup build, say), in its
	// answers or only in the ledger, opens on the restart question too: it
	// offers the renewal.
	if len(m.c.Progress.Completed) > 0 || len(m.c.Answers.Registered) > 0 || inLedger(systemRows(m.c, sess), "") {
		m.resume = newResumeScreen(m.c, sess)
		m.layout()
		return m.resume.Init()
	}
	return m.open(steps.WithRole(steps.First))
}

// loadInto reads the session's answers and progress into the context; the
// language saved with them wins unless --lang was given.
func loadInto(c *steps.Context, sess *session) error {
	a, p, _, err := loadAnswers(sess.path, c.Lang, true)
	if err != nil {
		return err
	}
	if !sess.langExplicit && p.Lang != "" && assets.Supported(p.Lang) {
		c.Lang = p.Lang
	}
	p.Lang = c.Lang
	*c.Answers, *c.Progress = *a, *p
	dropCertificate(c)
	return nil
}

// toProduction turns a system registered on the test environment towards
// its production registration: the environment changes, and the steps that
// depend on it — certificate (production needs another one), connectivity,
// review and package — are to be done again. Everything else is kept.
func toProduction(c *steps.Context) {
	a := c.Answers
	a.Env = assets.EnvProduction
	a.Certificate, a.Connectivity = nil, nil
	dropCertificate(c)
	keep := c.Progress.Completed[:0]
	for _, id := range c.Progress.Completed {
		s, ok := steps.Find(id)
		if ok && redoForProduction(s) {
			continue
		}
		keep = append(keep, id)
	}
	c.Progress.Completed = keep
}

// redoForProduction reports whether step s is done again for production:
// the first step, the review and the package, and the steps asking for the
// answers toProduction clears.
func redoForProduction(s steps.Step) bool {
	switch s.Info().Role {
	case steps.First, steps.ReviewRole, steps.Final:
		return true
	}
	for _, f := range s.Info().Fields {
		if f == "certificate" || f == "connectivity" {
			return true
		}
	}
	return false
}
