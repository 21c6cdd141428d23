//go:build unix

package assets

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/egovmd/egovsetup/internal/safefile"
)

// Anything but a regular file is refused before a byte is read, and a file
// over the cap is refused: Load never blocks or reads without bound.
func TestLoadDataRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, MaxDataFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want any
	}{
		{fifo, new(*safefile.NotRegularError)},
		{"/dev/zero", new(*safefile.NotRegularError)},
		{big, new(*safefile.TooLargeError)},
	} {
		_, err := Load(c.path)
		var fe *FileError
		if !errors.As(err, &fe) || fe.Path != c.path {
			t.Errorf("%s: %v, want a FileError", c.path, err)
			continue
		}
		if !errors.As(err, c.want) {
			t.Errorf("%s: %v, want %T", c.path, err, c.want)
		}
	}
}
