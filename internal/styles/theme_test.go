package styles

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/assets"
)

// hintKeys returns lang's key-hint texts (the catalogue's "key.*" messages),
// each with its key.
func hintKeys(lang string) map[string]string {
	hints := map[string]string{}
	for _, k := range assets.Keys(lang) {
		if strings.HasPrefix(k, "key.") {
			hints[assets.T(lang, k)] = k
		}
	}
	return hints
}

// Every key hint a form field shows comes from the catalogue in the chosen
// language: none is left as huh's English default.
func TestFieldKeyHintsAreTranslated(t *testing.T) {
	for _, lang := range []string{"ro", "ru"} {
		km := KeyMap(lang)
		hints := hintKeys(lang)
		fields := map[string]huh.Field{
			"input":       huh.NewInput().WithKeyMap(km),
			"text":        huh.NewText().WithKeyMap(km),
			"select":      huh.NewSelect[string]().Options(huh.NewOptions("a", "b")...).WithKeyMap(km),
			"multiselect": huh.NewMultiSelect[string]().Options(huh.NewOptions("a", "b")...).WithKeyMap(km),
			"confirm":     huh.NewConfirm().WithKeyMap(km),
			"note":        huh.NewNote().WithKeyMap(km),
		}
		for name, f := range fields {
			for _, b := range f.KeyBinds() {
				if !b.Enabled() || b.Help().Desc == "" {
					continue
				}
				desc := b.Help().Desc
				k, ok := hints[desc]
				if !ok {
					t.Errorf("%s %s: hint %q for %q is not a catalogue key hint", lang, name, desc, b.Help().Key)
					continue
				}
				if en := assets.T("en", k); en == desc && k != "key.language" {
					t.Errorf("%s %s: hint %q for %q is still the English text", lang, name, desc, b.Help().Key)
				}
			}
		}
	}
}

// Moving on from a field is hinted as "next", "continue" or "confirm" (ro
// „înainte", „continuă", „confirmă"; ru «далее», «продолжить», «подтвердить»),
// never as "send": submitting a form sends nothing anywhere.
func TestMovingOnIsNotSending(t *testing.T) {
	allowed := map[string][]string{
		"en": {"next", "submit", "select", "confirm"},
		"ro": {"înainte", "continuă", "alege", "confirmă"},
		"ru": {"далее", "продолжить", "выбрать", "подтвердить"},
	}
	for lang, words := range allowed {
		km := KeyMap(lang)
		binds := map[string]key.Binding{
			"input next": km.Input.Next, "input submit": km.Input.Submit,
			"text next": km.Text.Next, "text submit": km.Text.Submit,
			"select next": km.Select.Next, "select submit": km.Select.Submit,
			"multiselect next": km.MultiSelect.Next, "multiselect submit": km.MultiSelect.Submit,
			"confirm next": km.Confirm.Next, "confirm submit": km.Confirm.Submit,
			"note next": km.Note.Next, "note submit": km.Note.Submit,
		}
		for name, b := range binds {
			if d := b.Help().Desc; !slices.Contains(words, d) {
				t.Errorf("%s %s: hint %q, want one of %v", lang, name, d, words)
			}
		}
	}
}

// renderedTheme draws a sample with every style of t, field by field, so
// that two themes can be compared.
func renderedTheme(t *huh.Styles) []string {
	var out []string
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		if s, ok := v.Interface().(lipgloss.Style); ok {
			out = append(out, path+": "+s.Render("Ab 1"))
			return
		}
		if v.Kind() != reflect.Struct {
			return
		}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				walk(path+"."+f.Name, v.Field(i))
			}
		}
	}
	walk("Styles", reflect.ValueOf(*t))
	return out
}

// Form hands out one theme to every form and every line it draws, so no
// form may change it: forms of every kind of field, drawn and driven with
// keys on dark and light backgrounds, leave both variants as they were
// made.
func TestFormsNeverChangeTheSharedTheme(t *testing.T) {
	want := map[bool][]string{true: renderedTheme(makeForm(true)), false: renderedTheme(makeForm(false))}
	if len(want[true]) < 50 {
		t.Fatalf("only %d styles found in the theme", len(want[true]))
	}
	var name, note string
	var pick []string
	var one string
	var yes bool
	form := huh.NewForm(
		huh.NewGroup(
			huh.NewInput().Title("Name").Value(&name).Placeholder("a name"),
			huh.NewText().Title("Note").Value(&note),
			huh.NewSelect[string]().Title("One").Options(huh.NewOptions("a", "b", "c")...).Value(&one),
			huh.NewMultiSelect[string]().Title("Some").Options(huh.NewOptions("a", "b", "c")...).Value(&pick),
			huh.NewConfirm().Title("Sure?").Value(&yes),
			huh.NewNote().Title("Note").Description("A note."),
		),
	).WithTheme(FormTheme).WithKeyMap(KeyMap("en")).WithWidth(60).WithHeight(30)
	form.Init()
	for _, msg := range []tea.Msg{
		tea.KeyPressMsg{Code: 'x', Text: "x"}, tea.KeyPressMsg{Code: tea.KeyTab},
		tea.KeyPressMsg{Code: 'y', Text: "y"}, tea.KeyPressMsg{Code: tea.KeyTab},
		tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyEnter},
		tea.KeyPressMsg{Code: tea.KeySpace}, tea.KeyPressMsg{Code: tea.KeyEnter},
		tea.BackgroundColorMsg{Color: lipgloss.Color("#ffffff")},
		tea.KeyPressMsg{Code: tea.KeyRight}, tea.WindowSizeMsg{Width: 40, Height: 20},
		tea.BackgroundColorMsg{Color: lipgloss.Color("#000000")},
		tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift},
	} {
		if m, _ := form.Update(msg); m != nil {
			form = m.(*huh.Form)
		}
		_ = form.View()
	}
	for _, dark := range []bool{true, false} {
		if got := renderedTheme(Form(dark)); !slices.Equal(got, want[dark]) {
			for i := range got {
				if got[i] != want[dark][i] {
					t.Errorf("dark=%v: %s changed, want %s", dark, got[i], want[dark][i])
				}
			}
		}
	}
}
