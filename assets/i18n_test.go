package assets

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(s string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return names
}

// Every message exists in every language, with the same placeholders.
func TestCataloguesMatch(t *testing.T) {
	en := Keys("en")
	if len(en) == 0 {
		t.Fatal("the English catalogue is empty")
	}
	for _, lang := range Languages[1:] {
		keys := Keys(lang)
		for _, k := range en {
			if !slices.Contains(keys, k) {
				t.Errorf("%s: missing key %s", lang, k)
				continue
			}
			want, _ := Raw("en", k)
			got, _ := Raw(lang, k)
			if a, b := placeholders(want), placeholders(got); !slices.Equal(a, b) {
				t.Errorf("%s: %s has placeholders %v, English has %v", lang, k, b, a)
			}
		}
		for _, k := range keys {
			if !slices.Contains(en, k) {
				t.Errorf("%s: extra key %s (not in English)", lang, k)
			}
		}
	}
}

// Romanian is written with comma-below ș ț, never the cedilla forms (except in
// the messages that explain the difference, whose keys say "cedilla").
func TestRomanianDiacritics(t *testing.T) {
	for _, k := range Keys("ro") {
		if strings.Contains(k, "cedilla") {
			continue
		}
		s, _ := Raw("ro", k)
		if strings.ContainsAny(s, "şţŞŢ") {
			t.Errorf("ro: %s uses a cedilla ş/ţ where comma-below ș/ț belongs: %q", k, s)
		}
	}
}

// Russian messages are in Cyrillic (any message with words has some).
func TestRussianIsCyrillic(t *testing.T) {
	for _, k := range Keys("ru") {
		s, _ := Raw("ru", k)
		en, _ := Raw("en", k)
		if s == en {
			continue // identical to English: a code, a URL or a placeholder only
		}
		words := placeholder.ReplaceAllString(s, "")
		if strings.IndexFunc(words, unicode.IsLetter) >= 0 && strings.IndexFunc(words, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) < 0 {
			t.Errorf("ru: %s has no Cyrillic: %q", k, s)
		}
	}
}

func TestRenderAndFallback(t *testing.T) {
	if got := T("en", "cli.password.prompt", "File", "a.pfx"); got != "Password for a.pfx: " {
		t.Errorf("en: got %q", got)
	}
	if got := T("ro", "cli.password.prompt", "File", "a.pfx"); got != "Parola pentru a.pfx: " {
		t.Errorf("ro: got %q", got)
	}
	if got := T("ru", "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key renders as itself, got %q", got)
	}
	if got := Msg("cli.usage.flags").String(); got != "Flags:" {
		t.Errorf("String() is English, got %q", got)
	}
}

func TestDetectLang(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		flag string
		vars map[string]string
		want string
	}{
		{"", nil, "en"},
		{"ru", map[string]string{"LANG": "ro_MD.UTF-8"}, "ru"},
		{"", map[string]string{"LANG": "ro_MD.UTF-8"}, "ro"},
		{"", map[string]string{"LANG": "ro_MD.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, "ru"},
		{"", map[string]string{"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, "en"},
		{"", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"", map[string]string{"LANG": "fr_FR.UTF-8"}, "en"},
		{"RO", nil, "ro"},
	}
	for _, c := range cases {
		if got := DetectLang(c.flag, env(c.vars)); got != c.want {
			t.Errorf("DetectLang(%q, %v) = %q, want %q", c.flag, c.vars, got, c.want)
		}
	}
}
