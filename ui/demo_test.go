package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

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
	case msg := <-demoInBackground(time.Now()):
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
