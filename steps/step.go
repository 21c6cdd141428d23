// Package steps holds the wizard's steps, one file each: the fields a step
// asks for, how it validates them and how it fills the answers. The shell in
// package ui strings them together; a step never knows which comes next.
package steps

import (
	"context"
	"io"
	"slices"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Context is what every step works with. The shell owns it; steps read the
// answers from it and write them back.
type Context struct {
	Answers *export.Answers
	// Progress is how far the wizard got (kept beside the answers).
	Progress *Progress
	Data     *assets.Data
	Lang     string
	Dark     bool // the terminal has a dark background
	// Width is the width of a step's screen in cells, set by the shell
	// before it builds the screen (0 until the terminal's size is known).
	Width int

	// Cert is the certificate loaded in this run, private key included when
	// the file had one. It lives in memory only and is never saved.
	Cert *cert.Loaded
	// Demo: the wizard runs with the built-in demo certificate.
	Demo bool

	// OutDir is where the package is written ("" = the current folder).
	OutDir string

	// Now gives the time (fixed in tests).
	Now func() time.Time
	// Interfaces lists this machine's interface addresses (for IP suggestions).
	Interfaces func() []string
	// CheckTimeout bounds each connectivity operation.
	CheckTimeout time.Duration
	// Save writes the answers to disk (atomically); set by the shell.
	Save func() error

	// Package is the package the last step wrote (nil until then).
	Package *export.Result
	// IdP is MPass's IdP signing certificate, fetched after the connectivity
	// checks of this run reached its metadata (nil otherwise).
	IdP *idpCert

	// Store is the config folder's store whose ledger records every package
	// written (nil: none is recorded); SystemID names the system there (""
	// for answers kept elsewhere: the store's system of that name, else the
	// Slug of the name). RecordErr says why the last package could not be
	// recorded.
	Store     *export.Store
	SystemID  string
	RecordErr error

	// plainPrompts: the forms being built are asked as plain prompts, where
	// a field shows its current value in its title and an empty line keeps
	// it (see input).
	plainPrompts bool
}

// T renders a catalogue message in the context's language.
func (c *Context) T(key string, kv ...any) string { return assets.T(c.Lang, key, kv...) }

// EnvName is the environment's name in the user's language (see
// assets.EnvText).
func (c *Context) EnvName(env string) string { return assets.EnvText(env).In(c.Lang) }

// Screen is one step's interactive view in the full-screen wizard.
type Screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// View renders the step's content (without the shell's header and footer).
	View() string
	// Keys are the key bindings to show in the footer right now.
	Keys() []key.Binding
	// SetSize gives the screen the space below the header and above the footer.
	SetSize(width, height int)
}

// Role is a step's place in the wizard's flow. The shell finds the steps it
// treats apart by their role, never by their ID.
type Role int

const (
	// Ordinary steps ask their questions in order.
	Ordinary Role = iota
	// First opens the wizard (and a fresh start); the language can be
	// changed there.
	First
	// ReviewRole shows every answer; steps opened from it come back to it,
	// and a resumed run whose steps are all done opens it.
	ReviewRole
	// Final writes the package: finishing it ends the wizard.
	Final
)

// Info is what the shell needs to know about a step.
type Info struct {
	// ID names the step in the saved progress and in the review's jumps.
	ID string
	// Title is the catalogue key of the step's title.
	Title string
	// Order places the step in the wizard (lower first).
	Order int
	// Role is the step's place in the flow.
	Role Role
	// Fields are the answer fields the step asks for, as prefixes of the
	// field paths export.Validate reports ("organization.", "system.name"):
	// the review sends a problem with such a field to this step.
	Fields []string
}

// Step is one page of the wizard. A step is one file in this package that
// registers itself (see Register) and declares its catalogue keys; the shell
// and the review learn everything else from Info, Applies and, for a step
// with a part in the review, Section.
type Step interface {
	// Info describes the step to the shell.
	Info() Info
	// Applies reports whether the chosen services need this step.
	Applies(c *Context) bool
	// Screen builds the step's screen for the full-screen wizard.
	Screen(c *Context) Screen
	// Accessible runs the step with plain line-by-line prompts (screen
	// readers, TERM=dumb): questions on w, answers from r.
	Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error
}

