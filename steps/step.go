// Package steps holds the wizard's steps, one file each: the fields a step
// asks for, how it validates them and how it fills the answers. The shell in
// package ui strings them together; a step never knows which comes next.
package steps

import (
	"context"
	"io"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
)

// Context is what every step works with. The shell owns it; steps read the
// answers from it and write them back.
type Context struct {
	Answers *export.Answers
	Data    *assets.Data
	Lang    string
	Dark    bool // the terminal has a dark background

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
}

// T renders a catalogue message in the context's language.
func (c *Context) T(key string, kv ...any) string { return assets.T(c.Lang, key, kv...) }

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

// Step is one page of the wizard.
type Step interface {
	// ID names the step in the answers' progress list and the catalogue
	// ("step.<id>.title").
	ID() string
	// Applies reports whether the chosen services need this step.
	Applies(c *Context) bool
	// Screen builds the step's screen for the full-screen wizard.
	Screen(c *Context) Screen
	// Accessible runs the step with plain line-by-line prompts (screen
	// readers, TERM=dumb): questions on w, answers from r.
	Accessible(ctx context.Context, c *Context, r io.Reader, w io.Writer) error
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

// Title is the step's title in lang.
func Title(s Step, lang string) string { return assets.T(lang, "step."+s.ID()+".title") }

// All lists the wizard's steps in order.
func All() []Step {
	return []Step{
		Services{},
		Organization{},
		Names{},
		Certificate{},
		Network{},
		MPass{},
		MPower{},
		Connectivity{},
		Review{},
		Package{},
	}
}

// Find returns the step with the given ID.
func Find(id string) (Step, bool) {
	for _, s := range All() {
		if s.ID() == id {
			return s, true
		}
	}
	return nil, false
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
