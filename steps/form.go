package steps

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
)

// A phase is one form of a step. Most steps have one; a step whose questions
// depend on earlier answers (the network step asks for a VPN per private
// address) has several, built when they are reached.
type phase struct {
	// build makes the form. Its fields are bound to values of the screen's
	// own, loaded from the answers here; commit and flush copy them back, so
	// no form writes the answers while the shell reads them.
	build func() *huh.Form
	// skip reports whether the phase has nothing to ask.
	skip func() bool
	// commit runs when the form is complete: it normalises the values into
	// the answers. An error keeps the user on the phase with the message.
	commit func() error
	// flush copies what was typed into the answers when the user leaves the
	// phase unfinished (quits, goes back, switches language).
	flush func()
	// settle, if set, runs after every message the form takes, to restore
	// what must always hold (an option that cannot be unticked); it reports
	// whether it changed anything.
	settle func() bool
}

// formScreen shows a step's phases one after another.
type formScreen struct {
	c      *Context
	phases []phase
	at     int
	form   *huh.Form
	first  huh.Field // the form's first field: shift+tab there leaves the phase
	err    string
	// typed: text was typed into the current phase's form.
	typed bool
	// move follows a move to the next field or step.
	move moveWatch
	// notice is a passing message under the form (no text editor found);
	// the next key clears it.
	notice string
	width  int
	height int
	// header is rendered above the form (e.g. a note), if set.
	header func(width int) string
}

func newFormScreen(c *Context, phases ...phase) *formScreen {
	return &formScreen{c: c, phases: phases}
}

// newForm gives a form the wizard's theme, key map and layout.
func newForm(c *Context, groups ...*huh.Group) *huh.Form {
	return huh.NewForm(groups...).
		WithTheme(styles.FormTheme).
		WithKeyMap(styles.KeyMap(c.Lang)).
		WithShowHelp(false)
}

// themed gives a new field the wizard's theme before anything else is set
// on it. huh draws a field to measure it as its options, height and group
// are set: a field without a theme yet is drawn with huh's default theme,
// which huh builds afresh for every line it draws.
func themed[F huh.Field](f F) F {
	f.WithTheme(styles.FormTheme)
	return f
}

// validator adapts a checks validator to huh, rendering its message in the
// user's language.
func validator(c *Context, f func(string) error) func(string) error {
	return func(s string) error {
		if err := f(s); err != nil {
			return errors.New(checks.Localize(err, c.Lang))
		}
		return nil
	}
}

func (s *formScreen) Init() tea.Cmd {
	for s.at < len(s.phases) && s.phases[s.at].skip != nil && s.phases[s.at].skip() {
		s.at++
	}
	if s.at >= len(s.phases) {
		return tea.Batch(Done, s.move.hold())
	}
	return s.load()
}

func (s *formScreen) load() tea.Cmd {
	escapeFields(s.c)
	s.typed = false
	s.form = s.phases[s.at].build()
	s.resize()
	cmd := s.form.Init()
	s.first = s.form.GetFocusedField()
	return cmd
}

func (s *formScreen) resize() {
	if s.form == nil || s.width == 0 {
		return
	}
	h := s.height
	if s.header != nil {
		h -= lineCount(s.header(s.width))
	}
	if s.err != "" {
		h -= lineCount(s.errView())
	}
	h -= lineCount(s.noticeView())
	s.form.WithWidth(s.width).WithHeight(max(h, 5))
}

func (s *formScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.resize()
}

func (s *formScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if s.form == nil {
		return s, nil
	}
	if t, ok := msg.(moveTimeoutMsg); ok {
		s.move.timedOut(t)
		return s, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if handled, cmd := s.key(k); handled {
			return s, cmd
		}
	}
	from := s.form.GetFocusedField()
	field, before := focusedText(s.form)
	m, cmd := s.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		s.form = f
	}
	s.typed = s.typed || textChanged(field, before)
	if settle := s.phases[s.at].settle; settle != nil && settle() {
		// huh draws a group when it takes a message: have it draw the change.
		_, redraw := s.form.Update(settledMsg{})
		cmd = tea.Batch(cmd, redraw)
	}
	if s.form.State == huh.StateCompleted {
		cmd = tea.Batch(cmd, s.next())
	}
	return s, tea.Batch(cmd, s.move.after(msg, s.form, from))
}

