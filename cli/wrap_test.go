package cli

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/internal/testpki"
)

// inspectAt runs `cert inspect` on file in lang, its output a terminal of
// width columns (0: a pipe).
func inspectAt(t *testing.T, file, lang string, width int) string {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		StdoutTTY:   width > 0,
		StdoutWidth: func() int { return width },
		Getenv: func(k string) string {
			if k == "XDG_CONFIG_HOME" {
				return t.TempDir()
			}
			return ""
		},
		Now: time.Now,
	}
	if code := Main([]string{"cert", "inspect", "--lang", lang, file}, env); code != ExitFailed {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	return out.String()
}

// `cert inspect` on a terminal 80 columns wide, in Romanian and Russian:
// no line wider, no word broken (today's "clien"/"tAuth"), a fingerprint
// whole on the line under its label. Piped, nothing is wrapped.
func TestInspectWrapsToTheTerminal(t *testing.T) {
	now := time.Now()
	tmpl := testpki.LeafTemplate("Registrul autorizațiilor de construcție al Primăriei municipiului Chișinău", now)
	tmpl.Subject.Organization = []string{"Direcția generală arhitectură, urbanism și relații funciare"}
	tmpl.Subject.OrganizationalUnit = []string{"Secția tehnologii informaționale"}
	tmpl.NotAfter = now.Add(-72 * time.Hour)
	tmpl.DNSNames = []string{"autorizatii-de-constructie.primaria-municipiului-chisinau.gov.md"}
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	ch := testpki.ChainFrom(now, "MDTrustCA Root", testpki.STISCOrg, "mdtrustca", tmpl, testpki.NewRSAKey())
	file := filepath.Join(t.TempDir(), "system.cer")
	if err := os.WriteFile(file, ch.Leaf.Cert.Raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ro", "ru", "en"} {
		piped := inspectAt(t, file, lang, 0)
		long := false
		for _, l := range strings.Split(piped, "\n") {
			long = long || ansi.StringWidth(l) > 80
		}
		if !long {
			t.Errorf("%s: piped output has no line over 80 columns: is it wrapped?\n%s", lang, piped)
		}

		wrapped := inspectAt(t, file, lang, 80)
		lines := strings.Split(wrapped, "\n")
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("%s: line of %d cells: %q", lang, w, l)
			}
		}
		for _, w := range strings.Fields(piped) {
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l, w)
			}
			if !found {
				t.Errorf("%s: %q broken across lines:\n%s", lang, w, wrapped)
			}
		}
		if strings.Join(strings.Fields(wrapped), " ") != strings.Join(strings.Fields(piped), " ") {
			t.Errorf("%s: wrapping changed the text:\n%s\n---\n%s", lang, wrapped, piped)
		}
	}
}
