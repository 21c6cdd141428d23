package ui

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/assets"
)

// huh's own English words in its plain prompts; none may reach a Romanian
// or Russian user.
var huhEnglish = []string{"Select up to", "Confirm selection", "Enter a number", "Invalid:", "[y/N]", "[Y/n]",
	"invalid input", "only one option"}

// askPlain runs fields as the line-by-line wizard does, in lang, with in
// typed line by line; it returns what was written.
func askPlain(t *testing.T, lang, in string, fields ...huh.Field) string {
	t.Helper()
	pw := &plainWords{lang: func() string { return lang }}
	var out strings.Builder
	err := huh.NewForm(huh.NewGroup(fields...)).WithAccessible(true).
		WithInput(pw.reader(strings.NewReader(in))).WithOutput(pw.writer(&out)).Run()
	if err != nil {
		t.Fatalf("%s: %v\n%s", lang, err, out.String())
	}
	return out.String()
}

// The plain prompts speak the run's language: the instructions, the
// numbers' prompt, the refusals, the yes-or-no letters, and a yes typed in
// that language is a yes, while the same word typed as a text stays the
// text.
func TestPlainPromptsSpeakTheRunsLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, yes, no string }{
		{"ro", "da", "Nu"},
		{"ru", "да", "НЕТ"},
		{"en", "yes", "n"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var platforms []string
			env, name := "test", ""
			sure, other := false, true
			out := askPlain(t, tc.lang,
				// 9 is out of range; 1 ticks MPass; 0 confirms; 2 picks
				// production; "maybe" is no answer; then yes, no, and the
				// yes word typed as a name.
				strings.Join([]string{"9", "1", "0", "2", "maybe", tc.yes, tc.no, tc.yes}, "\n")+"\n",
				huh.NewMultiSelect[string]().Title("Platforms?").Options(huh.NewOptions("MPass", "MSign", "MPower")...).Value(&platforms),
				huh.NewSelect[string]().Title("Environment?").Options(huh.NewOptions("test", "production")...).Value(&env),
				huh.NewConfirm().Title("Sure?").Value(&sure),
				huh.NewConfirm().Title("Other?").Value(&other),
				huh.NewInput().Title("Name?").Value(&name))
			if !slices.Equal(platforms, []string{"MPass"}) || env != "production" || !sure || other || name != tc.yes {
				t.Errorf("answers: %v %q sure=%v other=%v name=%q\n%s", platforms, env, sure, other, name, out)
			}
			for _, want := range []string{
				assets.T(tc.lang, "plain.select_up_to", "Count", 3),
				"0.   " + assets.T(tc.lang, "plain.confirm_selection") + "\n",
				assets.T(tc.lang, "plain.enter_number", "Low", 0, "High", 3) + " ",
				assets.T(tc.lang, "plain.invalid_number", "Low", 0, "High", 3) + "\n",
				assets.T(tc.lang, "plain.enter_number", "Low", 1, "High", 2) + " ",
				"Sure? " + assets.T(tc.lang, "plain.confirm.default_no"),
				"Other? " + assets.T(tc.lang, "plain.confirm.default_yes"),
				assets.T(tc.lang, "plain.confirm.invalid") + "\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("the dialogue lacks %q:\n%s", want, out)
				}
			}
			if tc.lang == "en" {
				return
			}
			for _, english := range huhEnglish {
				if strings.Contains(out, english) {
					t.Errorf("huh's %q reached the %s dialogue:\n%s", english, tc.lang, out)
				}
			}
		})
	}
}

// A question with a single choice says so in the run's language.
func TestPlainPromptsOneChoice(t *testing.T) {
	choice := ""
	out := askPlain(t, "ru", "7\n1\n", huh.NewSelect[string]().Title("Которая?").Options(huh.NewOption("одна", "one")).Value(&choice))
	if choice != "one" {
		t.Errorf("choice %q", choice)
	}
	for _, want := range []string{assets.T("ru", "plain.only_one"), assets.T("ru", "plain.invalid_one", "Value", 1)} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
}

// Text that is not one of huh's messages as a whole passes through as it
// was written, outside text that quotes them included; and nothing of it
// makes the next line read as a yes or a no.
func TestPlainWordsLeaveOtherTextAlone(t *testing.T) {
	pw := &plainWords{lang: func() string { return "ro" }}
	var out strings.Builder
	w := pw.writer(&out)
	for _, s := range []string{
		"Subject: Enter a number between 1 and 2: \n",
		"Select up to 3 options.\nand more\n",
		"1.   Confirm selection\n2.   x\n",
		"CN=[y/N]\n",
		"Invalid: must be a number between 1 and 99999999999\n",
		"== Servicii (1/7) ==\n",
	} {
		out.Reset()
		if _, err := io.WriteString(w, s); err != nil {
			t.Fatal(err)
		}
		if out.String() != s {
			t.Errorf("%q was written as %q", s, out.String())
		}
		if pw.confirm.Load() {
			t.Errorf("%q taken for a yes-or-no question", s)
		}
	}
	// After a yes-or-no prompt only the one answer is read as one.
	io.WriteString(w, "Sure? [y/N] ")
	r := pw.reader(strings.NewReader("da\r\nda\n"))
	got, _ := io.ReadAll(r)
	if string(got) != "y\r\nda\n" {
		t.Errorf("read %q", got)
	}
}

// The reader hands over one line at a time, the last one without its end,
// then the reader's error.
func TestPlainReaderLines(t *testing.T) {
	pw := &plainWords{lang: func() string { return "en" }}
	r := pw.reader(io.MultiReader(strings.NewReader("one\ntw"), strings.NewReader("o\nthree")))
	var got []string
	buf := make([]byte, 100)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			got = append(got, string(buf[:n]))
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got, []string{"one\n", "two\n", "three"}) {
		t.Errorf("read %q", got)
	}
}
