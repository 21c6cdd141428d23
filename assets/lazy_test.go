package assets

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"text/template"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// withCatalogues runs f with an empty catalogue cache and restores it after.
func withCatalogues(t *testing.T, f func()) {
	t.Helper()
	catsMu.Lock()
	saved := cats
	cats = map[string]*cat{}
	catsMu.Unlock()
	defer func() {
		catsMu.Lock()
		cats = saved
		catsMu.Unlock()
	}()
	f()
}

func loaded() map[string]bool {
	catsMu.Lock()
	defer catsMu.Unlock()
	out := map[string]bool{}
	for l := range cats {
		out[l] = true
	}
	return out
}

// TestOnlyNeededCataloguesParsed: a Russian message parses the Russian
// catalogue only; English is not parsed while Russian has every message.
func TestOnlyNeededCataloguesParsed(t *testing.T) {
	withCatalogues(t, func() {
		got := T("ru", "cli.flag.version")
		want, _ := Raw("ru", "cli.flag.version")
		if got != want {
			t.Fatalf("ru message %q, want %q", got, want)
		}
		if l := loaded(); l["en"] || l["ro"] || !l["ru"] {
			t.Fatalf("parsed catalogues %v, want ru only", l)
		}
	})
}

// TestMissingMessageFallsBackToEnglish: a message a translation lacks is
// shown in English, and only then is the English catalogue parsed.
func TestMissingMessageFallsBackToEnglish(t *testing.T) {
	withCatalogues(t, func() {
		catsMu.Lock()
		cats["ro"] = &cat{lang: "ro", entries: map[string]any{"only.ro": "doar în română"}}
		catsMu.Unlock()

		if got := T("ro", "only.ro"); got != "doar în română" {
			t.Fatalf("own message: %q", got)
		}
		if loaded()["en"] {
			t.Fatal("English parsed although no message was missing")
		}
		want, _ := Raw("en", "cli.flag.version")
		if got := T("ro", "cli.flag.version"); got != want || want == "" {
			t.Fatalf("missing message: %q, want the English %q", got, want)
		}
		if got := T("ro", "no.such.key"); got != "no.such.key" {
			t.Fatalf("unknown key: %q", got)
		}
	})
}

// TestEveryMessageMakesATemplate: messages become templates only when first
// rendered, so every message of every catalogue is made into one here; a
// broken template or plural map fails the test rather than a user's run.
func TestEveryMessageMakesATemplate(t *testing.T) {
	for _, l := range Languages {
		if err := catalogue(l).check(); err != nil {
			t.Error(err)
		}
	}
}

// TestMessageMadeOnFirstUse: rendering one message makes that message alone
// into a template, and only when its values need one; a message without
// placeholders, or with text and numbers in them, needs none, and go-i18n's
// plural rules are set up only for a message with plural forms.
func TestMessageMadeOnFirstUse(t *testing.T) {
	withCatalogues(t, func() {
		c := catalogue("en")
		plain, _ := c.entry("cli.flag.version")
		for _, step := range []struct {
			kv        []any
			key, want string
			templates int  // templates made so far
			goI18n    bool // go-i18n set up so far
		}{
			{nil, "cli.flag.version", plain.(string), 0, false},
			{[]any{"Command", "inspect"}, "cli.flag.help", "help for inspect", 0, false},
			{[]any{"Command", 2.5}, "cli.flag.help", "help for 2.5", 1, false},
			{[]any{"Count", 1}, "review.problems", "1 answer needs fixing before the package can be written.", 1, false},
			// A count that is not a whole number goes to go-i18n.
			{[]any{"Count", "1.5"}, "review.problems", "1.5 answers need fixing before the package can be written.", 1, true},
		} {
			if got := T("en", step.key, step.kv...); got != step.want {
				t.Fatalf("%s %v = %q, want %q", step.key, step.kv, got, step.want)
			}
			if len(c.templates) != step.templates || (c.localizer != nil) != step.goI18n {
				t.Fatalf("after %s %v: %d templates and go-i18n set up %v, want %d and %v",
					step.key, step.kv, len(c.templates), c.localizer != nil, step.templates, step.goI18n)
			}
		}
		if len(c.added) != 1 {
			t.Fatalf("%d messages added to go-i18n, want 1", len(c.added))
		}
	})
}

