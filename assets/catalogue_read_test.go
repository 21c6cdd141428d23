package assets

import (
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
	} {
		if m, ok := readCatalogue(src); ok {
			t.Errorf("%q read as %q; want the YAML parser", src, m)
		}
	}
	for _, src := range []string{
		"# c\n\na: \"x \\\"q\\\" \\u00e9 \\n\"\nb: |-\n  one\n\n  two\n\nc:\n  one: \"1\"\n  other: \"n\"\n",
		"a: |-\n  \n  text\n", // a first line of the indentation alone
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
