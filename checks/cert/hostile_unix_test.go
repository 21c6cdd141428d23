//go:build unix

package cert_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/egovmd/egovsetup/checks/cert"
)

// Anything that is not a regular file is refused before a byte is read, each
// with its own line: a FIFO with no writer would block a plain open, and
// /dev/zero would be read until the size cap.
func TestLoadFileRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "cert.pfx")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(dir, "loop.pem")
	if err := os.Symlink(filepath.Join(dir, "loop2.pem"), loop); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(loop, filepath.Join(dir, "loop2.pem")); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.pem")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cases := []struct{ path, key, says string }{
		{fifo, "file.fifo", "is a named pipe (FIFO), not a regular file"},
		{"/dev/zero", "file.device", "/dev/zero is a device, not a regular file"},
		{loop, "file.symlink_loop", "symbolic links point at each other in a loop"},
		{sock, "file.socket", "is a socket, not a regular file"},
		{dir, "cert.load.directory", "is a folder"},
	}
	for _, c := range cases {
		_, err := cert.LoadFile(context.Background(), c.path, "")
		if got := problemKey(t, err); got != c.key {
			t.Errorf("%s: %s (%v), want %s", c.path, got, err, c.key)
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %q does not say %q", c.path, err, c.says)
		}
		if strings.Contains(err.Error(), "permission") || strings.Contains(err.Error(), "bytes") {
			t.Errorf("%s: %q blames permissions or a size", c.path, err)
		}
	}
}
