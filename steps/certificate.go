package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/pwretry"
	"github.com/egovmd/egovsetup/internal/safefile"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
)

// Certificate asks for the system's authentication certificate, reads it
// (a .pfx/.p12 with its password, or a public .cer/.crt/.pem/.der), shows its
// card and verdicts, and keeps its public part in the answers. The private
// key stays in memory.
type Certificate struct{ always }

func init() { Register(Certificate{}) }

func (Certificate) Info() Info {
	return Info{ID: "certificate", Title: "step.certificate.title", Order: 40, Fields: []string{"certificate"}}
}

// certOptions says what the certificate is judged for.
func certOptions(c *Context) cert.Options {
	return cert.Options{
		Services:   c.Answers.Services,
		Env:        c.Answers.Env,
		Now:        c.Now(),
		TestSHA256: c.Answers.TestCertificate(),
		Data:       c.Data,
	}
}

// keep stores the certificate's public facts in the answers.
func keep(c *Context, l *cert.Loaded) {
	c.Cert = l
	clearPending(c, l)
	c.Answers.Certificate = export.NewCertificate(l)
}

// savedCertificate reloads the public certificate kept in the answers (a
// resumed run has no key: it was never saved).
func savedCertificate(c *Context) *cert.Loaded {
	if c.Cert != nil {
		return c.Cert
	}
	return c.Answers.Certificate.Loaded()
}

// certificate screen states
type certState int

const (
	certChoose certState = iota
	certLoading
	certPassword
	certShow
	certHow    // a file, or the serial of a certificate AGE already has
	certPick   // one of the serials saved for this environment
	certSerial // the serial typed
)

type certScreen struct {
	c      *Context
	state  certState
	path   string
	pw     string
	tries  int
	err    string
	form   *huh.Form
	first  huh.Field
	spin   spinner.Model
	cancel context.CancelFunc
	loaded *cert.Loaded
	report *cert.Report
	choice string
	how    string // "file" or "serial"
	serial string
	vp     viewport.Model
	width  int
	height int

	// pathField and pathText are the file field and its value while the
	// file is asked for (Tab completes the path in them).
	pathField *huh.Input
	pathText  *syncedText
	// typed: text was typed on this screen that no certificate holds yet.
	typed bool
	// move follows a move to the next field (keys wait meanwhile).
	move moveWatch
	// gen is the key being made here (certgen.go).
	gen *certGen
	// forbidden is the ledger's refusal of the certificate shown (AGE's
	// rule, see ledgerVerdict): it is not offered for use.
	forbidden error

	// onLoad, when set, takes the certificate read in place of the card,
	// and onBack the way back from the file field: a renewal loads its new
	// certificate with this screen's file field, password prompt, messages
	// and retries (newCertLoader).
	onLoad func(*cert.Loaded) tea.Cmd
	onBack func() tea.Cmd
}

// newCertLoader is the certificate screen's file field, password prompt
// and reading, for a screen that judges the certificate itself: onLoad gets
// the certificate read, onBack is called on shift+tab from the file field.
func newCertLoader(c *Context, path string, onLoad func(*cert.Loaded) tea.Cmd, onBack func() tea.Cmd) *certScreen {
	s := &certScreen{c: c, path: path, spin: spinner.New(spinner.WithSpinner(spinner.Dot)), vp: viewport.New(),
		onLoad: onLoad, onBack: onBack}
	s.choose()
	return s
}

// loadedMsg carries the result of reading a certificate file.
type loadedMsg struct {
	l        *cert.Loaded
	err      error
	password bool // the attempt used a typed password
}

func (Certificate) Screen(c *Context) Screen {
	s := &certScreen{c: c, spin: spinner.New(spinner.WithSpinner(spinner.Dot)), vp: viewport.New()}
	if l := savedCertificate(c); l != nil {
		s.path = l.Path
		s.show(l)
	} else if ac := c.Answers.Certificate; ac != nil && ac.SerialOnly {
		s.serial = ac.SerialHex()
		s.askHow()
	} else {
		if c.Answers.Certificate != nil {
			s.path = c.Answers.Certificate.File
		}
		s.askHow()
	}
	if c.Progress != nil && c.Progress.Pending != nil && s.path == "" {
		s.path = pairedPath(c.Progress.Pending.Key)
	}
	return s
}

func (s *certScreen) Init() tea.Cmd {
	if s.form != nil {
		return s.form.Init()
	}
	return nil
}

