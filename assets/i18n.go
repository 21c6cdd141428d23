package assets

import (
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/egovmd/egovsetup/internal/safetext"
)

// The catalogues: i18n/<lang>.yaml, one per language. A message is a string
// (Go template syntax for placeholders, e.g. {{.Days}}) or, where a count
// appears, a map of CLDR plural forms (one, few, many, other) selected by the
// placeholder Count.
//
// They are embedded as strings: a run reads its messages where the binary
// holds them, without copying the file.
var (
	//go:embed i18n/en.yaml
	catalogueEN string
	//go:embed i18n/ro.yaml
	catalogueRO string
	//go:embed i18n/ru.yaml
	catalogueRU string
)

// catalogueText returns the text of i18n/<lang>.yaml.
func catalogueText(lang string) (string, error) {
	switch lang {
	case "en":
		return catalogueEN, nil
	case "ro":
		return catalogueRO, nil
	case "ru":
		return catalogueRU, nil
	}
	return "", fmt.Errorf("i18n/%s.yaml: no such catalogue", lang)
}

// Languages egovsetup speaks, in the order they are offered.
var Languages = []string{"en", "ro", "ru"}

// DefaultLang is used when nothing else chooses a language; --json output and
// error values' Error() strings are always in it.
const DefaultLang = "en"

// Text is a message not yet put into words: a catalogue key and the values for
// its placeholders. Checks and validators return Texts, so that the same
// result reads in any language.
type Text struct {
	Key  string
	Data map[string]any
}

