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

// A ledger (or answers file) that is a symbolic link to a file elsewhere,
// a synchronised folder say, is updated where the link points: the link
// stays a link, and the file it names holds the change.
func TestUpdateLedgerWritesThroughASymlink(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	target := filepath.Join(elsewhere, "ledger.json")
	if err := os.WriteFile(target, []byte(`{"schema": 1, "entries": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "ledger.json")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	err := UpdateLedger(link, func(l *Ledger) error {
		l.Add(LedgerEntry{SystemID: "alfa", Env: "test", SerialHex: "0A", Services: []string{"mpass"}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	l, err := LoadLedger(target)
	if err != nil || len(l.Entries) != 1 || l.Entries[0].SystemID != "alfa" {
		t.Errorf("the file the link names: %+v %v", l, err)
	}
}
