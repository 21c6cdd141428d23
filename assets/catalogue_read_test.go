package assets

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestReadCatalogueMatchesYAML: the quick reader gives exactly what the YAML
// parser gives, on every catalogue, with Windows line ends too.
func TestReadCatalogueMatchesYAML(t *testing.T) {
	for _, lang := range Languages {
		b, err := catalogueBytes(lang)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := yaml.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		got, ok := readCatalogue(string(b))
		if !ok {
			t.Fatalf("%s: the quick reader gave up on the catalogue", lang)
		}
		if !reflect.DeepEqual(got, want) {
			for k, v := range want {
				if !reflect.DeepEqual(got[k], v) {
					t.Errorf("%s: %s = %q, YAML says %q", lang, k, got[k], v)
				}
			}
			t.Fatalf("%s: %d keys, YAML %d", lang, len(got), len(want))
		}
		crlf, ok := readCatalogue(strings.ReplaceAll(string(b), "\n", "\r\n"))
		if !ok || !reflect.DeepEqual(crlf, want) {
			t.Errorf("%s with CRLF line ends: ok=%v, differs from YAML", lang, ok)
		}
	}
}

// TestReadCatalogueGivesUp: anything outside the plain shape goes to the YAML
// parser, and the cases it does read agree with it.
func TestReadCatalogueGivesUp(t *testing.T) {
	for _, src := range []string{
		"a: 'single'\n",
		"a: plain text\n",
		"a: \"x\" # comment\n",
		"a: \"nul \\0 here\"\n",
		"a: \"slash \\/\"\n",
		"a: \"one\"\na: \"two\"\n",
		"a: |\n  keep\n",
		"a: >-\n  folded\n",
		"a: |-\n    deeper\n",
		"a:\n  one: x\n",
		"a:\n",
		"a: \"multi\n  line\"\n",
		"  a: \"indented\"\n",
		"a b: \"space in key\"\n",
		"a: |-\n\n  \nb: \"x\"\n", // a block of blank lines alone
		"a: |-\n  tab\there\n",
	} {
		if m, ok := readCatalogue(src); ok {
			t.Errorf("%q read as %q; want the YAML parser", src, m)
		}
	}
	for _, src := range []string{
		"# c\n\na: \"x \\\"q\\\" \\u00e9 \\n\"\nb: |-\n  one\n\n  two\n\nc:\n  one: \"1\"\n  other: \"n\"\n",
		"a: |-\n  \n  text\n", // a first line of the indentation alone
		"a: |-\n  x\n   deeper later\n\n  \n  z\n\n\nb: \"q\"\n",
		"a: |-\n  x\n    \n  y\n  \n\n",
	} {
		got, ok := readCatalogue(src)
		var want map[string]any
		yaml.Unmarshal([]byte(src), &want)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q (ok=%v), YAML %q", src, got, ok, want)
		}
	}
}

// catalogueBytes is i18n/<lang>.yaml as the tests read it.
func catalogueBytes(lang string) ([]byte, error) {
	s, err := catalogueText(lang)
	return []byte(s), err
}

// TestEntryOutsideThePlainShape: an entry the plain reader does not read
// (here a trailing comment, which only reading the entry finds) is read as
// the YAML parser reads it, and the entries around it are unaffected.
func TestEntryOutsideThePlainShape(t *testing.T) {
	src := "a: \"first\"\nb: \"second\" # a comment\nc: |-\n  third\n\n  line\nd:\n  one: \"1 day\"\n  other: \"{{.Count}} days\"\n"
	x, ok := indexCatalogue(src)
	if !ok {
		t.Fatal("index gave up on keys in the plain shape")
	}
	c := &cat{lang: "en", index: x}
	want := map[string]any{"a": "first", "b": "second", "c": "third\n\nline",
		"d": map[string]any{"one": "1 day", "other": "{{.Count}} days"}}
	for k, w := range want {
		if got, ok := c.entry(k); !ok || !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %q (%v), want %q", k, got, ok, w)
		}
	}
	if _, ok := c.entry("e"); ok || c.has("e") {
		t.Error("a key that is not in the catalogue was found")
	}
	if got := c.keys(); len(got) != 4 {
		t.Errorf("keys %q, want 4", got)
	}
}

// TestKeyIndexGrows: the index finds every key after growing past its first
// size, and refuses a repeated key.
func TestKeyIndexGrows(t *testing.T) {
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "key.%d: \"v%d\"\n", i, i)
	}
	src := b.String()
	x := newKeyIndex(src, 1)
	pos := 0
	for i := range 200 {
		if !x.add(fmt.Sprintf("key.%d", i), pos) {
			t.Fatalf("key.%d refused", i)
		}
		_, pos = nextLine(src, pos)
	}
	if x.add("key.7", 0) {
		t.Error("a repeated key was added")
	}
	for i := range 200 {
		off, ok := x.offset(fmt.Sprintf("key.%d", i))
		if v, _ := decodeEntry(src, off); !ok || v != fmt.Sprintf("v%d", i) {
			t.Fatalf("key.%d: %q (%v)", i, v, ok)
		}
	}
}

// BenchmarkParseCatalogue: what a run pays to open a catalogue before its
// first message (go test -bench ParseCatalogue -benchmem ./assets).
func BenchmarkParseCatalogue(b *testing.B) {
	for _, l := range Languages {
		b.Run(l, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parseCatalogue(l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestKeyBytes: a key holds letters, digits, '_', '.' and '-', and nothing else.
func TestKeyBytes(t *testing.T) {
	for c := range 256 {
		want := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
		if keyByte(byte(c)) != want {
			t.Errorf("byte %q: %v, want %v", rune(c), !want, want)
		}
	}
}
