package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/steps"
)

// Options configure one run of the wizard.
type Options struct {
	// Lang is the language chosen from --lang or the locale; LangExplicit
	// says --lang was given (it then wins over the language saved with the
	// answers).
	Lang         string
	LangExplicit bool
	// AnswersPath is the answers file ("" = the default in the config folder).
	AnswersPath string
	// Accessible runs plain line-by-line prompts instead of the full screen.
	Accessible bool
	// Demo loads the built-in demo certificate.
	Demo bool
	Data *assets.Data
	// In and Out are the terminal.
	In  io.Reader
	Out io.Writer
	// OutDir is where the package is written ("" = the current folder).
	OutDir string
	// CheckTimeout bounds each connectivity operation (0 = the default).
	CheckTimeout time.Duration
	// Now gives the time (nil = time.Now).
	Now func() time.Time
	// ProgramOptions are extra Bubble Tea options (tests set a window size).
	ProgramOptions []tea.ProgramOption
	// Setup, when set, adjusts the steps' context before the first screen
	// (tests point connectivity at local servers).
	Setup func(*steps.Context)
}

// Outcome is how the wizard ended.
type Outcome struct {
	// Finished: the package was written.
	Finished bool
	// Aborted: the user quit; the answers so far are saved.
	Aborted bool
	// AnswersPath is where the answers are.
	AnswersPath string
	// ResumeAt is the title of the step a new run resumes at.
	ResumeAt string
	// Signal is the signal (INT, TERM, HUP) that ended the wizard, if any.
	Signal os.Signal
	// SaveErr is set when the answers could not be saved as the wizard ended:
	// then nothing may claim they are saved.
	SaveErr error
	// Notice is something to tell the user after the screen is gone.
	Notice string
	Lang   string
	// Summary says, in plain text, where the package is and what to send to
	// whom ("" when no package was written).
	Summary string
}

// Run runs the wizard until the package is written or the user quits. When
// the wizard stops before the package is written, the error is an
// *AbortError and the Outcome says where the answers are.
func Run(ctx context.Context, o Options) (Outcome, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CheckTimeout <= 0 {
		o.CheckTimeout = netcheck.DefaultTimeout
	}
	if !o.Accessible {
		// The renderer measures the first frame's characters by the width
		// table of go-runewidth, which is built (2 ms) when a character past
		// U+0300 (the progress marks, the form's bar) is first measured:
		// build it on the other core while the first screen is made.
		go ansi.StringWidthWc("●")
	}
	c, sess, first, out, err := prepare(o)
	if err != nil {
		return out, err
	}
	if o.Accessible {
		err = runAccessible(ctx, c, o, first, &out)
	} else {
		var demo <-chan tea.Msg
		if o.Demo && first == nil {
			// The key is made once the first screen is on the terminal,
			// not while it is drawn.
			var drawn <-chan struct{}
			o.Out, drawn = watchFirstFrame(o.Out)
			demo = demoInBackground(o.Now(), drawn, demoStartAnyway)
		}
		err = runFullScreen(ctx, c, o, first, &out, demo)
	}
	out.AnswersPath = sess.path
	out.Lang = c.Lang
	if c.Package != nil && !o.Accessible {
		out.Summary = finalSummary(c)
	}
	if out.Aborted {
		out.ResumeAt = steps.Title(FirstUnfinished(c), c.Lang)
		if err == nil {
			err = &AbortError{Signal: out.Signal}
		}
	}
	return out, err
}

// prepare finds the answers (see openSession), builds the steps' context
// on them and the screen that comes before the steps: the systems list, the
// resume question, or none.
func prepare(o Options) (c *steps.Context, sess *session, first *resumeScreen, out Outcome, err error) {
	sess, list, notice, err := openSession(o)
	if err != nil {
		return nil, nil, nil, out, err
	}
	out.Notice = notice
	if c, err = newContext(sess, o, &out); err != nil {
		return nil, nil, nil, out, err
	}
	switch {
	case len(list) > 0:
		first = newSystemsScreen(c, sess, list)
	case len(c.Progress.Completed) > 0:
		first = newResumeScreen(c, sess)
	}
	return c, sess, first, out, nil
}

