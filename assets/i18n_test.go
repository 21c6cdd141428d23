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

// Terms a native review replaced stay out of the catalogues: calques, English
// words where a normal one exists, and second names for a concept that has one
// name throughout (ru «рабочая среда», «регистрационный пакет», «заявка на
// интеграцию», «серийный номер»; ro „mediul de producție", „număr de serie",
// „Rezultatele verificărilor", „OMIS").
func TestReviewedTermsStayOut(t *testing.T) {
	banned := map[string][]string{
		"ro": {
			`handshake`,                         // „negocierea TLS"
			`verdict`,                           // „rezultatele verificărilor"
			`s[ăa]rit`,                          // a skipped check is „omis"
			`\bseria\b`,                         // „numărul de serie"
			`titular`,                           // the certificate's „subiect", as in the request e-mail
			`\bproducția\b`,                     // „mediul de producție"
			`\bîn mediul de (test|producție)\b`, // AGE writes „pe mediul de test"
			`\bscrie(ți)? pachetul|pachetul a fost scris|pachetul este scris`, // a package is „generat"
		},
		"ru": {
			`промышленн`, // «рабочая среда»
			`вердикт`,    // «результаты проверок»
			`диктор`,     // «программы чтения с экрана»
			`полномочия представительства`, // «полномочия на представительство»
			`должна разрешить`,             // AGE (агентство) is neuter: «должно»
			`серийный \(`,                  // «серийный номер»
			`пакет\S* регистрации`,         // «регистрационный пакет»
			`запрос\S* на интеграцию`,      // the letter is a «заявка на интеграцию»
			`владел`, // the certificate's «субъект»
		},
	}
	for lang, patterns := range banned {
		for _, p := range patterns {
			re := regexp.MustCompile(`(?i)` + p)
			for _, k := range Keys(lang) {
				if s, _ := Raw(lang, k); re.MatchString(s) {
					t.Errorf("%s: %s uses %q, which the review replaced: %q", lang, k, re.FindString(s), s)
				}
			}
		}
	}
}

// Where the English text names the production environment or a serial
// number, the translation uses the one chosen term for it.
func TestReviewedTermsUsed(t *testing.T) {
	type rule struct {
		en   *regexp.Regexp
		lang string
		want *regexp.Regexp
	}
	rules := []rule{
		// "production" as a word, not the literal value --env production
		{regexp.MustCompile(`(?i)\bproduction\b`), "ru", regexp.MustCompile(`рабоч|\bproduction\b`)},
		{regexp.MustCompile(`(?i)\bproduction\b`), "ro", regexp.MustCompile(`producție|\bproduction\b`)},
		{regexp.MustCompile(`(?i)\bserial\b`), "ru", regexp.MustCompile(`(?i)серийн\S* номер`)},
		{regexp.MustCompile(`(?i)\bserial\b`), "ro", regexp.MustCompile(`(?i)num[ăa]r(ul)? de serie`)},
		{regexp.MustCompile(`(?i)\bverdicts?\b`), "ru", regexp.MustCompile(`(?i)провер[ок]`)},
		{regexp.MustCompile(`(?i)\bverdicts?\b`), "ro", regexp.MustCompile(`(?i)verific[aă]r`)},
	}
	for _, r := range rules {
		for _, k := range Keys("en") {
			en, _ := Raw("en", k)
			if !r.en.MatchString(placeholder.ReplaceAllString(en, "")) {
				continue
			}
			if s, _ := Raw(r.lang, k); !r.want.MatchString(s) {
				t.Errorf("%s: %s should say %s where English says %q: %q", r.lang, k, r.want, r.en.FindString(en), s)
			}
		}
	}

	exact := map[string]map[string]string{
		"ro": {
			"certcard.verdicts":      "Rezultatele verificărilor",
			"check.severity.skip":    "OMIS",
			"conn.step.tls":          "negocierea TLS…",
			"env.production":         "producție",
			"service.mpower.summary": "împuterniciri de reprezentare",
			"certcard.serial_hex":    "Număr de serie (hex)",
		},
		"ru": {
			"certcard.verdicts":      "Результаты проверок",
			"cli.flag.accessible":    "доступный режим: простые вопросы для программ чтения с экрана (также TERM=dumb или ACCESSIBLE=1)",
			"env.production":         "рабочая",
			"env.test":               "тестовая",
			"network.ips":            "IP-адреса, которые должно разрешить AGE",
			"service.mpower.summary": "полномочия на представительство",
			"certcard.serial_hex":    "Серийный номер (hex)",
		},
	}
	for lang, want := range exact {
		for k, w := range want {
			if got, _ := Raw(lang, k); got != w {
				t.Errorf("%s: %s = %q, want %q", lang, k, got, w)
			}
		}
	}
	// A skipped check reads the same in the severity column and in its message.
	if s, _ := Raw("ro", "net.skip"); !strings.HasPrefix(s, "Omis:") {
		t.Errorf("ro: net.skip should start with „Omis:”, got %q", s)
	}
}

