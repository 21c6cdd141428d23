// Package ui is the wizard's shell: the Bubble Tea program that shows one step
// at a time under a progress header, moves between steps, saves the answers
// after every step and on quit, and offers to resume an interrupted run.
package ui

import (
	"os"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
	"github.com/egovmd/egovsetup/steps"
)

// flusher is a screen that holds typed text not yet in the answers.
type flusher interface{ Flush() }

// escaper is a screen that, at times, uses esc itself (to cancel a running
// operation) rather than quit the wizard.
type escaper interface{ WantsEsc() bool }

// busy is a screen that, at times, cannot take keys yet (it is moving to its
// next field or step): the shell holds them and delivers them after.
type busy interface{ Busy() bool }

// maxHeld bounds the keys held for a busy screen (a long paste); beyond it,
// keys go to the screen as they come.
const maxHeld = 1 << 16

// typer is a screen that knows whether it holds text the user typed on it:
// esc then asks before quitting.
type typer interface{ Typed() bool }

// model is the shell.
type model struct {
	c      *steps.Context
	cur    steps.Step
	screen steps.Screen
	// review is set when a step was opened from the review screen: finishing
	// it goes back there instead of on to the next step.
	review bool
	resume *resumeScreen

	width, height int
	// sized: the program has told the terminal's size (a WindowSizeMsg came).
	sized bool
	// started: Init has run, and built the first screen.
	started bool
	// notice is shown under the header until the first step is done (e.g.
	// that unreadable saved answers were moved aside).
	notice  string
	saveErr string
	// saveErrCause is the last save's error (nil when it succeeded).
	saveErrCause error
	// signal is the signal that ended the wizard, if one did.
	signal   os.Signal
	quitting bool // the user quit: answers saved, exit 130
	finished bool // the package was written
	help     help.Model

	// asking: esc was pressed on a screen holding typed text; the question
	// whether to quit is shown, with leave chosen or not (stay is the default).
	asking, leave bool
	// held are the keys typed while the screen was busy, oldest first.
	held []tea.Msg
}

var (
	keyQuit     = key.NewBinding(key.WithKeys("ctrl+c", "esc"))
	keyLanguage = key.NewBinding(key.WithKeys("ctrl+l"))
)

// newModel makes the shell on the first screen: resume (the systems list or
// the resume question) or, when nil, the step start. width and height are
// the terminal's size when it is known before the program starts (0
// otherwise): the first screen is then built once, at that size. Its form is
// built by Init, as the program starts.
func newModel(c *steps.Context, resume *resumeScreen, start steps.Step, width, height int) *model {
	m := &model{c: c, resume: resume, help: help.New(), width: width, height: height}
	m.help.Styles.ShortKey = styles.Bold
	m.help.Styles.ShortDesc = styles.Subtle
	m.help.Styles.ShortSeparator = styles.Subtle
	if resume == nil {
		m.cur = start
		m.screen = start.Screen(c)
	}
	m.layout()
	return m
}

// open makes s the current step, with a fresh screen.
func (m *model) open(s steps.Step) tea.Cmd {
	m.cur = s
	m.screen = s.Screen(m.c)
	m.layout()
	return m.screen.Init()
}

func (m *model) Init() tea.Cmd {
	m.started = true
	if m.resume != nil {
		return m.resume.Init()
	}
	return m.screen.Init()
}

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.hold(msg) {
		return m, nil
	}
	_, cmd := m.update(msg)
	return m, tea.Batch(cmd, m.release())
}

// hold keeps a key (or pasted text) for later while the screen is busy or
// earlier keys still wait, so keys reach the screen in the order typed and
// land in the field they were typed for. Ctrl+C is never held.
func (m *model) hold(msg tea.Msg) bool {
	switch k := msg.(type) {
	case tea.KeyPressMsg:
		if k.String() == "ctrl+c" || (k.String() == "esc" && m.screenWantsEsc()) {
			return false
		}
	case tea.PasteMsg:
	default:
		return false
	}
	if len(m.held) >= maxHeld || (len(m.held) == 0 && !m.screenBusy()) {
		return false
	}
	m.held = append(m.held, msg)
	return true
}

