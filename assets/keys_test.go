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
// to a value: "check.severity." + s.
var keyFragment = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.$`)

// Catalogue keys are written out whole in these packages, so that a search
// for a key finds every place that uses it: no key is glued from a
// fragment and a value ("check.severity."+s); a switch or a map holds the
// full keys instead.
func TestKeysAreWrittenWhole(t *testing.T) {
	files := []string{"*.go", "../export/*.go", "../checks/check.go", "../checks/file.go", "../checks/validate.go"}
	n := 0
	for _, pattern := range files {
		paths, err := filepath.Glob(pattern)
		if err != nil || len(paths) == 0 {
			t.Fatalf("%s: %v (no files)", pattern, err)
		}
		for _, path := range paths {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			n++
			for _, at := range gluedKeys(t, path) {
				t.Errorf("%s: a catalogue key glued from a fragment; write the whole key", at)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d files scanned", n)
	}
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
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != token.ADD {
			return true
		}
		for _, side := range []ast.Expr{b.X, b.Y} {
			if lit, ok := side.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && keyFragment.MatchString(s) {
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
	src := "package x\n\nfunc f(s string) string { return T(\"en\", \"check.severity.\"+s) + \".\" + \"0\" + s }\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := gluedKeys(t, path); len(got) != 1 || !strings.Contains(got[0], `"check.severity."`) {
		t.Errorf("found %q", got)
	}
}