// Msg makes a Text from a key and placeholder name/value pairs:
// Msg("cert.expired", "Days", 3).
func Msg(key string, kv ...any) Text {
	t := Text{Key: key}
	if len(kv) > 0 {
		t.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			t.Data[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return t
}

// IsZero reports whether t holds no message.
func (t Text) IsZero() bool { return t.Key == "" }

// In renders t in lang (falling back to English for a missing message).
func (t Text) In(lang string) string {
	if t.Key == "" {
		return ""
	}
	return render(lang, t.Key, t.Data)
}

// String renders t in English.
func (t Text) String() string { return t.In(DefaultLang) }

// T renders the message key in lang with placeholder name/value pairs.
func T(lang, key string, kv ...any) string { return Msg(key, kv...).In(lang) }

// Has reports whether lang's own catalogue holds key (no fallback).
func Has(lang, key string) bool {
	return catalogue(lang).has(key)
}

// Keys lists the keys in lang's own catalogue, sorted.
func Keys(lang string) []string {
	raw := catalogue(lang).rawMap()
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Raw returns the source of key in lang: the string, or its plural forms joined
// by newlines. Tests use it to compare placeholders across languages.
func Raw(lang, key string) (string, bool) {
	v, ok := catalogue(lang).rawMap()[key]
	return v, ok
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// DetectLang chooses the interface language: flag when set, else the POSIX locale
// variables (LC_ALL, then LC_MESSAGES, then LANG), else English. getenv is
// os.Getenv in the program and a map lookup in tests.
func DetectLang(flag string, getenv func(string) string) string {
	if flag != "" {
		return NormalizeLang(flag)
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := getenv(v); val != "" {
			return NormalizeLang(val)
		}
	}
	return DefaultLang
}

// NormalizeLang maps a locale string ("ro_MD.UTF-8", "ru-RU", "RO") to one of
// Languages, or to English when it names none of them.
func NormalizeLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "_-.@"); i >= 0 {
		s = s[:i]
	}
	if s == "mo" { // the retired code for Romanian as written in Moldova
		s = "ro"
	}
	if Supported(s) {
		return s
	}
	return DefaultLang
}

// cat is one language's catalogue. At start only the places of its entries
// are noted (see indexCatalogue); an entry is read when it is first asked
// for, a message becomes an i18n template the first time it is rendered, and
// the plural rules and template machinery are set up only when a message
// needs them, so a command that prints a handful of messages pays for those
// alone.
type cat struct {
	lang    string
	index   *keyIndex      // where each entry starts in the catalogue's text
	entries map[string]any // key → string, or map of plural forms, when there is no index

	vmu    sync.Mutex
	vals   map[string]any // entries read through index so far (those that needed more than a slice of the text)
	yamlMu sync.Mutex
	yamlV  map[string]any // the YAML parser's reading, made if an entry is outside the plain shape

	mu        sync.Mutex
	templates map[string]*template.Template // single-form messages parsed so far
	bundle    *i18n.Bundle                  // made on the first plural message
	localizer *i18n.Localizer
	added     map[string]error // keys added to bundle, and the error if any

	rawOnce sync.Once
	raw     map[string]string
}

var (
	catsMu sync.Mutex
	cats   = map[string]*cat{}
)

// catalogue returns lang's own messages, parsing its file on first use. Each
// language has a catalogue of its own, so a run parses only the languages it
// speaks: English is parsed in a Romanian or Russian run only when a message
// is missing there (see render).
func catalogue(lang string) *cat {
	lang = NormalizeLang(lang)
	catsMu.Lock()
	defer catsMu.Unlock()
	if c, ok := cats[lang]; ok {
		return c
	}
	c, err := parseCatalogue(lang)
	if err != nil {
		// The catalogues are checked by the tests; reaching this is a build defect.
		panic("assets: " + err.Error())
	}
	cats[lang] = c
	return c
}

// parseCatalogue notes where the entries of i18n/<lang>.yaml are, or reads
// it with the YAML parser when it is not in the plain shape.
func parseCatalogue(lang string) (*cat, error) {
	b, err := catalogueText(lang)
	if err != nil {
		return nil, err
	}
	if x, ok := indexCatalogue(b); ok {
		return &cat{lang: lang, index: x}, nil
	}
	m, err := parseYAMLCatalogue(lang, b)
	if err != nil {
		return nil, err
	}
	return &cat{lang: lang, entries: m}, nil
}

func parseYAMLCatalogue(lang, b string) (map[string]any, error) {
	var m map[string]any
	if err := yaml.Unmarshal([]byte(b), &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path.Join("i18n", lang+".yaml"), err)
	}
	return m, nil
}

// entry returns key's entry: a string, or a map of plural forms.
func (c *cat) entry(key string) (any, bool) {
	if c.index == nil {
		v, ok := c.entries[key]
		return v, ok
	}
	off, ok := c.index.offset(key)
	if !ok {
		return nil, false
	}
	src := c.index.src
	if line, _ := nextLine(src, off); strings.IndexByte(line, '\\') < 0 {
		// A quoted string without escapes is a slice of the text.
		if _, rest, _ := strings.Cut(line, ":"); strings.HasPrefix(rest, ` "`) {
			if s, ok := quoted(rest[1:]); ok {
				return s, true
			}
		}
	}
	c.vmu.Lock()
	defer c.vmu.Unlock()
	if v, ok := c.vals[key]; ok {
		return v, true
	}
	v, ok := decodeEntry(src, off)
	if !ok {
		v, ok = c.yamlEntries()[key]
	}
	if c.vals == nil {
		c.vals = map[string]any{}
	}
	c.vals[key] = v
	return v, ok
}

// yamlEntries is the catalogue as the YAML parser reads it: the reading of
// an entry the plain reader gives up on.
func (c *cat) yamlEntries() map[string]any {
	c.yamlMu.Lock()
	defer c.yamlMu.Unlock()
	if c.yamlV == nil {
		m, err := parseYAMLCatalogue(c.lang, c.index.src)
		if err != nil {
			// The catalogues are checked by the tests; reaching this is a build defect.
			panic("assets: " + err.Error())
		}
		c.yamlV = m
	}
	return c.yamlV
}

// keys lists the catalogue's keys, in no particular order.
func (c *cat) keys() []string {
	if c.index != nil {
		return c.index.keys()
	}
	keys := make([]string, 0, len(c.entries))
	for k := range c.entries {
		keys = append(keys, k)
	}
	return keys
}

// check makes every message of c into a template, as rendering would, and
// returns the first error (the tests run it on every catalogue).
func (c *cat) check() error {
	for _, k := range c.keys() {
		if _, err := c.execute(k, nil); err != nil && err != errNotSingle {
			return fmt.Errorf("i18n/%s.yaml: %s: %w", c.lang, k, err)
		}
		if _, err := c.localize(&i18n.LocalizeConfig{MessageID: k}); err != nil {
			if _, missing := err.(*i18n.MessageNotFoundErr); !missing {
				return fmt.Errorf("i18n/%s.yaml: %s: %w", c.lang, k, err)
			}
		}
	}
	return nil
}

// rawMap is key → source text (see Raw), made on first use.
func (c *cat) rawMap() map[string]string {
	c.rawOnce.Do(func() {
		keys := c.keys()
		c.raw = make(map[string]string, len(keys))
		for _, k := range keys {
			v, _ := c.entry(k)
			c.raw[k] = rawString(v)
		}
	})
	return c.raw
}

// has reports whether c holds key.
func (c *cat) has(key string) bool {
	if c.index != nil {
		_, ok := c.index.offset(key)
		return ok
	}
	_, ok := c.entries[key]
	return ok
}

// plain returns key's text when it is a single string with no placeholder:
// what the template would give, without making one.
func (c *cat) plain(key string) (string, bool) {
	v, _ := c.entry(key)
	s, ok := v.(string)
	if !ok || strings.Contains(s, "{{") {
		return "", false
	}
	return s, true
}

// execute renders key when it is a single string (not plural forms),
// errNotSingle otherwise.
func (c *cat) execute(key string, data map[string]any) (string, error) {
	v, _ := c.entry(key)
	src, ok := v.(string)
	if !ok {
		return "", errNotSingle
	}
	return c.executeSource(key, src, data)
}

// executeSource renders src, the text of id, with data. The template is
// parsed on first use, the way go-i18n parses a message (text/template,
// {{ }}, missingkey=default), without setting up go-i18n's plural rules.
func (c *cat) executeSource(id, src string, data map[string]any) (s string, err error) {
	if s, ok := substitute(src, data); ok {
		return s, nil
	}
	c.mu.Lock()
	t := c.templates[id]
	if t == nil {
		t, err = template.New(id).Delims("{{", "}}").Option("missingkey=default").Parse(src)
		if err != nil {
			c.mu.Unlock()
			return "", err
		}
		if c.templates == nil {
			c.templates = map[string]*template.Template{}
		}
		c.templates[id] = t
	}
	c.mu.Unlock()
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// substitute renders src when each of its actions is a plain placeholder
// ({{.Name}}) whose value in data is a string, a whole number or a bool: the
// text the template would give, without parsing one. ok is false for
// anything else (another action, a missing or other value), which the
// template renders.
func substitute(src string, data map[string]any) (string, bool) {
	if !strings.Contains(src, "{{") {
		return src, true
	}
	var b strings.Builder
	b.Grow(len(src) + 16)
	for {
		i := strings.Index(src, "{{")
		if i < 0 {
			b.WriteString(src)
			return b.String(), true
		}
		end := strings.Index(src[i:], "}}")
		if end < 0 {
			return "", false
		}
		name, ok := strings.CutPrefix(src[i+2:i+end], ".")
		if !ok || !isIdentifier(name) {
			return "", false
		}
		b.WriteString(src[:i])
		switch v := data[name].(type) {
		case string:
			b.WriteString(v)
		case bool:
			b.WriteString(strconv.FormatBool(v))
		default:
			n, whole := wholeNumber(v)
			if !whole {
				return "", false
			}
			b.WriteString(strconv.FormatInt(n, 10))
		}
		src = src[i+end+2:]
	}
}

// isIdentifier: a Go identifier made of ASCII letters, digits and '_', as a
// template field name is.
func isIdentifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// pluralForm names the CLDR cardinal plural form of the whole number n in
// lang, one of Languages. CLDR's rules for whole numbers (operand v = 0;
// unicode.org, CLDR common/supplemental/plurals.xml):
//
//	en  one: n = 1; other
//	ro  one: n = 1; few: n = 0, or n ≠ 1 and n % 100 = 1..19; other
//	ru  one: n % 10 = 1 and n % 100 ≠ 11; few: n % 10 = 2..4 and
//	    n % 100 ≠ 12..14; many: every other whole number
func pluralForm(lang string, n uint64) string {
	switch lang {
	case "ro":
		switch {
		case n == 1:
			return "one"
		case n == 0 || n%100 >= 1 && n%100 <= 19:
			return "few"
		}
	case "ru":
		switch d, h := n%10, n%100; {
		case d == 1 && h != 11:
			return "one"
		case d >= 2 && d <= 4 && (h < 12 || h > 14):
			return "few"
		default:
			return "many"
		}
	default:
		if n == 1 {
			return "one"
		}
	}
	return "other"
}

// executePlural renders key when it is a map of plural forms and Count is a
// whole number, choosing the form by the language's CLDR rule (pluralForm)
// and falling back to "other" as go-i18n does; errNotSingle otherwise
// (go-i18n takes it then).
func (c *cat) executePlural(key string, data map[string]any) (string, error) {
	v, _ := c.entry(key)
	forms, ok := v.(map[string]any)
	n, whole := wholeNumber(data["Count"])
	if !ok || !whole || !Supported(c.lang) {
		return "", errNotSingle
	}
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	form := pluralForm(c.lang, u)
	src, ok := forms[form].(string)
	if !ok {
		form = "other"
		if src, ok = forms[form].(string); !ok {
			return "", errNotSingle
		}
	}
	return c.executeSource(key+"#"+form, src, data)
}

// wholeNumber returns v as an int64 when it is one of Go's integer types.
func wholeNumber(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	}
	return 0, false
}

// errNotSingle: the entry is a map of plural forms, or missing.
var errNotSingle = errors.New("not a single-form message")

// localize renders lc in c's language, adding the message to the bundle on
// first use. A key c does not hold gives *i18n.MessageNotFoundErr.
func (c *cat) localize(lc *i18n.LocalizeConfig) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.localizer == nil {
		c.bundle = i18n.NewBundle(language.Make(c.lang))
		c.localizer = i18n.NewLocalizer(c.bundle, c.lang)
		c.added = map[string]error{}
	}
	key := lc.MessageID
	if v, ok := c.entry(key); ok {
		err, done := c.added[key]
		if !done {
			var msg *i18n.Message
			if msg, err = message(key, v); err == nil {
				err = c.bundle.AddMessages(language.Make(c.lang), msg)
			}
			c.added[key] = err
		}
		if err != nil {
			return "", err
		}
	}
	return c.localizer.Localize(lc)
}