// release delivers the held keys for as long as the screen takes them.
func (m *model) release() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.held) > 0 && !m.screenBusy() && !m.quitting && !m.finished {
		k := m.held[0]
		m.held = m.held[1:]
		_, cmd := m.update(k)
		cmds = append(cmds, cmd)
	}
	if len(m.held) == 0 {
		m.held = nil
	}
	return tea.Batch(cmds...)
}

func (m *model) screenBusy() bool {
	if m.resume != nil {
		return m.resume.Busy()
	}
	b, ok := m.screen.(busy)
	return ok && m.resume == nil && b.Busy()
}

func (m *model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m, m.resize(msg)
	case tea.BackgroundColorMsg:
		m.c.Dark = msg.IsDark()
	case tea.InterruptMsg:
		return m, m.quit()
	case signalMsg:
		m.signal = msg.sig
		return m, m.quit()
	case tea.KeyPressMsg:
		if m.asking && msg.String() != "ctrl+c" {
			return m, m.answerQuit(msg)
		}
		if cmd, ok := m.globalKey(msg); ok {
			return m, cmd
		}
	case resumeMsg:
		return m, m.resumeChosen(msg)
	case steps.DoneMsg, steps.BackMsg, steps.GotoMsg, steps.FinishMsg:
		return m, m.navigate(msg)
	}
	if m.resume != nil {
		var cmd tea.Cmd
		m.resume, cmd = m.resume.Update(msg)
		return m, cmd
	}
	var cmd tea.Cmd
	m.screen, cmd = m.screen.Update(msg)
	return m, cmd
}

// globalKey handles the keys that work on every screen: esc and ctrl+c
// quit (unless the screen uses esc itself), ctrl+l switches the language
// where it can. ok is false for keys the screen takes.
func (m *model) globalKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	switch {
	case msg.String() == "esc" && m.screenWantsEsc():
		return nil, false
	case msg.String() == "esc" && m.screenTyped():
		m.asking, m.leave = true, false
		return nil, true
	case key.Matches(msg, keyQuit):
		return m.quit(), true
	case key.Matches(msg, keyLanguage) && m.languageSwitchable():
		return m.switchLanguage(), true
	}
	return nil, false
}

// navigate acts on a step's request to move: done, back, open a step (from
// the review), or finish.
func (m *model) navigate(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case steps.DoneMsg:
		return m.done()
	case steps.BackMsg:
		return m.back()
	case steps.GotoMsg:
		if s, ok := steps.Find(msg.ID); ok {
			m.review = true
			return m.open(s)
		}
	case steps.FinishMsg:
		m.finished = true
		return tea.Quit
	}
	return nil
}

func (m *model) screenWantsEsc() bool {
	if m.resume != nil {
		return m.resume.WantsEsc()
	}
	e, ok := m.screen.(escaper)
	return ok && m.resume == nil && e.WantsEsc()
}

// screenTyped reports whether the screen holds text typed on it.
func (m *model) screenTyped() bool {
	t, ok := m.screen.(typer)
	return ok && m.resume == nil && t.Typed()
}

// answerQuit takes a key while the quit question is shown: enter on
// "leave" quits; esc or enter on "stay" goes back to the screen. Letters do
// nothing, so text typed on after a stray esc cannot answer.
func (m *model) answerQuit(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "left", "right", "tab", "shift+tab":
		m.leave = !m.leave
	case "esc":
		m.asking = false
	case "enter":
		m.asking = false
		if m.leave {
			return m.quit()
		}
	}
	return nil
}

// quitQuestion asks whether to quit while the screen holds typed text.
func (m *model) quitQuestion() string {
	btn := styles.Form(m.c.Dark).Focused
	leave, stay := btn.BlurredButton, btn.FocusedButton
	if m.leave {
		leave, stay = stay, leave
	}
	w := max(min(m.width-2, 100), 20)
	return styles.Warning.Bold(true).Width(w).Render("? "+m.c.T("shell.quit.question")) + "\n" +
		lipgloss.NewStyle().Width(w).Render(m.c.T("shell.quit.detail")) + "\n\n" +
		leave.Render(m.c.T("shell.quit.leave")) + " " + stay.Render(m.c.T("shell.quit.stay"))
}

// languageSwitchable: the language can change on the first screen (and the
// resume question), where nothing step-specific would be rebuilt.
func (m *model) languageSwitchable() bool {
	if m.resume != nil {
		return !m.resume.renewing()
	}
	return m.cur != nil && m.cur.Info().Role == steps.First
}

