//go:build unix

package export

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks"
)

func TestLoadAnswersRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for path, want := range map[string]string{
		dir:         dir + " is a folder, not a file",
		fifo:        fifo + " is a named pipe (FIFO), not a regular file",
		"/dev/zero": "/dev/zero is a device, not a regular file",
	} {
		done := make(chan error, 1)
		go func() { _, err := LoadAnswers(path); done <- err }()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: LoadAnswers still reading after 10s", path)
		}
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrNotAnswers) {
			t.Errorf("%s: %v, want %q wrapping ErrNotAnswers", path, err, want)
		}
		if ro := checks.Localize(err, "ro"); !strings.Contains(ro, "nu un fișier") {
			t.Errorf("%s in Romanian: %q", path, ro)
		}
	}
	if _, err := LoadAnswers(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
}
