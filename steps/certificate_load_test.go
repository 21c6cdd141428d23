package steps

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/drive"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// Esc while a certificate is read cancels the reading itself: the load
// started before the key press gives up with "cancelled" instead of going
// on to read the file.
func TestCertificateEscCancelsTheLoad(t *testing.T) {
	ch := testpki.STISC(time.Now(), nil)
	path := filepath.Join(t.TempDir(), "chain.pem")
	if err := os.WriteFile(path, testpki.PEM(ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	s := Certificate{}.Screen(newContext()).(*certScreen)
	s.SetSize(90, 40)
	s.path = path
	cmd := s.load("", false)
	for _, m := range drive.Press("esc") {
		s.Update(m)
	}
	if s.state != certChoose {
		t.Fatalf("after esc the screen is in state %v, want the file field", s.state)
	}
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatalf("load returned %T, want a batch", cmd())
	}
	var got *loadedMsg
	for _, c := range batch {
		if m, ok := c().(loadedMsg); ok {
			got = &m
		}
	}
	if got == nil {
		t.Fatal("the load produced no result")
	}
	var p *checks.Problem
	if got.l != nil || !errors.As(got.err, &p) || p.Text.Key != "cert.load.cancelled" {
		t.Fatalf("load after esc = %v, %v; want cert.load.cancelled", got.l, got.err)
	}
}