// The hints for moving on through the wizard say "next", "continue" or
// "confirm", never "send": nothing is sent when a form is submitted.
func TestKeyHintsMeanNextOrConfirm(t *testing.T) {
	allowed := map[string][]string{
		"ro": {"înainte", "continuă", "confirmă"},
		"ru": {"далее", "продолжить", "подтвердить"},
	}
	for lang, words := range allowed {
		for _, k := range []string{"key.next", "key.submit", "key.confirm"} {
			if s, _ := Raw(lang, k); !slices.Contains(words, s) {
				t.Errorf("%s: %s = %q, want one of %v", lang, k, s, words)
			}
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

// hostileText is an outside value made to act on a terminal: set its title,
// clear the screen, overwrite the line, start a CSI, reverse the text.
const hostileText = "CN=\x1b]0;pwned\x07\x1b[2J\rok\b\u009b2J\u202eevil\nnext"

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

type errText string

func (e errText) Error() string { return string(e) }

func TestPlaceholderValuesAreEscaped(t *testing.T) {
	esc := `CN=\x1b]0;pwned\x07\x1b[2J\x0dok\x08\u009b2J\u202eevil\x0anext`
	for _, c := range []struct {
		v    any
		want string
	}{
		{hostileText, "a.pfx: " + esc},
		{errText(hostileText), "a.pfx: " + esc},
		{stringer{hostileText}, "a.pfx: " + esc},
		{[]string{hostileText}, "a.pfx: [" + esc + "]"},
	} {
		if got := T("en", "cli.cert.load_failed", "File", "a.pfx", "Err", c.v); got != c.want {
			t.Errorf("%T value: got %q\nwant %q", c.v, got, c.want)
		}
	}
	// A Localizable value keeps its line breaks, nothing else.
	if got := T("en", "cli.cert.load_failed", "File", "a.pfx", "Err", Multiline("one\n\x1b[2Jtwo")); got != "a.pfx: one\n\\x1b[2Jtwo" {
		t.Errorf("Multiline: got %q", got)
	}
	// Plural counts and plain values are untouched.
	if got := T("en", "certcard.days_left", "Count", 3); got != "3 days left" {
		t.Errorf("count: got %q", got)
	}
	if got := T("ro", "cli.password.prompt", "File", "ș ț Ж.pfx"); got != "Parola pentru ș ț Ж.pfx: " {
		t.Errorf("clean text changed: %q", got)
	}
	// The Text keeps the original value; only its rendering is escaped.
	m := Msg("cli.cert.load_failed", "File", "a\x1b", "Err", "x")
	if m.Data["File"] != "a\x1b" || m.String() != `a\x1b: x` {
		t.Errorf("Msg: data %q, rendered %q", m.Data["File"], m.String())
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
