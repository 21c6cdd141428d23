//go:build unix

package steps

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/egovmd/egovsetup/checks"
)

// The file field names a FIFO, a device or a symbolic-link loop for what it
// is as soon as it is typed, never as a permissions problem.
func TestCertificateFieldNamesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "cert.pfx")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop.pfx")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	for path, key := range map[string]string{
		fifo:        "file.fifo",
		"/dev/zero": "file.device",
		loop:        "file.symlink_loop",
	} {
		err := checkFile(path)
		var p *checks.Problem
		if !errors.As(err, &p) || p.Text.Key != key {
			t.Errorf("%s: %v, want %s", path, err, key)
			continue
		}
		if strings.Contains(err.Error(), "permission") {
			t.Errorf("%s: %q blames permissions", path, err)
		}
	}
}