// choose shows the file field.
func (s *certScreen) choose() tea.Cmd {
	s.state = certChoose
	km := styles.KeyMap(s.c.Lang)
	km.Input.Next.SetKeys("enter")
	km.Input.AcceptSuggestion.SetKeys("tab", "ctrl+e")
	km.Input.AcceptSuggestion.SetHelp("tab", s.c.T("key.complete"))
	// Suggestions are computed on another goroutine: they read the path
	// through a synchronised copy, never s.path itself.
	path := newSyncedText(&s.path)
	s.pathText = path
	field := huh.NewInput().
		Title(s.c.T("certstep.file")).
		Description(s.c.Desc("certstep.file.description")).
		Placeholder(s.c.T("certstep.file.placeholder")).
		Accessor(path).
		SuggestionsFunc(func() []string { return completePath(path.Get()) }, path).
		Validate(func(p string) error {
			if err := checkFile(p); err != nil {
				return errors.New(checks.Localize(err, s.c.Lang))
			}
			return nil
		})
	s.pathField = field
	return s.setForm(newForm(s.c, huh.NewGroup(field)).WithKeyMap(km))
}

// askHow asks whether AGE gets the certificate file or the serial of one it
// already has for this system and environment (mpass/process2.md steps 4
// and 8, msign/process.md step 3).
func (s *certScreen) askHow() tea.Cmd {
	s.state = certHow
	if s.how == "" {
		s.how = "file"
		if ac := s.c.Answers.Certificate; ac != nil && ac.SerialOnly {
			s.how = "serial"
		}
	}
	env := s.c.EnvName(s.c.Answers.Env)
	sel := huh.NewSelect[string]().
		Title(s.c.T("certstep.how")).
		Description(s.c.Desc("certstep.how.description")).
		Options(
			huh.NewOption(s.c.T("certstep.how.file"), "file"),
			huh.NewOption(s.c.T("certstep.how.serial", "Env", env), "serial"),
			huh.NewOption(s.c.T("certstep.how.new"), "new"),
		).
		Value(&s.how)
	return s.setForm(newForm(s.c, huh.NewGroup(sel)))
}

// savedSerials are the certificates of packages already built from these
// answers for the environment registered now, newest first, once each.
func savedSerials(c *Context) []export.Registration {
	var out []export.Registration
	for i := len(c.Answers.Registered) - 1; i >= 0; i-- {
		r := c.Answers.Registered[i]
		if r.Env != c.Answers.Env || r.SerialHex == "" {
			continue
		}
		if !slices.ContainsFunc(out, func(x export.Registration) bool { return x.SerialHex == r.SerialHex }) {
			out = append(out, r)
		}
	}
	return out
}

// askSerial offers the saved serials (when pick is set and there are any),
// or the field to type one.
func (s *certScreen) askSerial(pick bool) tea.Cmd {
	if saved := savedSerials(s.c); pick && len(saved) > 0 {
		s.state = certPick
		var opts []huh.Option[string]
		for _, r := range saved {
			opts = append(opts, huh.NewOption(s.c.T("certstep.serial.saved", "Serial", r.SerialHex, "Date", r.Built.Format("2006-01-02")), r.SerialHex))
		}
		opts = append(opts, huh.NewOption(s.c.T("certstep.serial.other"), ""))
		if !slices.ContainsFunc(saved, func(x export.Registration) bool { return x.SerialHex == s.serial }) {
			s.serial = saved[0].SerialHex
		}
		return s.setForm(newForm(s.c, huh.NewGroup(huh.NewSelect[string]().
			Title(s.c.T("certstep.serial.pick", "Env", s.c.EnvName(s.c.Answers.Env))).
			Options(opts...).
			Value(&s.serial))))
	}
	s.state = certSerial
	field := huh.NewInput().
		Title(s.c.T("certstep.serial")).
		Description(s.c.Desc("certstep.serial.description", "Env", s.c.EnvName(s.c.Answers.Env))).
		Placeholder("4F00000000A1B2C3D4E5").
		Value(&s.serial).
		Validate(validator(s.c, func(v string) error { _, _, err := checks.ValidateSerial(v); return err }))
	return s.setForm(newForm(s.c, huh.NewGroup(field)))
}