// settledMsg makes the form draw itself again after a phase's settle.
type settledMsg struct{}

// key handles the keys the screen uses itself: shift+tab on the first
// field, ctrl+e with no text editor to open. handled is false for keys the
// form takes.
func (s *formScreen) key(k tea.KeyPressMsg) (handled bool, cmd tea.Cmd) {
	s.setNotice("")
	switch {
	case k.String() == "shift+tab" && s.form.GetFocusedField() == s.first:
		return true, s.prev()
	case k.String() == "ctrl+e" && !s.prepareEditor():
		s.setNotice(s.c.T("form.editor.none"))
		return true, nil
	}
	return false, nil
}

// Busy reports that keys must wait: the form is moving to the next field
// (or step), and a key now would land in the field being left.
func (s *formScreen) Busy() bool { return s.move.busy() }

// next commits the phase and moves to the next one, or ends the step.
func (s *formScreen) next() tea.Cmd {
	if c := s.phases[s.at].commit; c != nil {
		if err := c(); err != nil {
			s.err = checks.Localize(err, s.c.Lang)
			return s.load()
		}
	}
	s.err = ""
	for s.at++; s.at < len(s.phases); s.at++ {
		if p := s.phases[s.at]; p.skip == nil || !p.skip() {
			return s.load()
		}
	}
	s.at = len(s.phases) - 1
	return tea.Batch(Done, s.move.hold())
}

// prev goes back to the previous phase, or to the previous step, keeping
// what was typed on this one.
func (s *formScreen) prev() tea.Cmd {
	s.Flush()
	s.err = ""
	for i := s.at - 1; i >= 0; i-- {
		if p := s.phases[i]; p.skip == nil || !p.skip() {
			s.at = i
			return s.load()
		}
	}
	return Back
}

// moveTimeout bounds how long keys wait for a move that a key seemed to
// start (a move that never comes, e.g. a key the field took otherwise).
const moveTimeout = 400 * time.Millisecond

// moveGen numbers the moves, so a late timeout ends only its own.
var moveGen atomic.Int64

// moveTimeoutMsg ends the wait for move gen.
type moveTimeoutMsg struct{ gen int64 }

// moveWatch follows a key that moves a form on (enter, tab, shift+tab)
// until the move has happened. huh moves through commands that come back
// as messages; keys typed meanwhile would reach the field being left, so
// while busy the shell holds them and delivers them after.
type moveWatch struct {
	from huh.Field // the field being left; nil when no move is under way
	// held: the step is done and the shell is about to open the next one.
	held bool
	gen  int64
}

func (w *moveWatch) busy() bool { return w.from != nil || w.held }

// hold keeps keys waiting while the shell moves to the next step (for
// moveTimeout at most).
func (w *moveWatch) hold() tea.Cmd {
	w.held = true
	return w.timeout()
}

func (w *moveWatch) timeout() tea.Cmd {
	w.gen = moveGen.Add(1)
	gen := w.gen
	return tea.Tick(moveTimeout, func(time.Time) tea.Msg { return moveTimeoutMsg{gen: gen} })
}

// after is called once msg went to form f, whose focused field was from
// before it: a key that starts a move begins the watch; any other message
// may end it (the focus left from, the form ended, or the field refused).
func (w *moveWatch) after(msg tea.Msg, f *huh.Form, from huh.Field) tea.Cmd {
	moved := f == nil || f.State != huh.StateNormal || f.GetFocusedField() != from ||
		(from != nil && from.Error() != nil)
	k, isKey := msg.(tea.KeyPressMsg)
	if !isKey {
		if w.from != nil && (moved || f.GetFocusedField() != w.from) {
			w.from = nil
		}
		return nil
	}
	if moved || !movesOn(k, from) {
		return nil
	}
	w.from = from
	return w.timeout()
}