// switchLanguage moves to the next language and redraws the screen; values
// already chosen stay (the screen's values go into the answers first).
func (m *model) switchLanguage() tea.Cmd {
	m.flush()
	langs := assets.Languages
	next := langs[0]
	for i, l := range langs {
		if l == m.c.Lang {
			next = langs[(i+1)%len(langs)]
		}
	}
	m.c.Lang = next
	m.c.Progress.Lang = next
	if m.resume != nil {
		m.resume = m.resume.again()
		m.layout()
		return m.resume.Init()
	}
	return m.open(m.cur)
}

// quit keeps everything typed so far and ends the program.
func (m *model) quit() tea.Cmd {
	m.flush()
	m.save()
	m.quitting = true
	return tea.Quit
}

// flush copies what the screen holds into the answers.
func (m *model) flush() {
	if f, ok := m.screen.(flusher); ok && m.resume == nil {
		f.Flush()
	}
}

func (m *model) save() {
	m.saveErr, m.saveErrCause = "", nil
	if m.c.Save != nil {
		if err := m.c.Save(); err != nil {
			m.saveErr = m.c.T("shell.save_failed", "Error", err.Error())
			m.saveErrCause = err
		}
	}
}

// signalMsg carries INT, TERM or HUP sent to the program: the wizard quits
// as with esc, keeping what was typed.
type signalMsg struct{ sig os.Signal }

// done marks the current step finished, saves, and opens the next one.
func (m *model) done() tea.Cmd {
	m.c.Progress.Complete(m.cur.Info().ID)
	m.notice = ""
	m.save()
	if next := m.next(); next != nil {
		return m.open(next)
	}
	m.finished = true
	return tea.Quit
}

// next chooses the step after the current one. Coming from the review screen,
// it is the first applicable step still to do, else the review again.
func (m *model) next() steps.Step {
	list := steps.Applicable(m.c)
	if m.review && m.cur.Info().Role != steps.ReviewRole {
		for _, s := range list {
			if s.Info().Role == steps.ReviewRole {
				m.review = false
				return s
			}
			if !m.c.Progress.IsCompleted(s.Info().ID) {
				return s
			}
		}
	}
	m.review = false
	for i, s := range list {
		if s.Info().ID == m.cur.Info().ID && i+1 < len(list) {
			return list[i+1]
		}
	}
	return nil
}

func (m *model) back() tea.Cmd {
	list := steps.Applicable(m.c)
	for i, s := range list {
		if s.Info().ID == m.cur.Info().ID && i > 0 {
			return m.open(list[i-1])
		}
	}
	return nil
}

// FirstUnfinished is the step a resumed run starts at.
func FirstUnfinished(c *steps.Context) steps.Step {
	list := steps.Applicable(c)
	for _, s := range list {
		if s.Info().Role == steps.Final {
			break
		}
		if !c.Progress.IsCompleted(s.Info().ID) {
			return s
		}
	}
	for _, s := range list {
		if s.Info().Role == steps.ReviewRole {
			return s
		}
	}
	return list[0]
}

// resize takes the terminal's new size. When the first screen was built
// before the size was known, or for another width, it is built again once
// the first size comes (what it holds kept), so that its texts are wrapped
// between words to fit; one not built yet is built by Init at this size.
func (m *model) resize(msg tea.WindowSizeMsg) tea.Cmd {
	first := !m.sized
	rebuild := first && m.started && msg.Width != m.width && m.resume == nil && m.screen != nil
	m.sized = true
	m.width, m.height = msg.Width, msg.Height
	if rebuild {
		m.flush()
		return m.open(m.cur)
	}
	m.layout()
	return nil
}

// layout gives the screen the room between header and footer.
func (m *model) layout() {
	if m.width == 0 {
		return
	}
	w := min(m.width-2, 100)
	m.c.Width = w
	h := m.height - lipgloss.Height(m.header()) - lipgloss.Height(m.footer()) - 1
	if m.resume != nil {
		m.resume.SetSize(w, h)
	} else if m.screen != nil {
		m.screen.SetSize(w, h)
	}
	m.help.SetWidth(w)
}