// keepSerial records the serial in the answers: the package then holds no
// .cer and the e-mails name the serial.
func (s *certScreen) keepSerial() tea.Cmd {
	hex, dec, err := checks.ValidateSerial(s.serial)
	if err != nil {
		s.err = checks.Localize(err, s.c.Lang)
		return s.askSerial(false)
	}
	if err := ledgerRule(s.c, export.SerialCertificate(hex)); err != nil {
		s.err = conflictText(s.c, err)
		return s.askSerial(false)
	}
	keepSerial(s.c, hex, dec)
	return tea.Batch(Done, s.move.hold())
}

// keepSerial stores a serial-only certificate in the answers and forgets any
// certificate loaded in this run.
func keepSerial(c *Context, hex, dec string) {
	c.Cert = nil
	c.Answers.Certificate = export.SerialCertificate(hex)
}

// askPassword shows the masked password field.
func (s *certScreen) askPassword() tea.Cmd {
	s.state = certPassword
	s.pw = ""
	field := huh.NewInput().
		Title(s.c.T("certstep.password", "File", filepath.Base(filePath(s.path)))).
		Description(s.c.Desc("certstep.password.description")).
		EchoMode(huh.EchoModePassword).
		Value(&s.pw)
	return s.setForm(newForm(s.c, huh.NewGroup(field)))
}

func (s *certScreen) setForm(f *huh.Form) tea.Cmd {
	s.form = f
	s.resize()
	cmd := f.Init()
	s.first = f.GetFocusedField()
	return cmd
}

// load reads the file off the UI goroutine, within cert.DefaultTimeout; esc
// cancels the reading itself, not only the spinner.
func (s *certScreen) load(password string, typed bool) tea.Cmd {
	s.state = certLoading
	s.err = ""
	ctx, cancel := context.WithTimeout(context.Background(), cert.DefaultTimeout)
	s.cancel = cancel
	path := filePath(s.path)
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		l, err := cert.LoadFile(ctx, path, password)
		return loadedMsg{l: l, err: err, password: typed}
	})
}

// judgeCert judges l for the answers: its verdicts, and AGE's rule on the
// ledger of the packages written (ledgerVerdict). forbidden is the ledger's
// refusal.
func judgeCert(c *Context, l *cert.Loaded) (rep *cert.Report, forbidden error) {
	rep = cert.NewReport(l, certOptions(c))
	v, forbidden := ledgerVerdict(c, export.NewCertificate(l))
	if v != nil {
		rep.Verdicts = append(rep.Verdicts, *v)
	}
	return rep, forbidden
}

// show displays the card and verdicts with the choice to use it. A
// certificate the ledger forbids is not offered for use.
func (s *certScreen) show(l *cert.Loaded) tea.Cmd {
	s.state = certShow
	s.loaded = l
	s.report, s.forbidden = judgeCert(s.c, l)
	s.choice = "use"
	use := s.c.T("certstep.use")
	if checks.Worst(s.report.Verdicts) == checks.Fail {
		// The safe choice is preselected: another file.
		s.choice = "another"
		use = s.c.T("certstep.use_anyway")
	}
	opts := []huh.Option[string]{huh.NewOption(use, "use"), huh.NewOption(s.c.T("certstep.another"), "another")}
	if s.forbidden != nil {
		opts = opts[1:]
	}
	sel := huh.NewSelect[string]().
		Options(opts...).
		Value(&s.choice)
	cmd := s.setForm(newForm(s.c, huh.NewGroup(sel)))
	s.vp.SetContent(renderCard(s.c, s.report, l, s.width))
	s.vp.GotoTop()
	return cmd
}

func (s *certScreen) resize() {
	if s.width == 0 {
		return
	}
	if s.form != nil {
		h := 3 // the two choices under the card
		if s.state != certShow && s.state != certGenSent {
			h = max(s.height-2-lineCount(s.genNote()), 4)
		}
		s.form.WithWidth(s.width).WithHeight(h)
	}
	s.vp.SetWidth(s.width)
	s.vp.SetHeight(max(s.height-2-lineCount(s.forbiddenNote()), 4))
	if s.report != nil {
		s.vp.SetContent(renderCard(s.c, s.report, s.loaded, s.width))
	}
}

func (s *certScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.resize()
}

// Typed reports whether a path, password or serial was typed and not yet
// taken: once a certificate is shown, nothing typed is pending.
func (s *certScreen) Typed() bool { return s.typed && s.state != certShow }

