package steps

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/redact"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
)

// Connectivity checks, live, that this machine reaches the chosen services:
// results appear as they arrive, r runs them again, and the user may go on
// when some fail (the results go into the package).
type Connectivity struct{ always }

func init() { Register(Connectivity{}) }

func (Connectivity) Info() Info {
	return Info{ID: "connectivity", Title: "step.connectivity.title", Order: 80, Fields: []string{"connectivity"}}
}

// netOptions builds a run for the context's answers and certificate.
func netOptions(c *Context) netcheck.Options {
	opt := netcheck.Options{
		Targets: netcheck.Targets(c.Data, c.Answers.Services, c.Answers.Env, nil),
		Timeout: c.CheckTimeout,
	}
	if c.Cert != nil {
		if tc, ok := c.Cert.TLSCertificate(); ok {
			opt.Client = &tc
		}
		opt.ClientSerial = cert.SerialHex(c.Cert.Leaf)
	}
	for _, ip := range c.Answers.Network.IPs {
		opt.IPs = append(opt.IPs, ip.Address)
	}
	return opt
}

// keepResults stores results in the answers, language-neutrally.
func keepResults(c *Context, rs []netcheck.Result) {
	c.Answers.Connectivity = make([]export.ConnectivityResult, 0, len(rs))
	for _, r := range rs {
		c.Answers.Connectivity = append(c.Answers.Connectivity, export.ConnectivityResult{
			ID: r.Step, Service: r.Service, Env: r.Env, Target: r.Target, Severity: r.Status,
			Message: r.Message, Remedy: r.Remedy, DurationMS: r.Duration.Milliseconds(),
		})
	}
}

type connScreen struct {
	c       *Context
	targets []netcheck.Target
	results []netcheck.Result
	running bool
	run     int // which run results belong to (a re-run ignores stale ones)
	ch      chan netcheck.Result
	final   chan netDoneMsg // the run's end: its results and the IdP certificate
	cancel  context.CancelFunc
	// note says what became of the last support bundle ("" : none asked).
	note   string
	spin   spinner.Model
	vp     viewport.Model
	width  int
	height int
}

type (
	netResultMsg struct {
		run int
		r   netcheck.Result
	}
	netDoneMsg struct {
		run     int
		results []netcheck.Result
		idp     *idpCert
	}
)

func (Connectivity) Screen(c *Context) Screen {
	s := &connScreen{c: c, spin: spinner.New(spinner.WithSpinner(spinner.Dot)), vp: viewport.New()}
	return s
}

func (s *connScreen) Init() tea.Cmd { return s.start() }

// start runs every check; results stream in through a channel.
func (s *connScreen) start() tea.Cmd {
	if s.cancel != nil {
		s.cancel()
	}
	s.run++
	s.results = nil
	s.running = true
	opt := netOptions(s.c)
	s.targets = opt.Targets
	ch := make(chan netcheck.Result, 64)
	final := make(chan netDoneMsg, 1)
	s.ch, s.final = ch, final
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	opt.OnResult = func(r netcheck.Result) { ch <- r }
	fetch := idpFetcher(s.c)
	run := s.run
	go func() {
		rs := netcheck.Run(ctx, opt)
		final <- netDoneMsg{run: run, results: rs, idp: fetch(ctx, rs)}
		close(ch)
	}()
	s.refresh()
	return tea.Batch(s.spin.Tick, s.next(s.run))
}

// next waits for the next result of run.
func (s *connScreen) next(run int) tea.Cmd {
	ch, final := s.ch, s.final
	return func() tea.Msg {
		r, ok := <-ch
		if !ok {
			return <-final
		}
		return netResultMsg{run, r}
	}
}

func (s *connScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !s.running {
			return s, nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		s.refresh()
		return s, cmd
	case netResultMsg:
		if msg.run != s.run {
			return s, nil
		}
		s.results = append(s.results, msg.r)
		s.refresh()
		return s, s.next(msg.run)
	case netDoneMsg:
		s.finished(msg)
		return s, nil
	case tea.KeyPressMsg:
		return s, s.key(msg)
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, cmd
	}
	return s, nil
}