// TestTemplatesRenderAsGoI18n: every message rendered by the catalogue's own
// template path, plural forms chosen by x/text's rules included, reads exactly
// as go-i18n renders it, in every language, with each placeholder filled in
// and counts that reach every CLDR form of en, ro and ru.
func TestTemplatesRenderAsGoI18n(t *testing.T) {
	placeholder := regexp.MustCompile(`\.([A-Z][A-Za-z0-9]*)`)
	for _, l := range Languages {
		c, err := parseCatalogue(l)
		if err != nil {
			t.Fatal(err)
		}
		tag := language.Make(l)
		b := i18n.NewBundle(tag)
		loc := i18n.NewLocalizer(b, l)
		for _, k := range c.keys() {
			v, _ := c.entry(k)
			msg, err := message(k, v)
			if err != nil {
				t.Fatal(err)
			}
			b.MustAddMessages(tag, msg)
			data := map[string]any{}
			for _, m := range placeholder.FindAllStringSubmatch(rawString(v), -1) {
				data[m[1]] = "<" + m[1] + ">"
			}
			for _, n := range []int{0, 1, 2, 3, 4, 5, 11, 12, 14, 20, 21, 22, 25, 101, 102, 111, 1000, 10_000_000, 10_000_012, -1, -3} {
				data["Count"] = n
				// render passes Count as the plural count; go-i18n then
				// also reports a single-form message's missing plural
				// forms, and render shows its text all the same.
				want, _ := loc.Localize(&i18n.LocalizeConfig{MessageID: k, TemplateData: data, PluralCount: n})
				got, err := c.text(k, data)
				if got != want || err != nil || want == "" {
					t.Errorf("%s %s, count %d: %q (%v), go-i18n gives %q", l, k, n, got, err, want)
				}
			}
		}
	}
}

// TestPlaceholdersWithoutTemplates: a message whose placeholders are all
// plain ({{.Name}}) with string, number or bool values reads as the template
// reads it, without making one; any other action or value is left to the
// template, and reads as it always did.
func TestPlaceholdersWithoutTemplates(t *testing.T) {
	for _, tc := range []struct {
		src  string
		data map[string]any
		fast bool
	}{
		{"no placeholder", nil, true},
		{"{{.A}}", map[string]any{"A": ""}, true},
		{"a {{.A}} b {{.B}}{{.C}} c }} {", map[string]any{"A": "x", "B": 42, "C": true}, true},
		{"{{.A}} {{.A}}", map[string]any{"A": int8(-3)}, true},
		{"{{.R}}", map[string]any{"R": 'é'}, true},
		{"{{.Missing}}", map[string]any{}, false},
		{"{{.Nil}}", map[string]any{"Nil": nil}, false},
		{"{{.F}}", map[string]any{"F": 1.5}, false},
		{"{{.U}}", map[string]any{"U": uint64(7)}, false},
		{"{{.E}}", map[string]any{"E": errors.New("e")}, false},
		{"{{ .A }}", map[string]any{"A": "x"}, false},
		{"{{- .A}}", map[string]any{"A": "x"}, false},
		{"{{if .A}}y{{end}}", map[string]any{"A": "x"}, false},
		{"{{.1A}}", map[string]any{"A": "x"}, false},
		{"{{/* c */}}", nil, false},
		{"{{.A", map[string]any{"A": "x"}, false},
	} {
		tpl, err := template.New("t").Option("missingkey=default").Parse(tc.src)
		if err != nil {
			if _, fast := substitute(tc.src, tc.data); fast {
				t.Errorf("%q, which the template refuses, rendered without it", tc.src)
			}
			continue
		}
		var want strings.Builder
		if err := tpl.Execute(&want, tc.data); err != nil {
			t.Fatal(err)
		}
		got, fast := substitute(tc.src, tc.data)
		if fast != tc.fast || fast && got != want.String() {
			t.Errorf("%q with %v: %q (without a template: %v), the template gives %q", tc.src, tc.data, got, fast, want.String())
		}
		c := &cat{lang: "en", entries: map[string]any{"k": tc.src}}
		if got, err := c.executeSource("k", tc.src, tc.data); err != nil || got != want.String() {
			t.Errorf("%q with %v renders %q (%v), want %q", tc.src, tc.data, got, err, want.String())
		}
	}
}

// TestPluralForms: the plural form of every whole number up to 100,000, and
// of some far larger ones, is the one x/text's CLDR tables give, in each
// language.
func TestPluralForms(t *testing.T) {
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two",
		plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	check := func(l string, n int) {
		want := names[plural.Cardinal.MatchPlural(language.Make(l), n, 0, 0, 0, 0)]
		if got := pluralForm(l, uint64(n)); got != want {
			t.Fatalf("%s %d: %s, CLDR says %s", l, n, got, want)
		}
	}
	for _, l := range Languages {
		for n := range 100_001 {
			check(l, n)
		}
		for _, n := range []int{1_000_001, 1_000_011, 1_234_567, 9_999_999} {
			check(l, n)
		}
	}
}