func (w *moveWatch) timedOut(m moveTimeoutMsg) {
	if m.gen == w.gen {
		w.from, w.held = nil, false
	}
}

// movesOn reports whether k moves on from field: enter (except in a
// multi-line field, where it starts a new line), tab and shift+tab.
func movesOn(k tea.KeyPressMsg, field huh.Field) bool {
	switch k.String() {
	case "tab", "shift+tab":
		return true
	case "enter":
		_, text := field.(*huh.Text)
		return !text
	}
	return false
}

// Typed reports whether the form on screen holds text the user typed.
func (s *formScreen) Typed() bool { return s.typed }

// focusedText returns the form's focused field and its text, if it is a
// field one types into.
func focusedText(f *huh.Form) (huh.Field, string) {
	if f == nil {
		return nil, ""
	}
	switch fld := f.GetFocusedField().(type) {
	case *huh.Input, *huh.Text:
		v, _ := fld.GetValue().(string)
		return fld, v
	}
	return nil, ""
}

// textChanged reports whether field (from focusedText) no longer holds
// before.
func textChanged(field huh.Field, before string) bool {
	if field == nil {
		return false
	}
	v, _ := field.GetValue().(string)
	return v != before
}

// Flush keeps what was typed on the current phase (the shell calls it before
// saving the answers on quit).
func (s *formScreen) Flush() {
	if s.at < len(s.phases) && s.phases[s.at].flush != nil {
		s.phases[s.at].flush()
	}
}

func (s *formScreen) errView() string {
	if s.err == "" {
		return ""
	}
	return styles.Error.Width(s.width).Render("✗ "+s.err) + "\n"
}

func (s *formScreen) View() string {
	if s.form == nil {
		return ""
	}
	out := ""
	if s.header != nil {
		out = s.header(s.width)
	}
	return out + s.errView() + s.noticeView() + s.form.View()
}

func (s *formScreen) noticeView() string {
	if s.notice == "" {
		return ""
	}
	return styles.Warning.Width(s.width).Render("! "+s.notice) + "\n"
}

// setNotice shows msg (or clears it) and gives the form the room left.
func (s *formScreen) setNotice(msg string) {
	if msg != s.notice {
		s.notice = msg
		s.resize()
	}
}

// prepareEditor points the focused multi-line field at a text editor that
// exists, for the ctrl+e that follows. It reports false when the field is
// a multi-line one and no editor was found (ctrl+e would otherwise start
// one that is not there and leave a blank screen); other fields take
// ctrl+e as they please.
func (s *formScreen) prepareEditor() bool {
	t, ok := s.form.GetFocusedField().(*huh.Text)
	if !ok {
		return true
	}
	ed := findEditor(os.Getenv, exec.LookPath)
	if ed == nil || !tempWritable() {
		return false
	}
	t.Editor(ed...).EditorExtension("txt")
	return true
}

// editorNames are the editors looked for on PATH when neither $VISUAL nor
// $EDITOR names one that exists ("editor" is Debian's chosen default).
var editorNames = map[bool][]string{false: {"editor", "nano", "vi"}, true: {"notepad"}}

// findEditor returns the command (and its arguments) of a text editor that
// exists: $VISUAL, then $EDITOR, then a common one on PATH; nil if none.
func findEditor(getenv func(string) string, lookPath func(string) (string, error)) []string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(getenv(v)); len(f) > 0 {
			if p, err := lookPath(f[0]); err == nil {
				return append([]string{p}, f[1:]...)
			}
		}
	}
	for _, name := range editorNames[runtime.GOOS == "windows"] {
		if p, err := lookPath(name); err == nil {
			return []string{p}
		}
	}
	return nil
}

