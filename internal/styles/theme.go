// Package styles is the wizard's look: colours, the huh form theme, localized
// key bindings and the small widgets the steps share (severity marks, the
// validity bar). It uses the terminal's own 16-colour palette, so it reads on
// light and dark backgrounds alike; NO_COLOR and non-colour terminals are
// handled by Bubble Tea's colour profile, which strips what they cannot show.
package styles

import (
	"fmt"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// ANSI palette indices: the terminal decides the exact shade.
var (
	Accent  = lipgloss.Color("6") // cyan
	Good    = lipgloss.Color("2") // green
	Bad     = lipgloss.Color("1") // red
	Caution = lipgloss.Color("3") // yellow
	Note    = lipgloss.Color("4") // blue
	Dim     = lipgloss.Color("8") // bright black
	Marker  = lipgloss.Color("5") // magenta
)

// Styles used by the shell and the steps' own views.
var (
	Title    = lipgloss.NewStyle().Bold(true).Foreground(Accent)
	Subtle   = lipgloss.NewStyle().Foreground(Dim)
	Bold     = lipgloss.NewStyle().Bold(true)
	Label    = lipgloss.NewStyle().Foreground(Dim)
	Error    = lipgloss.NewStyle().Foreground(Bad)
	Success  = lipgloss.NewStyle().Foreground(Good)
	Warning  = lipgloss.NewStyle().Foreground(Caution)
	Demo     = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(Caution).Padding(0, 1)
	Box      = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(Dim).Padding(0, 1)
	Selected = lipgloss.NewStyle().Bold(true).Foreground(Marker)
)

// Form is the huh theme of every form in the wizard. huh asks for it for
// every line of a form it draws, so each variant is made once and the same
// one is handed out every time: it is read, never changed (huh only reads
// the styles a theme gives; copy a part before changing it).
func Form(isDark bool) *huh.Styles {
	i := 0
	if isDark {
		i = 1
	}
	formOnce[i].Do(func() { formStyles[i] = makeForm(isDark) })
	return formStyles[i]
}

var (
	formOnce   [2]sync.Once
	formStyles [2]*huh.Styles
)

func makeForm(isDark bool) *huh.Styles {
	t := huh.ThemeBase16(isDark)
	t.Focused.Title = t.Focused.Title.Foreground(Accent).Bold(true)
	t.Focused.NoteTitle = t.Focused.NoteTitle.Foreground(Accent).Bold(true)
	t.Focused.Description = t.Focused.Description.Foreground(Dim)
	t.Focused.ErrorIndicator = t.Focused.ErrorIndicator.Foreground(Bad)
	t.Focused.ErrorMessage = t.Focused.ErrorMessage.Foreground(Bad)
	t.Focused.SelectSelector = t.Focused.SelectSelector.Foreground(Marker)
	t.Focused.MultiSelectSelector = t.Focused.MultiSelectSelector.Foreground(Marker)
	t.Focused.SelectedOption = t.Focused.SelectedOption.Foreground(Good)
	t.Focused.SelectedPrefix = lipgloss.NewStyle().Foreground(Good).SetString("[✓] ")
	t.Focused.UnselectedPrefix = lipgloss.NewStyle().SetString("[ ] ")
	t.Focused.TextInput.Prompt = t.Focused.TextInput.Prompt.Foreground(Marker)
	// The chosen button is bracketed as well as coloured, so it shows where
	// colour does not (NO_COLOR, monochrome terminals): "[Yes]  No ".
	t.Focused.FocusedButton = t.Focused.FocusedButton.Padding(0, 1).Bold(true).
		Transform(func(s string) string { return "[" + s + "]" })
	t.Focused.BlurredButton = t.Focused.BlurredButton.Padding(0, 1).
		Transform(func(s string) string { return " " + s + " " })
	t.Blurred = t.Focused
	t.Blurred.Base = t.Blurred.Base.BorderStyle(lipgloss.HiddenBorder())
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.Title = t.Blurred.Title.Foreground(lipgloss.NoColor{}).Bold(false)
	t.Blurred.MultiSelectSelector = lipgloss.NewStyle().SetString("  ")
	t.Blurred.SelectSelector = lipgloss.NewStyle().SetString("  ")
	t.Blurred.NextIndicator = lipgloss.NewStyle()
	t.Blurred.PrevIndicator = lipgloss.NewStyle()
	t.Group.Title = t.Focused.Title
	t.Group.Description = t.Focused.Description
	return t
}

// FormTheme is Form as a huh.Theme.
var FormTheme huh.Theme = huh.ThemeFunc(Form)

// KeyMap returns huh's key bindings with their help texts in lang. Ctrl+C is
// left to the shell (it saves the answers before quitting).
func KeyMap(lang string) *huh.KeyMap {
	t := func(k string) string { return assets.T(lang, k) }
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("ctrl+c"), key.WithDisabled())

	km.Input.Next.SetHelp("enter", t("key.next"))
	km.Input.Prev.SetHelp("shift+tab", t("key.back"))
	km.Input.Submit.SetHelp("enter", t("key.submit"))
	km.Input.AcceptSuggestion.SetHelp("ctrl+e", t("key.complete"))

	km.Text.Next.SetHelp("tab", t("key.next"))
	km.Text.Prev.SetHelp("shift+tab", t("key.back"))
	km.Text.Submit.SetHelp("tab", t("key.submit"))
	km.Text.NewLine.SetHelp("enter", t("key.new_line"))
	// ctrl+e opens a text editor on a multi-line field; the step screen
	// picks one that exists, or says that none was found.
	km.Text.Editor.SetHelp("ctrl+e", t("key.editor"))
	// In a multi-line field, enter starts a new line and tab moves on.
	km.Text.Next.SetKeys("tab")
	km.Text.Submit.SetKeys("tab")
	km.Text.NewLine.SetKeys("enter", "alt+enter", "ctrl+j")

	km.Select.Next.SetHelp("enter", t("key.select"))
	km.Select.Prev.SetHelp("shift+tab", t("key.back"))
	km.Select.Submit.SetHelp("enter", t("key.submit"))
	km.Select.Up.SetHelp("↑", t("key.up"))
	km.Select.Down.SetHelp("↓", t("key.down"))
	km.Select.Filter.SetEnabled(false)

	km.MultiSelect.Next.SetHelp("enter", t("key.confirm"))
	km.MultiSelect.Prev.SetHelp("shift+tab", t("key.back"))
	km.MultiSelect.Submit.SetHelp("enter", t("key.submit"))
	km.MultiSelect.Toggle.SetHelp("space", t("key.toggle"))
	km.MultiSelect.Up.SetHelp("↑", t("key.up"))
	km.MultiSelect.Down.SetHelp("↓", t("key.down"))
	km.MultiSelect.Filter.SetEnabled(false)
	km.MultiSelect.SelectAll.SetHelp("ctrl+a", t("key.select_all"))
	km.MultiSelect.SelectNone.SetHelp("ctrl+a", t("key.select_none"))

	km.Confirm.Next.SetHelp("enter", t("key.next"))
	km.Confirm.Prev.SetHelp("shift+tab", t("key.back"))
	km.Confirm.Submit.SetHelp("enter", t("key.submit"))
	km.Confirm.Toggle.SetHelp("←/→", t("key.toggle"))
	km.Confirm.Accept.SetHelp("y", t("key.yes"))
	km.Confirm.Reject.SetHelp("n", t("key.no"))

	km.Note.Next.SetHelp("enter", t("key.next"))
	km.Note.Prev.SetHelp("shift+tab", t("key.back"))
	km.Note.Submit.SetHelp("enter", t("key.submit"))
	return km
}

