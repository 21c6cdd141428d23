package assets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOverrideShapes: an override that is not a map of settings is refused
// with its line; one that holds nothing changes nothing; one saved by
// Notepad (CRLF line ends) reads like any other.
func TestOverrideShapes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	_, err := Load(write("list.yaml", "# settings\n- services\n- order\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2: the file must be a map of settings (name: value), not a list") {
		t.Errorf("a list: %v", err)
	}
	for _, body := range []string{"~\n", "# only a comment\n"} {
		d, err := Load(write("empty.yaml", body))
		if err != nil || d.Mailboxes.Office != Embedded().Mailboxes.Office {
			t.Errorf("%q: %v", body, err)
		}
	}
	d, err := Load(write("notepad.yaml", "\uFEFFservices:\r\n  msign:\r\n    mailbox: msign@example.md\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := d.Service("msign"); s.Mailbox != "msign@example.md" || s.Paths["probe"] == "" {
		t.Errorf("CRLF override: mailbox %q, probe %q", s.Mailbox, s.Paths["probe"])
	}
}