// newContext builds the steps' context on the session's answers and
// progress (empty until a system is chosen from the list).
func newContext(sess *session, o Options, out *Outcome) (*steps.Context, error) {
	a, progress := export.NewAnswers(), &steps.Progress{}
	if sess.path != "" {
		var notice string
		var err error
		a, progress, notice, err = loadAnswers(sess.path, o.Lang, sess.explicit())
		if err != nil {
			return nil, err
		}
		out.Notice = strings.TrimSpace(out.Notice + "\n" + notice)
	}
	lang := o.Lang
	if !o.LangExplicit && progress.Lang != "" && assets.Supported(progress.Lang) {
		lang = progress.Lang
	}
	progress.Lang = lang
	c := &steps.Context{
		Answers:      a,
		Progress:     progress,
		Data:         o.Data,
		Lang:         lang,
		Dark:         true,
		Demo:         o.Demo,
		OutDir:       o.OutDir,
		Now:          o.Now,
		Interfaces:   interfaceAddresses,
		CheckTimeout: o.CheckTimeout,
		Store:        sess.ledger,
	}
	c.Save = func() error {
		a.Updated = o.Now().UTC().Truncate(time.Second)
		progress.Lang = c.Lang
		err := sess.save(a, progress)
		c.SystemID = sess.id
		return err
	}
	c.SystemID = sess.id
	// A full-screen run that opens at its first step makes the
	// demonstration certificate while that screen is drawn (see
	// demoInBackground); one that opens on the systems list or the resume
	// question makes it now.
	pre := sess.path == "" || len(progress.Completed) > 0
	if o.Demo && (pre || o.Accessible) {
		l, err := cert.Demo(o.Now())
		if err != nil {
			return nil, err
		}
		c.Cert = l
	}
	if o.Setup != nil {
		o.Setup(c)
	}
	return c, nil
}

func runFullScreen(ctx context.Context, c *steps.Context, o Options, first *resumeScreen, out *Outcome, demo <-chan tea.Msg) error {
	w, h := terminalSize(o.Out)
	m := newModel(c, first, steps.WithRole(steps.First), w, h)
	m.notice = out.Notice
	// The wizard handles INT, TERM and HUP itself: it keeps what is typed on
	// the screen, saves, leaves the alternate screen and says how to resume.
	// Bubble Tea writes a frame at its next tick, the first one a tick after
	// the program starts: at 120 frames a second (its most) the first screen
	// waits 8 ms instead of 17, for 1% more of a core while the wizard sits
	// idle (the ticks that find nothing new to write).
	opts := append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler(), tea.WithFPS(maxFPS)}, o.ProgramOptions...)
	if o.In != nil {
		opts = append(opts, tea.WithInput(o.In))
	}
	if o.Out != nil {
		opts = append(opts, tea.WithOutput(o.Out))
	}
	if demo != nil {
		opts = append(opts, tea.WithFilter(demoFilter(c)))
	}
	p := tea.NewProgram(m, opts...)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case sig := <-sigs:
			p.Send(signalMsg{sig})
		case <-stopped:
		}
	}()
	if demo != nil {
		go sendFirst(p, demo, stopped)
	}
	final, err := p.Run()
	if fm, ok := final.(*model); ok {
		m = fm
	}
	out.Signal = m.signal
	switch {
	case m.finished:
		out.Finished = true
	case m.quitting, errors.Is(err, tea.ErrInterrupted), errors.Is(err, context.Canceled):
		if !m.quitting {
			m.save()
		}
		out.Aborted = true
		out.SaveErr = m.saveErrCause
		return nil
	}
	if errors.Is(err, tea.ErrProgramKilled) {
		out.Aborted = true
		out.SaveErr = m.saveErrCause
		return nil
	}
	return err
}

// terminalSize is the size of the terminal out writes to, or 0, 0 when out
// is not one (tests) or its size cannot be read; the program then sends it
// as its first message.
func terminalSize(out io.Writer) (width, height int) {
	f, ok := out.(interface{ Fd() uintptr })
	if !ok {
		return 0, 0
	}
	w, h, err := term.GetSize(int(f.Fd()))
	if err != nil || w <= 0 || h <= 0 {
		return 0, 0
	}
	return w, h
}

// maxFPS is the most frames a second Bubble Tea draws.
const maxFPS = 120

// sendFirst sends p the first message from ch, unless stopped closes first.
func sendFirst(p *tea.Program, ch <-chan tea.Msg, stopped <-chan struct{}) {
	select {
	case msg := <-ch:
		p.Send(msg)
	case <-stopped:
	}
}

// demoReady carries the demonstration certificate made in the background.
type demoReady struct {
	l   *cert.Loaded
	err error
}

// demoStartAnyway is how long the demonstration key waits for the first
// frame before it is made anyway.
const demoStartAnyway = time.Second

