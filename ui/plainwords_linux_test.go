//go:build linux

package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// A password typed at a line-by-line prompt is not shown: the reader the
// prompts get still leads to the terminal, whose echo the masked prompt
// turns off (steps.readSecret asks the reader for its descriptor).
func TestPlainReaderKeepsPasswordsHidden(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	pw := &plainWords{lang: func() string { return "ro" }}
	r := pw.reader(gatedReader{tty, newGate()})
	f, ok := r.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		t.Fatal("the line-by-line reader hides the terminal: a password would be echoed")
	}
	got := make(chan string, 1)
	go func() {
		b, _ := term.ReadPassword(int(f.Fd()))
		got <- string(b)
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err == nil && tio.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the terminal's echo was never turned off")
		}
	}
	// Everything the terminal shows, from the moment the password is typed.
	var mu sync.Mutex
	var shown []byte
	go func() {
		buf := make([]byte, 256)
		for {
			n, err := ptm.Read(buf)
			mu.Lock()
			shown = append(shown, buf[:n]...)
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	if _, err := ptm.Write([]byte("secret123\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case pass := <-got:
		if pass != "secret123" {
			t.Errorf("read %q", pass)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the password was never read")
	}
	// The terminal shows at most the line end, never the password.
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(string(shown), "secret") {
		t.Errorf("the terminal showed %q", shown)
	}
}