func (m *model) View() tea.View {
	var b strings.Builder
	if !m.quitting && !m.finished {
		b.WriteString(m.header())
		b.WriteString("\n")
		switch {
		case m.asking:
			b.WriteString("\n" + m.quitQuestion())
		case m.resume != nil:
			b.WriteString(m.resume.View())
		default:
			b.WriteString(m.screen.View())
		}
		body := b.String()
		gap := m.height - lipgloss.Height(body) - lipgloss.Height(m.footer())
		if gap > 0 {
			body += strings.Repeat("\n", gap)
		}
		b.Reset()
		b.WriteString(body)
		b.WriteString("\n")
		b.WriteString(m.footer())
	}
	v := tea.NewView(lipgloss.NewStyle().PaddingLeft(1).Render(b.String()))
	v.AltScreen = true
	v.WindowTitle = "egovsetup"
	return v
}

// header is the title line and the progress line.
func (m *model) header() string {
	a := m.c.Answers
	var ctx []string
	for _, id := range a.Services {
		if s, ok := m.c.Data.Service(id); ok {
			ctx = append(ctx, safetext.Line(s.Name)) // a --data file names the services
		}
	}
	title := styles.Title.Render("egovsetup")
	if len(ctx) > 0 {
		title += styles.Subtle.Render(" · " + strings.Join(ctx, " + ") + " · " + m.c.EnvName(a.Env))
	}
	if m.c.Demo {
		title += " " + styles.Demo.Render("DEMO")
	}
	if m.notice != "" {
		w := 100
		if m.width > 0 {
			w = min(m.width-2, 100)
		}
		title += "\n" + styles.Warning.Render(styles.Hang("! ", safetext.Block(m.notice), w))
	}
	if m.resume != nil {
		return title + "\n"
	}
	return title + "\n" + m.progress() + "\n"
}

// progress is one line, in one style from the first screen on: a mark per
// step (✓ done, ● current, ○ to do), "Step N of M: Title" and the steps
// still to come, cut to the width. Which steps apply depends on the chosen
// services: until one is chosen the count is not known, and the line says
// "Step N: Title" and marks only the steps reached so far.
func (m *model) progress() string {
	list := steps.Applicable(m.c)
	known := len(m.c.Answers.Services) > 0
	at := 0
	for i, s := range list {
		if s.Info().ID == m.cur.Info().ID {
			at = i
		}
	}
	var dots strings.Builder
	var left []string
	for i, s := range list {
		switch {
		case i == at:
			dots.WriteString(styles.Selected.Render("●"))
		case m.c.Progress.IsCompleted(s.Info().ID) && (known || i < at):
			dots.WriteString(styles.Success.Render("✓"))
		case known:
			dots.WriteString(styles.Subtle.Render("○"))
		}
		if i > at {
			left = append(left, steps.Title(s, m.c.Lang))
		}
	}
	title := steps.Title(m.cur, m.c.Lang)
	step := m.c.T("shell.step", "N", at+1, "Title", title)
	if known {
		step = m.c.T("shell.step_of", "N", at+1, "Total", len(list), "Title", title)
	}
	line := dots.String() + "  " + styles.Selected.Render(step)
	if len(left) > 0 {
		line += styles.Subtle.Render("  " + m.c.T("shell.next", "Steps", strings.Join(left, ", ")))
	}
	if m.width == 0 {
		return line
	}
	return ansi.Truncate(line, min(m.width-2, 100), "…")
}

// footer is two lines of key help: the screen's keys, then the keys that work
// everywhere (and a save error, if saving failed).
func (m *model) footer() string {
	var binds []key.Binding
	switch {
	case m.asking:
		binds = []key.Binding{
			key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", m.c.T("key.move"))),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", m.c.T("key.confirm"))),
		}
	case m.resume != nil:
		binds = m.resume.Keys()
	case m.screen != nil:
		binds = m.screen.Keys()
	}
	global := []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", m.c.T("key.quit")))}
	switch {
	case m.resume != nil && m.resume.renewing():
		// The renewal lists esc (back) with its own keys.
		global = nil
	case m.asking:
		global = []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", m.c.T("key.back")))}
	case m.languageSwitchable():
		global = append(global, key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", m.c.T("key.language"))))
	}
	out := m.help.ShortHelpView(binds) + "\n" + m.help.ShortHelpView(global)
	if m.saveErr != "" {
		out = styles.Error.Render(styles.Wrap(m.saveErr, min(m.width-2, 100))) + "\n" + out
	}
	return out
}