// tempWritable reports whether a file can be made in the temporary folder,
// where the text goes while the editor has it.
func tempWritable() bool {
	f, err := os.CreateTemp("", "egovsetup-*.txt")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

func (s *formScreen) Keys() []key.Binding {
	if s.form == nil {
		return nil
	}
	return s.form.KeyBinds()
}

// runAccessible asks every phase's questions with plain prompts.
func runAccessible(ctx context.Context, c *Context, r io.Reader, w io.Writer, phases ...phase) error {
	c.plainPrompts = true
	defer func() { c.plainPrompts = false }()
	for _, p := range phases {
		if p.skip != nil && p.skip() {
			continue
		}
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			escapeFields(c)
			f := p.build().WithAccessible(true).WithInput(r).WithOutput(w)
			if err := f.RunWithContext(ctx); err != nil {
				return err
			}
			if p.commit == nil {
				break
			}
			err := p.commit()
			if err == nil {
				break
			}
			io.WriteString(w, checks.Localize(err, c.Lang)+"\n")
		}
	}
	return nil
}

// escapeFields shows, in the answers the forms edit, every control or bidi
// character as its escape (`\x1b`, `\u202e`): answers may come from a file,
// and a text field would otherwise put them on the screen raw. Such
// characters have no place in registration data; the user sees them and can
// delete them. Text without them is left as it is.
func escapeFields(c *Context) {
	a := c.Answers
	if a == nil {
		return
	}
	for _, p := range []*string{&a.Organization.Name, &a.Organization.IDNO, &a.Organization.ContactName,
		&a.Organization.ContactEmail, &a.Organization.ContactPhone, &a.System.Name, &a.System.Description,
		&a.Service.RO, &a.Service.RU, &a.Service.EN, &a.Service.Description,
		&a.MPass.LogoutRequestURL, &a.MPass.LogoutResponseURL, &a.MPass.Issuer} {
		*p = safetext.Line(*p)
	}
	a.System.Other = safetext.Block(a.System.Other)
	for i := range a.Network.IPs {
		a.Network.IPs[i].Address = safetext.Line(a.Network.IPs[i].Address)
		a.Network.IPs[i].VPN = safetext.Line(a.Network.IPs[i].VPN)
	}
}

// syncedText is a text field's value that a huh closure may read while the
// form writes it. huh runs PlaceholderFunc and SuggestionsFunc closures on a
// goroutine of their own, so a closure must never read a plain variable the
// field is bound to. Bind the field with Accessor(t), read t.Get() in the
// closure and pass t as its binding. Each value the user types is also
// copied to *to (if set) on the form's goroutine, where the answers live.
type syncedText struct {
	// mu is a pointer: huh copies the whole value when it hashes it.
	mu *sync.Mutex
	// V is the value; huh hashes this exported field, on the form's
	// goroutine, to see that the closure must run again.
	V  string
	to *string
}

// newSyncedText starts with *to and keeps *to up to date (to may be nil).
func newSyncedText(to *string) *syncedText {
	t := &syncedText{mu: new(sync.Mutex), to: to}
	if to != nil {
		t.V = *to
	}
	return t
}

// Get returns the value; safe from any goroutine.
func (t *syncedText) Get() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.V
}

// Set stores the value; huh calls it on the form's goroutine.
func (t *syncedText) Set(v string) {
	t.mu.Lock()
	t.V = v
	t.mu.Unlock()
	if t.to != nil {
		*t.to = v
	}
}

// multiSelectHeight is the height of a multi-select with n options, its title
// and a description of up to two lines (huh otherwise shows too few options).
func multiSelectHeight(n int) int { return n + 4 }

func lineCount(s string) int {
	if s == "" {
		return 0
	}
	n := 1
	for _, r := range s {
		if r == '\n' {
			n++
		}
	}
	return n
}