// demoInBackground makes the demonstration certificate in the background
// once start is closed (the first frame is on the terminal), or after
// anyway: its RSA key takes a good part of a second of one core, which the
// first screen would otherwise share.
func demoInBackground(now time.Time, start <-chan struct{}, anyway time.Duration) <-chan tea.Msg {
	ch := make(chan tea.Msg, 1)
	go func() {
		t := time.NewTimer(anyway)
		defer t.Stop()
		select {
		case <-start:
		case <-t.C:
		}
		l, err := cert.Demo(now)
		ch <- demoReady{l, err}
	}()
	return ch
}

// frameWatch passes the program's output on and closes drawn once the first
// frame has been written: the wizard draws on the alternate screen, and the
// first frame is the write that enters it.
type frameWatch struct {
	w     io.Writer
	once  sync.Once
	drawn chan struct{}
}

func (f *frameWatch) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	select {
	case <-f.drawn:
	default:
		if bytes.Contains(p, []byte(ansi.SetModeAltScreenSaveCursor)) {
			f.once.Do(func() { close(f.drawn) })
		}
	}
	return n, err
}

// ttyFile is a terminal as Bubble Tea recognises one.
type ttyFile interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// ttyWatch is a frameWatch over a terminal, and still a terminal to Bubble
// Tea, which sets its modes and reads its size.
type ttyWatch struct {
	*frameWatch
	tty ttyFile
}

func (t ttyWatch) Read(p []byte) (int, error) { return t.tty.Read(p) }
func (t ttyWatch) Close() error               { return t.tty.Close() }
func (t ttyWatch) Fd() uintptr                { return t.tty.Fd() }

// watchFirstFrame wraps out (nil: the standard output); drawn closes once
// the first frame has been written through it.
func watchFirstFrame(out io.Writer) (wrapped io.Writer, drawn <-chan struct{}) {
	if out == nil {
		out = os.Stdout
	}
	f := &frameWatch{w: out, drawn: make(chan struct{})}
	if tty, ok := out.(ttyFile); ok {
		return ttyWatch{f, tty}, f.drawn
	}
	return f, f.drawn
}

// demoFilter puts the demonstration certificate into the steps' context when
// it arrives. It runs on the program's event loop, where the steps read
// c.Cert; a certificate the user has loaded meanwhile is kept, and should the
// key fail to be made the certificate step asks for a file.
func demoFilter(c *steps.Context) func(tea.Model, tea.Msg) tea.Msg {
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		d, ok := msg.(demoReady)
		if !ok {
			return msg
		}
		if d.err == nil && c.Cert == nil {
			c.Cert = d.l
		}
		return nil
	}
}

