//go:build unix

package safefile

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
)

func TestRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for path, kind := range map[string]string{dir: "folder", fifo: "named pipe (FIFO)", "/dev/zero": "device"} {
		_, err := Read(path, 1<<20)
		var nr *NotRegularError
		if !errors.As(err, &nr) || nr.Kind != kind {
			t.Errorf("Read(%s) = %v, want a %s refusal", path, err, kind)
		}
	}
}
