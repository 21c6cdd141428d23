package steps

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// When the connectivity step reached MPass's metadata in this environment,
// the wizard's package holds the IdP signing certificate from it; without a
// connectivity run in this session it is written without one (and no server
// is asked while the package is written).
func TestPackageHoldsTheIdPCertificateTheChecksReached(t *testing.T) {
	idp := testpki.CA("MPass IdP Signing", "Test PKI", nil, time.Now()).Cert
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		fmt.Fprint(w, `<EntityDescriptor entityID="idp"><IDPSSODescriptor><KeyDescriptor use="signing"><KeyInfo><X509Data><X509Certificate>`+
			base64.StdEncoding.EncodeToString(idp.Raw)+`</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`)
	}))
	defer srv.Close()

	prepare := func() *Context {
		c := newContext()
		a, err := export.LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
		if err != nil {
			t.Fatal(err)
		}
		*c.Answers = *a
		c.Answers.Services = []string{"mpass"}
		c.Data = localData(t, srv.URL)
		c.CheckTimeout = time.Second
		c.Cert = &cert.Loaded{Leaf: testpki.STISC(c.Now(), nil).Leaf.Cert}
		c.Answers.Certificate = export.NewCertificate(c.Cert)
		c.OutDir = t.TempDir()
		return c
	}
	write := func(c *Context) *export.Result {
		t.Helper()
		st := start(t, c, Package{})
		st.keys("enter")
		st.d.WaitFor(func() bool { return c.Package != nil }, 10*time.Second)
		if c.Package == nil {
			t.Fatalf("no package written:\n%s", st.view())
		}
		return c.Package
	}
	idpFile := func(res *export.Result) string {
		return filepath.Join(res.Dir, "mpass", export.IdPCertificateFile("test"))
	}

	res := write(prepare())
	if _, err := os.Stat(idpFile(res)); !os.IsNotExist(err) || asked.Load() != 0 {
		t.Errorf("without a connectivity run: IdP certificate file %v, %d requests", err, asked.Load())
	}

	c := prepare()
	st := start(t, c, Connectivity{})
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "You may go on") || c.IdP != nil }, 10*time.Second) ||
		!st.d.WaitFor(func() bool { return c.IdP != nil }, 5*time.Second) {
		t.Fatalf("no IdP certificate after the checks:\n%s", st.view())
	}
	res = write(c)
	got, err := os.ReadFile(idpFile(res))
	if err != nil || !bytes.Equal(got, idp.Raw) {
		t.Fatalf("the package's IdP certificate is not the metadata's: %v", err)
	}
}