// Sectioned is a step with a section on the review screen: add is called
// with each label and value (values already made safe to show).
type Sectioned interface {
	Section(c *Context, add func(label, value string))
}

// Messages a screen sends to the shell.
type (
	// DoneMsg: the step is complete; its answers are in the context.
	DoneMsg struct{}
	// BackMsg: go to the previous step.
	BackMsg struct{}
	// GotoMsg: open step ID (from the review screen), then come back.
	GotoMsg struct{ ID string }
	// FinishMsg: the wizard is over (the package was written).
	FinishMsg struct{}
)

// Done, Back and Finish are commands sending the messages above.
func Done() tea.Msg   { return DoneMsg{} }
func Back() tea.Msg   { return BackMsg{} }
func Finish() tea.Msg { return FinishMsg{} }

// Goto returns a command that opens step id.
func Goto(id string) tea.Cmd { return func() tea.Msg { return GotoMsg{ID: id} } }

// Title is the step's title in lang; a step with no title key is named by
// its ID, escaped.
func Title(s Step, lang string) string {
	if key := s.Info().Title; key != "" {
		return assets.T(lang, key)
	}
	return safetext.Line(s.Info().ID)
}

var (
	registryMu sync.Mutex
	registry   []Step
	sorted     bool // registry is in order; Register leaves that to All, out of every command's start
)

// Register adds a step to the wizard; each step's file registers its step
// in init. It returns a function that removes the step again (for tests).
func Register(s Step) (unregister func()) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry = append(registry, s)
	sorted = false
	return func() {
		registryMu.Lock()
		defer registryMu.Unlock()
		registry = slices.DeleteFunc(registry, func(x Step) bool { return x == s })
	}
}

// All lists the wizard's steps in order.
func All() []Step {
	registryMu.Lock()
	defer registryMu.Unlock()
	if !sorted {
		slices.SortStableFunc(registry, func(a, b Step) int { return a.Info().Order - b.Info().Order })
		sorted = true
	}
	return slices.Clone(registry)
}

// Find returns the step with the given ID.
func Find(id string) (Step, bool) {
	for _, s := range All() {
		if s.Info().ID == id {
			return s, true
		}
	}
	return nil, false
}

// WithRole returns the first step with role r.
func WithRole(r Role) Step {
	for _, s := range All() {
		if s.Info().Role == r {
			return s
		}
	}
	return nil
}

// Applicable lists the steps that apply to the current answers.
func Applicable(c *Context) []Step {
	var out []Step
	for _, s := range All() {
		if s.Applies(c) {
			out = append(out, s)
		}
	}
	return out
}

// always is embedded by steps every registration needs.
type always struct{}

func (always) Applies(*Context) bool { return true }

// Chosen lists the services chosen in the answers, in the data file's order.
func (c *Context) Chosen() []assets.Service {
	var out []assets.Service
	for _, svc := range c.Data.Ordered() {
		if c.Answers.Has(svc.ID) {
			out = append(out, svc)
		}
	}
	return out
}

// Any reports whether a chosen service has the property prop (a field of
// the service in the data file).
func (c *Context) Any(prop func(assets.Service) bool) bool {
	return slices.ContainsFunc(c.Chosen(), prop)
}

// phaser is a step built of form phases.
type phaser interface {
	phases(c *Context) []phase
}

// form gives a step made of form phases (S, which has a phases method) its
// full-screen and accessible modes: such a step embeds form[itself] and
// writes no screen code of its own.
type form[S phaser] struct{}

func (form[S]) Screen(c *Context) Screen {
	var s S
	return newFormScreen(c, s.phases(c)...)
}

func (form[S]) Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error {
	var s S
	return runAccessible(ctx, c, r, w, s.phases(c)...)
}

// Service properties the steps' Applies read (fields of assets.Service).
func needsIP(s assets.Service) bool        { return s.NeedsIP }
func asksSignerType(s assets.Service) bool { return s.SignerType }
func samlLogout(s assets.Service) bool     { return s.SAMLLogout }
func mpowerAPI(s assets.Service) bool      { return s.MPowerAPI }
func signsIn(s assets.Service) bool        { return s.SignIn }