// Busy reports that keys must wait: the screen is moving on from a field,
// or reading the file (keys typed meanwhile, a password say, go to the
// field that follows).
func (s *certScreen) Busy() bool { return s.move.busy() || s.state == certLoading }

// WantsEsc: while a file is being read, esc cancels the reading instead of
// quitting the wizard.
func (s *certScreen) WantsEsc() bool { return s.state == certLoading }

func (s *certScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if s.working() {
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			return s, cmd
		}
		return s, nil
	case loadedMsg:
		return s, s.loadedResult(msg)
	case moveTimeoutMsg:
		s.move.timedOut(msg)
		return s, nil
	case genDoneMsg:
		return s, s.genResult(msg)
	case tea.KeyPressMsg:
		if handled, cmd := s.key(msg); handled {
			return s, cmd
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, cmd
	}
	if s.form == nil || s.working() {
		return s, nil
	}
	from := s.form.GetFocusedField()
	field, before := focusedText(s.form)
	m, cmd := s.form.Update(msg)
	s.form = m.(*huh.Form)
	s.typed = s.typed || textChanged(field, before)
	cmd = tea.Batch(cmd, s.move.after(msg, s.form, from))
	if s.form.State != huh.StateCompleted {
		return s, cmd
	}
	if next := s.completed(); next != nil {
		return s, next
	}
	return s, cmd
}

// key handles the keys the screen uses itself: esc while reading, page keys
// on the card, shift+tab on a form's first field. handled is false for keys
// the form takes.
func (s *certScreen) key(msg tea.KeyPressMsg) (handled bool, cmd tea.Cmd) {
	switch s.state {
	case certLoading:
		if msg.String() == "esc" {
			s.cancel()
			s.err = s.c.T("certstep.cancelled")
			return true, s.choose()
		}
		return true, nil
	case certGenerating:
		return true, nil
	case certShow:
		if k := msg.String(); k == "pgup" || k == "pgdown" {
			s.vp, cmd = s.vp.Update(msg)
			return true, cmd
		}
	}
	if msg.String() == "tab" && s.state == certChoose && s.complete() {
		return true, nil
	}
	if msg.String() != "shift+tab" || s.form == nil || s.form.GetFocusedField() != s.first {
		return false, nil
	}
	return true, s.back()
}

// back is shift+tab on a form's first field: the form before it on this
// screen, or the step before.
func (s *certScreen) back() tea.Cmd {
	switch s.state {
	case certPassword:
		return s.choose()
	case certChoose:
		if s.onBack != nil {
			return s.onBack()
		}
		return s.askHow()
	case certPick, certSerial, certGenForm, certGenSent:
		return s.askHow()
	}
	return Back
}

// completed moves on when the current form is complete (nil: nothing to do).
func (s *certScreen) completed() tea.Cmd {
	switch s.state {
	case certHow:
		switch s.how {
		case "serial":
			return s.askSerial(true)
		case "new":
			return s.askGen()
		}
		return s.choose()
	case certPick:
		if s.serial != "" {
			return s.keepSerial()
		}
		return s.askSerial(false)
	case certSerial:
		return s.keepSerial()
	case certChoose:
		s.tries = 0
		return s.load("", false)
	case certPassword:
		s.tries++
		return s.load(s.pw, true)
	case certGenForm:
		return s.genStart()
	case certGenSent:
		return s.genSentDone()
	case certShow:
		if s.choice == "another" || s.forbidden != nil {
			s.c.Cert = nil
			return s.choose()
		}
		keep(s.c, s.loaded)
		return tea.Batch(Done, s.move.hold())
	}
	return nil
}

// loadedResult acts on a finished read: show the certificate, ask for the
// password (again), or go back to the file with the reason.
func (s *certScreen) loadedResult(msg loadedMsg) tea.Cmd {
	if s.state != certLoading {
		return nil // cancelled meanwhile
	}
	s.cancel()
	s.pw = ""
	switch {
	case msg.err == nil:
		msg.l.Path = filePath(s.path)
		s.err = ""
		if s.onLoad != nil {
			return s.onLoad(msg.l)
		}
		return s.show(msg.l)
	case errors.Is(msg.err, cert.ErrPasswordIncorrect):
		if msg.password {
			s.err = s.c.T("certstep.password_incorrect")
		}
		return s.askPassword()
	}
	s.err = checks.Localize(msg.err, s.c.Lang)
	return s.choose()
}

