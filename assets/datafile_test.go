package assets

import (
	"os"
	"path/filepath"
	"testing"
)

// A data file saved with a UTF-8 byte order mark (Notepad adds one) is read
// like any other: its values override the built-in ones.
func TestLoadDataWithBOM(t *testing.T) {
	p := filepath.Join(t.TempDir(), "data.yaml")
	body := "\uFEFFservices:\n  mpass:\n    mailbox: mpass.bom@example.md\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Services["mpass"].Mailbox; got != "mpass.bom@example.md" {
		t.Fatalf("mailbox = %q", got)
	}
}
