package assets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A refused base URL is named in the error without its password.
func TestRefusedBaseHidesPassword(t *testing.T) {
	dir := t.TempDir()
	for base, shown := range map[string]string{
		"http://user:secret@mpass.example":    `"http://user:xxxxx@mpass.example"`,
		"http://user:secret@mpass example:1x": "not shown",
		"ftp://mpass.example":                 `"ftp://mpass.example"`,
	} {
		f := filepath.Join(dir, "data.yaml")
		if err := os.WriteFile(f, []byte("services:\n  mpass:\n    env:\n      test:\n        base: \""+base+"\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(f)
		if err == nil {
			t.Errorf("%s: accepted", base)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "secret") || !strings.Contains(msg, shown) {
			t.Errorf("%s: %s", base, msg)
		}
	}
}