// runAccessible asks the steps' questions line by line. INT, TERM and HUP
// save the answers and end the run with the resume hint: the prompts, which
// are blocked reading the terminal, are cut off from it and left behind.
func runAccessible(ctx context.Context, c *steps.Context, o Options, first *resumeScreen, out *Outcome) error {
	r, w := o.In, o.Out
	if r == nil {
		r = os.Stdin
	}
	if w == nil {
		w = os.Stdout
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	g := newGate()
	type result struct {
		out Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		inner := *out
		words := &plainWords{lang: func() string { return c.Lang }}
		err := askAccessible(ctx, c, words.reader(gatedReader{r, g}), words.writer(gatedWriter{w, g}), first, &inner)
		done <- result{inner, err}
	}()
	select {
	case res := <-done:
		*out = res.out
		return res.err
	case sig := <-sigs:
		g.close()
		fmt.Fprintln(w)
		out.Signal, out.Aborted = sig, true
		out.SaveErr = c.Save()
		return nil
	}
}

// askAccessible offers to resume, then runs the steps one after another.
func askAccessible(ctx context.Context, c *steps.Context, r io.Reader, w io.Writer, first *resumeScreen, out *Outcome) error {
	if out.Notice != "" {
		fmt.Fprintf(w, "%s\n", out.Notice)
	}
	start := steps.WithRole(steps.First)
	if first != nil {
		var err error
		if start, err = askResume(ctx, c, r, w, first); err != nil {
			return accessibleEnd(err, c, out)
		}
	}
	for cur := start; cur != nil; {
		list := steps.Applicable(c)
		n := slices.IndexFunc(list, func(s steps.Step) bool { return s.Info().ID == cur.Info().ID }) + 1
		fmt.Fprintf(w, "\n== %s (%d/%d) ==\n", steps.Title(cur, c.Lang), n, len(list))
		err := cur.Accessible(ctx, c, r, w)
		var jump steps.GotoError
		switch {
		case errors.As(err, &jump):
			if s, ok := steps.Find(jump.ID); ok {
				cur = s
				continue
			}
		case err != nil:
			return accessibleEnd(err, c, out)
		}
		c.Progress.Complete(cur.Info().ID)
		if err := c.Save(); err != nil {
			fmt.Fprintln(w, c.T("shell.save_failed", "Error", err.Error()))
		}
		if cur.Info().Role == steps.Final {
			break
		}
		cur = nextAfter(c, cur)
	}
	out.Finished = true
	return nil
}

// askResume asks the first screen's questions line by line: which system
// (when the list comes first), then whether to go on where the last run
// stopped. It returns the step to start at.
func askResume(ctx context.Context, c *steps.Context, r io.Reader, w io.Writer, first *resumeScreen) (steps.Step, error) {
	sess := first.sess
	for list := first.systems; list != nil; {
		choice, err := askSelect(c.T("systems.title"), c.T("systems.description", "Dir", sess.store.SystemsDir()), systemOptions(c, list), r, w)
		if err != nil {
			return nil, err
		}
		id, ok := strings.CutPrefix(choice, systemChoice)
		if !ok {
			start, _ := restartChosen(c, sess, choice)
			return start, nil
		}
		sess.useSystem(id)
		if err := loadInto(c, sess); err != nil {
			fmt.Fprintln(w, c.T("systems.cannot_open", "Error", checks.Localize(err, c.Lang)))
			continue
		}
		if len(c.Progress.Completed) == 0 && len(c.Answers.Registered) == 0 {
			return steps.WithRole(steps.First), nil
		}
		break
	}
	return askRestart(ctx, c, sess, r, w)
}

// askSelect asks one accessible multiple-choice question, its description
// (which huh's plain prompt leaves out) written under the title.
func askSelect(title, desc string, opts []huh.Option[string], r io.Reader, w io.Writer) (string, error) {
	choice := opts[0].Value
	if desc != "" {
		title += "\n" + desc
	}
	err := huh.NewForm(huh.NewGroup(huh.NewSelect[string]().Title(title).Options(opts...).Value(&choice))).
		WithAccessible(true).WithInput(r).WithOutput(w).Run()
	return choice, err
}

// nextAfter is the step after cur, or the first unfinished one before review.
func nextAfter(c *steps.Context, cur steps.Step) steps.Step {
	list := steps.Applicable(c)
	for _, s := range list {
		if s.Info().Role == steps.ReviewRole || s.Info().ID == cur.Info().ID {
			break
		}
		if !c.Progress.IsCompleted(s.Info().ID) {
			return s
		}
	}
	for i, s := range list {
		if s.Info().ID == cur.Info().ID && i+1 < len(list) {
			return list[i+1]
		}
	}
	return nil
}

func accessibleEnd(err error, c *steps.Context, out *Outcome) error {
	if errors.Is(err, huh.ErrUserAborted) || errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) {
		out.SaveErr = c.Save()
		out.Aborted = true
		return nil
	}
	return err
}

// ResumeHint tells the user where the answers are and how to go on.
func ResumeHint(o Outcome, lang string) string {
	return assets.T(lang, "shell.resume_hint", "Path", o.AnswersPath, "Step", o.ResumeAt)
}

// EndMessage is what the user is told when the wizard stops before the
// package is written: where the answers are kept and how to resume, or,
// when saving failed, that they could not be saved.
func EndMessage(o Outcome, lang string) string {
	if o.SaveErr != nil {
		return assets.T(lang, "shell.not_saved", "Path", o.AnswersPath, "Error", o.SaveErr.Error())
	}
	return ResumeHint(o, lang)
}

// AbortError is what Run returns when the wizard stopped before the package
// was written (the user quit, or a signal came). The Outcome says where the
// answers are, or why they could not be saved.
type AbortError struct {
	// Signal is the signal (INT, TERM, HUP) that ended the wizard, nil when
	// the user quit.
	Signal os.Signal
}

func (e *AbortError) Error() string {
	if e.Signal != nil {
		return "the wizard was stopped (" + e.Signal.String() + ")"
	}
	return "the wizard was stopped"
}

// ExitCode is the program's exit code after the abort: 128 + the signal's
// number, 130 (as for Ctrl+C) when the user quit.
func (e *AbortError) ExitCode() int { return SignalExitCode(e.Signal) }

// SignalExitCode is the exit code after the wizard was stopped by sig: 130
// for INT (and Ctrl+C), 143 for TERM, 129 for HUP (128 + the signal number,
// as shells report it).
func SignalExitCode(sig os.Signal) int {
	switch sig {
	case syscall.SIGTERM:
		return 143
	case syscall.SIGHUP:
		return 129
	}
	return 130
}