// message makes the catalogue entry k: a string, or a map of CLDR plural
// forms (zero, one, two, few, many, other).
func message(k string, v any) (*i18n.Message, error) {
	switch x := v.(type) {
	case string:
		return &i18n.Message{ID: k, Other: x}, nil
	case map[string]any:
		m := &i18n.Message{ID: k}
		for form, fv := range x {
			s, ok := fv.(string)
			if !ok {
				return nil, fmt.Errorf("plural form %s is not text", form)
			}
			switch form {
			case "zero":
				m.Zero = s
			case "one":
				m.One = s
			case "two":
				m.Two = s
			case "few":
				m.Few = s
			case "many":
				m.Many = s
			case "other":
				m.Other = s
			default:
				return nil, fmt.Errorf("%q is not a plural form", form)
			}
		}
		return m, nil
	}
	m, err := i18n.NewMessage(v)
	if err == nil {
		m.ID = k
	}
	return m, err
}

func rawString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, "%s: %v\n", k, x[k])
		}
		return b.String()
	}
	return fmt.Sprint(v)
}

// Localizable is a value that renders itself in a language: a Text, or an
// error that carries one. A placeholder value that is Localizable is rendered
// in the message's language.
type Localizable interface{ In(lang string) string }

// Multiline is a placeholder value of several lines. Like every other value it
// is made safe for a terminal, but its line feeds and tabs are kept (see
// safetext.Block); other values are kept on one line.
type Multiline string

