package ui

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/steps"
)

// TestDemoMadeInBackground: with --demo the wizard's first screen does not
// wait for the demonstration certificate; it arrives as a message, and the
// program's event loop puts it into the steps' context, unless the user has
// loaded a certificate meanwhile.
func TestDemoMadeInBackground(t *testing.T) {
	var d demoReady
	select {
	case msg := <-demoInBackground(time.Now(), closed(), time.Hour):
		d = msg.(demoReady)
	case <-time.After(time.Minute):
		t.Fatal("no demonstration certificate after a minute")
	}
	if d.err != nil || !d.l.Demo || !d.l.HasKey() || !strings.Contains(d.l.Leaf.Subject.CommonName, cert.DemoMarker) {
		t.Fatalf("demo certificate: %+v", d)
	}

	c := &steps.Context{}
	filter := demoFilter(c)
	key := tea.KeyPressMsg{Code: 'a', Text: "a"}
	if got := filter(nil, key); got != key {
		t.Fatalf("a key press became %v", got)
	}
	if got := filter(nil, d); got != nil || c.Cert != d.l {
		t.Fatalf("demo message passed on as %v; certificate in the context %v", got, c.Cert)
	}
	own := &cert.Loaded{}
	c.Cert = own
	if filter(nil, d); c.Cert != own {
		t.Fatal("the demo replaced a certificate the user loaded")
	}
}

func closed() <-chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}

// With --demo the demonstration key is made once the first frame is on the
// terminal, not while it is drawn: what comes before (a query to the
// terminal) does not start it; the frame, which enters the alternate screen,
// does. Everything written reaches the terminal unchanged.
func TestDemoWaitsForTheFirstFrame(t *testing.T) {
	var terminal bytes.Buffer
	out, drawn := watchFirstFrame(&terminal)
	ch := demoInBackground(time.Now(), drawn, time.Hour)
	query := "\x1b[?2026$p\x1b[?2027$p"
	frame := "\x1b[>4m" + ansi.SetModeAltScreenSaveCursor + "\x1b[H\x1b[2J egovsetup"
	if _, err := io.WriteString(out, query); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
		t.Fatal("the demonstration key was made before the first frame")
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := io.WriteString(out, frame); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-ch:
		if d := msg.(demoReady); d.err != nil || !d.l.HasKey() {
			t.Fatalf("demo certificate: %+v", d)
		}
	case <-time.After(time.Minute):
		t.Fatal("no demonstration certificate a minute after the first frame")
	}
	if terminal.String() != query+frame {
		t.Errorf("the terminal got %q", terminal.String())
	}
}

// Should the first frame never be written, the key is made anyway.
func TestDemoMadeAnywayWithoutAFrame(t *testing.T) {
	select {
	case msg := <-demoInBackground(time.Now(), make(chan struct{}), 10*time.Millisecond):
		if d := msg.(demoReady); d.err != nil || !d.l.HasKey() {
			t.Fatalf("demo certificate: %+v", d)
		}
	case <-time.After(time.Minute):
		t.Fatal("no demonstration certificate after a minute")
	}
}

// Watching a terminal for the first frame leaves it a terminal to Bubble
// Tea: the same descriptor, so raw mode and the size still apply to it.
func TestFrameWatchKeepsTheTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	out, _ := watchFirstFrame(w)
	tty, ok := out.(ttyFile)
	if !ok || tty.Fd() != w.Fd() {
		t.Fatalf("the watched output is not the terminal it wraps: %T", out)
	}
}
