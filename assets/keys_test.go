package assets

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// keyFragment is a string that would be the start of a catalogue key glued
// to a value: "check.severity." + s, "cli.status.days_" + level.
var keyFragment = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]*)+$`)

// keySuffix is a string that would be the end of a catalogue key glued to
// another: key + ".description".
var keySuffix = regexp.MustCompile(`^(\.[a-z0-9_]+)+$`)

// fileExtensions are added to file names, never to keys, though some keys
// end in them ("….zip").
var fileExtensions = map[string]bool{".cer": true, ".csr": true, ".ics": true, ".json": true, ".lock": true,
	".md": true, ".pdf": true, ".pem": true, ".pfx": true, ".txt": true, ".yaml": true, ".zip": true}

// isKeyFragment reports whether s, added to something, would make a key:
// the start of a key up to a dot or underscore, or a suffix that ends a key
// of the catalogue (".description"; not a file extension).
func isKeyFragment(s string, suffixes map[string]bool) bool {
	if keyFragment.MatchString(s) && (strings.HasSuffix(s, ".") || strings.HasSuffix(s, "_")) {
		return true
	}
	return keySuffix.MatchString(s) && suffixes[s] && !fileExtensions[s]
}

// keySuffixes lists every ending of a catalogue key from a dot on
// ("cert.load.corrupt" ends in ".load.corrupt" and ".corrupt").
func keySuffixes() map[string]bool {
	out := map[string]bool{}
	for _, k := range Keys("en") {
		for i := range k {
			if k[i] == '.' {
				out[k[i:]] = true
			}
		}
	}
	return out
}

// Catalogue keys are written out whole in every Go file of the module, so
// that a search for a key finds every place that uses it: no key is glued
// from a fragment and a value ("check.severity."+s); a switch or a map
// holds the full keys instead.
func TestKeysAreWrittenWhole(t *testing.T) {
	paths := moduleGoFiles(t, "..")
	for _, path := range paths {
		for _, at := range gluedKeys(t, path) {
			t.Errorf("%s: a catalogue key glued from a fragment; write the whole key", at)
		}
	}
	for _, want := range []string{"main.go", "cli", "ui", "steps", "checks", "export", "internal", "assets"} {
		found := false
		for _, path := range paths {
			if path == filepath.Join("..", want) || strings.HasPrefix(path, filepath.Join("..", want)+string(filepath.Separator)) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no file scanned under %s", want)
		}
	}
	if len(paths) < 50 {
		t.Fatalf("only %d files scanned", len(paths))
	}
}

// moduleGoFiles lists the non-test Go files under root, skipping testdata,
// hidden folders and vendored code.
func moduleGoFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// gluedKeys lists where path adds a key fragment to something else.
func gluedKeys(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	suffixes := keySuffixes()
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != token.ADD {
			return true
		}
		for _, side := range []ast.Expr{b.X, b.Y} {
			if lit, ok := side.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && isKeyFragment(s, suffixes) {
					out = append(out, fset.Position(lit.Pos()).String()+" "+lit.Value)
				}
			}
		}
		return true
	})
	return out
}

// The check itself finds a glued key.
func TestKeysAreWrittenWholeFindsGluedKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.go")
	src := "package x\n\nfunc f(s string) string {\n" +
		"\treturn T(\"en\", \"check.severity.\"+s) + \".\" + \"0\" + s + s + \".zip\" + \"a.b\" + s +\n" +
		"\t\tT(\"en\", \"cli.status.days_\"+s) + T(\"en\", s+\".description\")\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := gluedKeys(t, path)
	if len(got) != 3 || !strings.Contains(got[0], `"check.severity."`) ||
		!strings.Contains(got[1], `"cli.status.days_"`) || !strings.Contains(got[2], `".description"`) {
		t.Errorf("found %q", got)
	}
}

// Every key of the catalogue is written whole somewhere in the program's
// source (Go files or the document templates), so that none is left behind
// when the code that showed it goes.
func TestEveryKeyIsUsed(t *testing.T) {
	var src strings.Builder
	for _, path := range moduleGoFiles(t, "..") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	templates, err := filepath.Glob("templates/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range templates {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	all := src.String()
	keys := Keys("en")
	if len(keys) < 500 {
		t.Fatalf("only %d keys in the English catalogue", len(keys))
	}
	for _, k := range keys {
		if !strings.Contains(all, `"`+k+`"`) {
			t.Errorf("catalogue key %s is written in no Go file or template", k)
		}
	}
}