// In returns s with everything but line feeds and tabs escaped.
func (s Multiline) In(string) string { return safetext.Block(string(s)) }

// render puts the message key into words in lang. Placeholder values may come
// from outside the program (a certificate, a server, a file), so each is made
// safe before it goes in: strings, errors and anything else printed as text
// have every control and bidi character escaped (safetext.Line); Localizable
// values are rendered in lang and keep their line breaks (safetext.Block).
// Numbers and other values that print safely are passed through unchanged,
// so plural counts and template conditions work as written.
func render(lang, key string, data map[string]any) string {
	c := catalogue(lang)
	var safe map[string]any
	for k, v := range data {
		if sv, changed := safeValue(v, lang); changed {
			if safe == nil {
				safe = maps.Clone(data)
			}
			safe[k] = sv
		}
	}
	if safe != nil {
		data = safe
	}
	s, err := c.text(key, data)
	if errors.Is(err, errMissing) && NormalizeLang(lang) != DefaultLang {
		s, err = catalogue(DefaultLang).text(key, data)
	}
	if err != nil && s == "" {
		return safetext.Line(key) // a key may be made from outside text ("env." + a value from a file)
	}
	return s
}

// errMissing: the catalogue has no such message.
var errMissing = errors.New("no such message")

// text renders key with data: a string without placeholders as it is, a
// single-form message through its template, plural forms through go-i18n.
func (c *cat) text(key string, data map[string]any) (string, error) {
	if s, ok := c.plain(key); ok {
		return s, nil
	}
	if s, err := c.execute(key, data); err != errNotSingle {
		return s, err
	}
	if s, err := c.executePlural(key, data); err != errNotSingle {
		return s, err
	}
	if !c.has(key) {
		return "", errMissing
	}
	lc := &i18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if n, ok := data["Count"]; ok {
		lc.PluralCount = n
	}
	return c.localize(lc)
}

// safeValue returns v as it may go into a message, and whether that differs
// from v.
func safeValue(v any, lang string) (any, bool) {
	switch x := v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return v, false
	case string:
		s := safetext.Line(x)
		return s, s != x
	case Localizable:
		return safetext.Block(x.In(lang)), true
	case error:
		return safetext.Line(x.Error()), true
	case fmt.Stringer:
		if s := x.String(); !safetext.IsSafe(s) {
			return safetext.Line(s), true
		}
		return v, false
	}
	if s := fmt.Sprint(v); !safetext.IsSafe(s) {
		return safetext.Line(s), true
	}
	return v, false
}