// loadAnswers reads the saved answers and the progress beside them
// (migrating progress an older version kept in the answers). A file the user named (explicit) that cannot be read as answers
// is refused with an error and left as it is. The default file, when it
// cannot be read, is moved aside under a name not yet taken, and notice says
// so.
func loadAnswers(path, lang string, explicit bool) (a *export.Answers, p *steps.Progress, notice string, err error) {
	a, err = export.LoadAnswers(path)
	fresh := &steps.Progress{}
	switch {
	case err == nil:
		p = loadProgress(path)
		// Should the progress file not be written, the answers keep the old
		// fields until their next save: nothing is lost.
		_ = migrateProgress(path, a, p)
		return a, p, "", nil
	case errors.Is(err, os.ErrNotExist):
		return export.NewAnswers(), fresh, "", nil
	case explicit:
		return nil, nil, "", err
	}
	aside, moveErr := moveAside(path, ".unreadable")
	if moveErr != nil {
		return export.NewAnswers(), fresh, assets.T(lang, "shell.answers_unreadable_kept", "Path", path, "Error", err, "MoveError", moveErr.Error()), nil
	}
	return export.NewAnswers(), fresh, assets.T(lang, "shell.answers_unreadable", "Path", path, "Aside", aside, "Error", err), nil
}

// moveAside renames path to path+suffix, or path+suffix+".2", ".3", ... —
// the first name not taken, so an earlier file set aside is never replaced.
func moveAside(path, suffix string) (string, error) {
	for i := 1; i <= 1000; i++ {
		aside := path + suffix
		if i > 1 {
			aside = fmt.Sprintf("%s%s.%d", path, suffix, i)
		}
		// A hard link is made only if the name is free: no race with another
		// file appearing there.
		err := os.Link(path, aside)
		if err == nil {
			return aside, os.Remove(path)
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		// No hard links here (a folder, or a file system without them).
		if _, serr := os.Lstat(aside); serr == nil {
			continue
		} else if !errors.Is(serr, fs.ErrNotExist) {
			return "", serr
		}
		return aside, os.Rename(path, aside)
	}
	return "", fmt.Errorf("%s: no free name to move it aside", path)
}

// backupAnswers keeps the previous answers as <path>.bak (or .bak.2, ...)
// when starting afresh; an earlier backup is never replaced.
func backupAnswers(path string) {
	for _, p := range []string{path, ProgressPath(path)} {
		if _, err := os.Lstat(p); err == nil {
			_, _ = moveAside(p, ".bak")
		}
	}
}

// interfaceAddresses lists this machine's addresses a service could be
// registered with (loopback and link-local left out).
func interfaceAddresses() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		ipnet, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip := ipnet.IP
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() {
			continue
		}
		out = append(out, ip.String())
	}
	return out
}

// gate cuts the accessible prompts off the terminal once a signal has ended
// the run: what they read or write after that goes nowhere.
type gate struct {
	once   sync.Once
	closed chan struct{}
}

func newGate() *gate { return &gate{closed: make(chan struct{})} }

func (g *gate) close() { g.once.Do(func() { close(g.closed) }) }

func (g *gate) isClosed() bool {
	select {
	case <-g.closed:
		return true
	default:
		return false
	}
}

// gatedReader reads from r until the gate closes; then a read never returns,
// so no prompt goes on with an answer nobody gave.
type gatedReader struct {
	r io.Reader
	g *gate
}

func (gr gatedReader) Read(p []byte) (int, error) {
	if gr.g.isClosed() {
		select {}
	}
	n, err := gr.r.Read(p)
	if gr.g.isClosed() {
		select {}
	}
	return n, err
}

// Fd is the descriptor of the reader underneath (an invalid one when it has
// none), so that a masked prompt can turn the terminal's echo off.
func (gr gatedReader) Fd() uintptr { return fdOf(gr.r) }

// fdOf is r's descriptor, or an invalid one when r has none.
func fdOf(r io.Reader) uintptr {
	if f, ok := r.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}

// gatedWriter writes to w until the gate closes, then drops what it is given.
type gatedWriter struct {
	w io.Writer
	g *gate
}

func (gw gatedWriter) Write(p []byte) (int, error) {
	if gw.g.isClosed() {
		return len(p), nil
	}
	return gw.w.Write(p)
}

// finalSummary is what the wizard leaves on the terminal once the package
// is written: where it is, what to send to whom and AGE's steps, wrapped
// between words to the width the screen had.
func finalSummary(c *steps.Context) string {
	return export.Summary(c.Package, c.Answers, c.Data, export.SummaryOptions{Lang: c.Lang, Width: c.Width})
}