func (s *certScreen) View() string {
	var b strings.Builder
	if s.err != "" {
		b.WriteString(styles.Error.Width(s.width).Render("✗ "+s.err) + "\n\n")
	}
	switch s.state {
	case certLoading:
		b.WriteString(s.spin.View() + " " + s.c.T("certstep.reading", "File", filepath.Base(filePath(s.path))))
		b.WriteString("\n\n" + styles.Subtle.Render(s.c.T("certstep.reading.hint")))
		return b.String()
	case certGenerating:
		return b.String() + s.genNote()
	case certShow:
		b.WriteString(s.vp.View() + "\n" + s.forbiddenNote())
	}
	b.WriteString(s.genNote())
	if s.form != nil {
		b.WriteString(s.form.View())
	}
	return b.String()
}

// forbiddenNote is the ledger's refusal under the card, where the choice
// to use the certificate would be ("" when there is none).
func (s *certScreen) forbiddenNote() string {
	if s.forbidden == nil || s.state != certShow {
		return ""
	}
	w := max(s.width, 40)
	return lipgloss.JoinHorizontal(lipgloss.Top, styles.Error.Render("✗ "), styles.Error.Width(w-2).Render(conflictText(s.c, s.forbidden))) + "\n"
}

func (s *certScreen) Keys() []key.Binding {
	switch s.state {
	case certGenerating:
		return nil
	case certLoading:
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", s.c.T("key.cancel")))}
	case certShow:
		binds := s.form.KeyBinds()
		if s.vp.TotalLineCount() > s.vp.Height() {
			binds = append(binds, key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", s.c.T("key.scroll"))))
		}
		return binds
	}
	if s.form == nil {
		return nil
	}
	return s.form.KeyBinds()
}

// checkFile gives a quick, specific reason why path cannot be a certificate
// file, before reading it.
func checkFile(path string) error {
	path = filePath(path)
	if path == "" {
		return checks.Problemf("certstep.file.empty")
	}
	fi, err := os.Stat(path) // a stat never blocks, even on a FIFO
	switch {
	case errors.Is(err, os.ErrNotExist):
		return checks.Problemf("certstep.file.missing", "File", path)
	case errors.Is(err, os.ErrPermission):
		return checks.Problemf("certstep.file.unreadable", "File", path)
	case err != nil:
		return checks.FileProblem(path, err) // a symbolic-link loop, …
	case fi.IsDir():
		return checks.Problemf("certstep.file.directory", "File", path)
	case !fi.Mode().IsRegular():
		return checks.FileProblem(path, &safefile.NotRegularError{Path: path, Kind: safefile.Kind(fi.Mode())})
	}
	return nil
}

// loadWithin reads a certificate file for the line-by-line wizard, bounded
// by cert.DefaultTimeout as the full-screen step is.
func loadWithin(ctx context.Context, path, password string) (*cert.Loaded, error) {
	ctx, cancel := context.WithTimeout(ctx, cert.DefaultTimeout)
	defer cancel()
	return cert.LoadFile(ctx, path, password)
}

// expandHome turns a leading ~/ into the home folder.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// filePath is the file a typed or pasted path names: spaces around it
// trimmed, the quotes and backslash escapes a terminal adds to a dragged
// file's name removed ('/tmp/my cert.pfx', /tmp/my\ cert.pfx,
// "C:\Users\a b\x.pfx"), a file:// URL turned into its path, and a leading
// ~/ expanded.
func filePath(typed string) string {
	p := strings.TrimSpace(typed)
	if u, err := url.Parse(p); err == nil && u.Scheme == "file" && u.Path != "" {
		p = u.Path
		if runtime.GOOS == "windows" {
			p = strings.TrimPrefix(filepath.FromSlash(p), `\`)
		}
	} else {
		p = unquotePath(p, runtime.GOOS != "windows")
	}
	return expandHome(p)
}

// unquotePath removes shell quoting from p: '…' keeps everything inside,
// "…" everything but \" \\ \$ \` escapes, and outside quotes a backslash
// escapes the next character when escapes is set (never on Windows, where
// it separates folders). A quote left open means p was not quoted: it is
// returned as it is.
func unquotePath(p string, escapes bool) string {
	var b strings.Builder
	var quote rune
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		escaped := escapes && r == '\\' && i+1 < len(rs)
		switch {
		case quote == '\'':
			if r == quote {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case quote == '"':
			switch {
			case r == quote:
				quote = 0
			case escaped && strings.ContainsRune("\"\\$`", rs[i+1]):
				i++
				b.WriteRune(rs[i])
			default:
				b.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote = r
		case escaped:
			i++
			b.WriteRune(rs[i])
		default:
			b.WriteRune(r)
		}
	}
	if quote != 0 {
		return p
	}
	return b.String()
}

// complete fills in the path typed so far as a shell does on Tab: the one
// file or folder it can only be, or as much as all candidates share. It
// reads the folder there and then, so the first Tab works even before the
// suggestions computed in the background arrive. It reports whether it
// changed the path (when not, Tab is left to the field).
func (s *certScreen) complete() bool {
	if s.pathField == nil || s.pathText == nil || s.form == nil || s.form.GetFocusedField() != s.pathField {
		return false
	}
	typed := s.pathText.Get()
	if strings.ContainsAny(typed, `'"`) {
		return false // a quoted path: completions would not match what was typed
	}
	cands := completePath(typed)
	if len(cands) == 0 {
		return false
	}
	common := cands[0]
	for _, c := range cands[1:] {
		n := 0
		for n < len(common) && n < len(c) && common[n] == c[n] {
			n++
		}
		common = common[:n]
	}
	for !utf8.ValidString(common) {
		common = common[:len(common)-1] // cut inside a character
	}
	if len(common) <= len(typed) || !strings.HasPrefix(common, typed) {
		return false
	}
	s.pathText.Set(common)
	s.pathField.Accessor(s.pathText)
	// Setting the value leaves the cursor where it was: put it at the end,
	// where typing goes on.
	s.form.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	return true
}

// certExtensions are the files offered when completing a path.
var certExtensions = []string{".pfx", ".p12", ".cer", ".crt", ".pem", ".der"}

// completePath lists completions of the partly typed path p: folders, and
// files that look like certificates.
func completePath(p string) []string {
	dir, base := filepath.Split(p)
	look := expandHome(dir)
	if look == "" {
		look = "."
	}
	entries, err := os.ReadDir(look)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(look, name)); err == nil {
				isDir = fi.IsDir()
			}
		}
		switch {
		case isDir:
			out = append(out, dir+name+string(filepath.Separator))
		case hasCertExtension(name):
			out = append(out, dir+name)
		}
		if len(out) >= 200 {
			break
		}
	}
	sort.Strings(out)
	return out
}