// finished takes a run's end: its results go into the answers, saved.
func (s *connScreen) finished(msg netDoneMsg) {
	if msg.run != s.run {
		return
	}
	s.running = false
	// The run's own results: it may restate some once all are in (a
	// resolver that resolves nothing is said once).
	if msg.results != nil {
		s.results = msg.results
	}
	s.results = ordered(s.targets, s.results)
	keepResults(s.c, s.results)
	s.c.IdP = msg.idp
	if s.c.Save != nil {
		_ = s.c.Save()
	}
	s.refresh()
}

// key: r runs again, b writes the bundle, enter goes on, shift+tab back, the
// rest scrolls.
func (s *connScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "r":
		s.note = ""
		return s.start()
	case "b":
		if !s.running {
			s.note = writeBundle(s.c, s.results)
			s.refresh()
		}
		return nil
	case "enter":
		if s.running {
			return nil
		}
		return Done
	case "shift+tab":
		if s.cancel != nil {
			s.cancel()
		}
		return Back
	case "up", "down", "pgup", "pgdown", "home", "end":
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return cmd
	}
	return nil
}

// ordered sorts results by target, then by step order.
func ordered(targets []netcheck.Target, rs []netcheck.Result) []netcheck.Result {
	out := make([]netcheck.Result, 0, len(rs))
	for _, t := range targets {
		for _, step := range netcheck.Steps {
			for _, r := range rs {
				if r.Service == t.Service && r.Env == t.Env && r.Step == step {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

func (s *connScreen) refresh() {
	s.vp.SetContent(s.render())
}

// render draws each target with its steps: done ones with their mark and
// message (and remedy), the running one with a spinner.
func (s *connScreen) render() string {
	var b strings.Builder
	w := max(s.width, 40)
	for i, t := range s.targets {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(targetHeading(s.c, t, w) + "\n")
		got := map[string]netcheck.Result{}
		for _, r := range s.results {
			if r.Service == t.Service && r.Env == t.Env {
				got[r.Step] = r
			}
		}
		for _, step := range netcheck.Steps {
			r, ok := got[step]
			if !ok {
				if s.running && t.Applies(step) {
					if pendingStep(t, got, step) {
						b.WriteString("  " + s.spin.View() + " " + styles.Subtle.Render(stepActivity(s.c, step)) + "\n")
						break
					}
				}
				continue
			}
			first := "  " + styles.Mark(r.Status) + " " + styles.Subtle.Render(fmt.Sprintf("%-6s", step)) + " "
			b.WriteString(styles.Hang(first, styles.SeverityStyle(r.Status).Render(r.Message.In(s.c.Lang)), w) + "\n")
			if !r.Remedy.IsZero() && r.Status != checks.Pass && r.Status != checks.Skip {
				b.WriteString(styles.Hang(strings.Repeat(" ", 11)+"→ ", styles.Subtle.Render(r.Remedy.In(s.c.Lang)), w) + "\n")
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// targetHeading names a target's service and environment and, after them or
// on the line below when there is no room, its address.
func targetHeading(c *Context, t netcheck.Target, w int) string {
	name := fmt.Sprintf("%s (%s)", safetext.Line(t.Name), c.EnvName(t.Env))
	addr := safetext.Line(redact.URL(t.URL))
	if lipgloss.Width(name)+2+lipgloss.Width(addr) <= w {
		return styles.Bold.Render(name) + "  " + styles.Subtle.Render(addr)
	}
	return styles.Bold.Render(styles.Wrap(name, w)) + "\n" + styles.Subtle.Render(styles.Indent(styles.Wrap(addr, w-2), 2))
}

// stepActivity says what a probe step is doing ("connecting…").
func stepActivity(c *Context, step string) string {
	var key string
	switch step {
	case netcheck.StepDNS:
		key = "conn.step.dns"
	case netcheck.StepTCP:
		key = "conn.step.tcp"
	case netcheck.StepTLS:
		key = "conn.step.tls"
	case netcheck.StepMTLS:
		key = "conn.step.mtls"
	case netcheck.StepHTTP:
		key = "conn.step.http"
	case netcheck.StepAuth:
		key = "conn.step.auth"
	case netcheck.StepIdP:
		key = "conn.step.idp"
	case netcheck.StepClock:
		key = "conn.step.clock"
	default:
		return safetext.Line(step)
	}
	return c.T(key)
}

// pendingStep: step is the first one of this target without a result.
func pendingStep(t netcheck.Target, got map[string]netcheck.Result, step string) bool {
	for _, st := range netcheck.Steps {
		if _, ok := got[st]; !ok && t.Applies(st) {
			return st == step
		}
	}
	return false
}

func (s *connScreen) summary() string {
	if s.running {
		return s.spin.View() + " " + s.c.T("conn.running", "Count", len(s.targets), "Timeout", s.c.CheckTimeout)
	}
	fails := 0
	for _, r := range s.results {
		if r.Status == checks.Fail {
			fails++
		}
	}
	if fails == 0 {
		return styles.Success.Render("✓ " + s.c.T("net.summary.ok"))
	}
	return styles.Error.Render("✗ "+s.c.T("net.summary.fail", "Count", fails)) + "  " + styles.Subtle.Render(s.c.T("conn.continue_anyway"))
}

// top is the summary, wrapped to the width, and under it what became of a
// support bundle or an empty line.
func (s *connScreen) top() string {
	t := styles.Wrap(s.summary(), s.width) + "\n"
	if s.note != "" {
		return t + styles.Subtle.Render(styles.Wrap(s.note, s.width)) + "\n"
	}
	return t + "\n"
}

func (s *connScreen) View() string {
	top := s.top()
	if s.height > 0 {
		// The results get the room the summary leaves.
		s.vp.SetHeight(max(s.height-strings.Count(top, "\n"), 4))
	}
	return top + s.vp.View()
}

// writeBundle writes a support bundle of results beside the package and
// says, in the user's language, where or why not.
func writeBundle(c *Context, results []netcheck.Result) string {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t := now()
	path := filepath.Join(c.OutDir, "egovsetup-support-"+t.Format("20060102-150405")+".zip")
	in, err := export.BundleFrom(results, c.Cert, c.Answers, c.Answers.Services, c.Answers.Env, t)
	if err == nil {
		err = export.WriteBundle(path, in)
	}
	var ee *export.ExistsError
	switch {
	case err == nil:
		return c.T("cli.diagnose.bundle_written", "File", path)
	case errors.Is(err, export.ErrBundleSecret):
		return c.T("cli.diagnose.bundle_secret")
	case errors.As(err, &ee):
		return c.T("cli.diagnose.bundle_exists", "File", path)
	}
	return c.T("cli.diagnose.bundle_failed", "File", path, "Err", err)
}

func (s *connScreen) Keys() []key.Binding {
	binds := []key.Binding{}
	if !s.running {
		binds = append(binds, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", s.c.T("key.next"))),
			key.NewBinding(key.WithKeys("b"), key.WithHelp("b", s.c.T("key.bundle"))))
	}
	binds = append(binds,
		key.NewBinding(key.WithKeys("r"), key.WithHelp("r", s.c.T("key.rerun"))),
		key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", s.c.T("key.back"))),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", s.c.T("key.scroll"))))
	return binds
}

func (s *connScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h-2, 4))
	s.refresh()
}

// Accessible runs the checks, prints them, and asks whether to run them
// again or go on.
func (Connectivity) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	in := bufio.NewReader(r)
	for {
		opt := netOptions(c)
		fmt.Fprintln(w, c.T("conn.running", "Count", len(opt.Targets), "Timeout", c.CheckTimeout))
		rs := netcheck.Run(ctx, opt)
		keepResults(c, rs)
		c.IdP = idpFetcher(c)(ctx, rs)
		if c.Save != nil {
			_ = c.Save()
		}
		netcheck.WriteText(w, rs, c.Lang)
		fmt.Fprint(w, c.T("conn.accessible.prompt")+" ")
		line, err := in.ReadString('\n')
		for strings.TrimSpace(strings.ToLower(line)) == "b" && err == nil {
			fmt.Fprintln(w, writeBundle(c, rs))
			fmt.Fprint(w, c.T("conn.accessible.prompt")+" ")
			line, err = in.ReadString('\n')
		}
		if strings.TrimSpace(strings.ToLower(line)) != "r" || err != nil {
			if err != nil && err != io.EOF {
				return err
			}
			return nil
		}
	}
}

// Section counts the last run's results.
func (Connectivity) Section(c *Context, add func(label, value string)) {
	add(c.T("review.connectivity"), connectivitySummary(c))
}
