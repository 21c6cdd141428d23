package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadRegular(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(p, []byte("hello"), 0o600)
	b, err := Read(p, 5)
	if err != nil || string(b) != "hello" {
		t.Fatalf("Read = %q, %v", b, err)
	}
	var tl *TooLargeError
	if _, err := Read(p, 4); !errors.As(err, &tl) {
		t.Fatalf("Read with cap 4 = %v, want TooLargeError", err)
	}
}

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

func TestSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.Symlink(b, a)
	os.Symlink(a, b)
	if _, err := Read(a, 10); !errors.Is(err, ErrSymlinkLoop) {
		t.Fatalf("Read(loop) = %v, want ErrSymlinkLoop", err)
	}
}
