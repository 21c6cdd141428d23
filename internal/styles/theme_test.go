package styles

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"

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