func hasCertExtension(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range certExtensions {
		if ext == e {
			return true
		}
	}
	return false
}

// Accessible asks for the file and password with plain prompts and prints
// the card.
func (Certificate) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	ask := func(fields ...huh.Field) error {
		return newForm(c, huh.NewGroup(fields...)).WithAccessible(true).WithInput(r).WithOutput(w).RunWithContext(ctx)
	}
	if l := savedCertificate(c); l != nil {
		rep, forbidden := judgeCert(c, l)
		rep.WriteText(w, c.Lang)
		// A failing certificate is not kept unless the user says so; one the
		// ledger forbids is not kept at all.
		keepIt := checks.Worst(rep.Verdicts) != checks.Fail && forbidden == nil
		if forbidden != nil {
			fmt.Fprintln(w, "✗ "+conflictText(c, forbidden))
		} else if err := ask(huh.NewConfirm().Title(c.T("certstep.keep_saved")).
			Affirmative(c.T("common.yes")).Negative(c.T("common.no")).Value(&keepIt)); err != nil {
			return err
		}
		if keepIt {
			keep(c, l)
			return nil
		}
		c.Cert = nil
	}
	if c.Progress != nil && c.Progress.Pending != nil {
		fmt.Fprintln(w, pendingShort(c, c.Progress.Pending, func(s string) string { return s }))
	}
	how := "file"
	if err := ask(huh.NewSelect[string]().Title(c.T("certstep.how")).
		Options(huh.NewOption(c.T("certstep.how.file"), "file"),
			huh.NewOption(c.T("certstep.how.serial", "Env", c.EnvName(c.Answers.Env)), "serial"),
			huh.NewOption(c.T("certstep.how.new"), "new")).
		Value(&how)); err != nil {
		return err
	}
	switch how {
	case "serial":
		return accessibleSerial(c, w, ask)
	case "new":
		return accessibleGen(ctx, c, r, w, ask)
	}
	return accessibleFile(ctx, c, r, w, ask)
}

