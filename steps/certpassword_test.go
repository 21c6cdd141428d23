package steps

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/internal/testpki"
)

// With plain prompts and input piped in (no terminal), a .pfx password is
// read from the next line: a wrong one is refused and asked again, the right
// one opens the file, and neither is echoed into the dialogue.
func TestCertificatePasswordAccessible(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	chain := testpki.STISC(c.Now(), testpki.LeafTemplate("portal.example.md", c.Now()))
	path := filepath.Join(t.TempDir(), "system.pfx")
	if err := os.WriteFile(path, chain.PFX(pkcs12.Modern2023, "s3cret-pw"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	in := &oneByte{r: strings.NewReader("1\n" + path + "\nwrong-pw\ns3cret-pw\ny\n")}
	if err := (Certificate{}).Accessible(context.Background(), c, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), c.T("certstep.password_incorrect")) {
		t.Errorf("a wrong password is not said to be wrong:\n%s", out.String())
	}
	if c.Cert == nil || !c.Cert.HasKey() {
		t.Fatalf("the .pfx was not opened with the right password:\n%s", out.String())
	}
	for _, pw := range []string{"wrong-pw", "s3cret-pw"} {
		if strings.Contains(out.String(), pw) {
			t.Errorf("the dialogue echoes the password %q:\n%s", pw, out.String())
		}
	}
}