// Mark is the one-character sign of a severity.
func Mark(s checks.Severity) string {
	switch s {
	case checks.Pass:
		return Success.Render("✓")
	case checks.Info:
		return lipgloss.NewStyle().Foreground(Note).Render("i")
	case checks.Warn:
		return Warning.Render("!")
	case checks.Fail:
		return Error.Render("✗")
	case checks.Skip:
		return Subtle.Render("–")
	}
	return Subtle.Render("·")
}

// SeverityStyle colours text by severity.
func SeverityStyle(s checks.Severity) lipgloss.Style {
	switch s {
	case checks.Pass:
		return Success
	case checks.Warn:
		return Warning
	case checks.Fail:
		return Error
	case checks.Skip:
		return Subtle
	}
	return lipgloss.NewStyle()
}

// Bar draws a bar width cells wide with the fraction done filled in, e.g. the
// part of a certificate's validity period that has passed.
func Bar(done float64, width int, style lipgloss.Style) string {
	if width < 2 {
		return ""
	}
	done = min(max(done, 0), 1)
	n := int(done*float64(width) + 0.5)
	return style.Render(strings.Repeat("█", n)) + Subtle.Render(strings.Repeat("░", width-n))
}

// Percent formats a fraction as a whole percentage.
func Percent(f float64) string { return fmt.Sprintf("%d%%", int(min(max(f, 0), 1)*100+0.5)) }