// accessibleSerial asks for the serial number alone, a few times at most, so
// input that ends early cannot loop for ever.
func accessibleSerial(c *Context, w io.Writer, ask func(...huh.Field) error) error {
	serial := ""
	if saved := savedSerials(c); len(saved) > 0 {
		serial = saved[0].SerialHex
	}
	for tries := 0; ; tries++ {
		if err := ask(huh.NewInput().Title(c.T("certstep.serial")).
			Description(c.Desc("certstep.serial.description", "Env", c.EnvName(c.Answers.Env))).Value(&serial).
			Validate(validator(c, func(v string) error { _, _, err := checks.ValidateSerial(v); return err }))); err != nil {
			return err
		}
		hex, dec, err := checks.ValidateSerial(serial)
		if err == nil {
			err = ledgerRule(c, export.SerialCertificate(hex))
		}
		if err == nil {
			keepSerial(c, hex, dec)
			return nil
		}
		if _, ok := errors.AsType[*export.LedgerConflict](err); ok {
			err = errors.New(conflictText(c, err))
		}
		if tries == 2 {
			return err
		}
		fmt.Fprintln(w, "✗ "+checks.Localize(err, c.Lang))
	}
}

// accessibleFile asks for the file (and its password, up to three times),
// shows the card and asks whether to use it.
func accessibleFile(ctx context.Context, c *Context, r io.Reader, w io.Writer, ask func(...huh.Field) error) error {
	for {
		l, err := accessibleLoad(ctx, c, r, w, ask)
		if err != nil {
			return err
		}
		rep, forbidden := judgeCert(c, l)
		rep.WriteText(w, c.Lang)
		if forbidden != nil {
			fmt.Fprintln(w, "✗ "+conflictText(c, forbidden))
			continue
		}
		// On a failing certificate the question is [y/N]: enter chooses
		// another file.
		use, title := true, c.T("certstep.use")
		if checks.Worst(rep.Verdicts) == checks.Fail {
			use, title = false, c.T("certstep.use_anyway")
		}
		if err := ask(huh.NewConfirm().Title(title).
			Affirmative(c.T("common.yes")).Negative(c.T("certstep.another")).Value(&use)); err != nil {
			return err
		}
		if use {
			keep(c, l)
			return nil
		}
	}
}

// accessibleLoad asks for a certificate file and reads it, asking for the
// password (up to three times) when it needs one; a file that cannot be
// read is said so and asked for again. The error is the input's end.
func accessibleLoad(ctx context.Context, c *Context, r io.Reader, w io.Writer, ask func(...huh.Field) error) (*cert.Loaded, error) {
	for {
		path := ""
		if err := ask(huh.NewInput().Title(c.T("certstep.file")).Value(&path).Validate(validator(c, checkFile))); err != nil {
			return nil, err
		}
		if strings.TrimSpace(path) == "" {
			// The prompt takes no empty path: the input has ended.
			return nil, checks.Problemf("certstep.file.empty")
		}
		path = filePath(path)
		l, err := loadWithin(ctx, path, "")
		l, err = pwretry.Loop(l, err, func(err error) bool { return errors.Is(err, cert.ErrPasswordIncorrect) },
			func(again bool) (string, error) {
				if again {
					fmt.Fprintln(w, c.T("certstep.password_incorrect"))
				}
				return readSecret(r, w, c.T("certstep.password", "File", filepath.Base(path))+" ")
			},
			func(pw string) (*cert.Loaded, error) { return loadWithin(ctx, path, pw) })
		if err != nil {
			fmt.Fprintln(w, "✗ "+checks.Localize(err, c.Lang))
			continue
		}
		l.Path = path
		return l, nil
	}
}

// Section shows the certificate (or the serial number alone).
func (Certificate) Section(c *Context, add func(label, value string)) {
	switch cert := c.Answers.Certificate; {
	case cert != nil && cert.SerialOnly:
		add(c.T("review.cert.serial"), safetext.Line(cert.SerialHex()))
		add(c.T("answers.field.certificate"), c.T("review.cert.serial_only"))
	case cert != nil:
		f := cert.Facts()
		add(c.T("review.cert.subject"), safetext.Line(f.Subject))
		add(c.T("review.cert.serial"), safetext.Line(f.SerialHex))
		add(c.T("review.cert.valid_until"), f.NotAfter.Format("2006-01-02"))
	default:
		add(c.T("answers.field.certificate"), none(c))
	}
}
