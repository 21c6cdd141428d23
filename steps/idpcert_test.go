package steps

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// When the connectivity step reached MPass's metadata in this environment,
// the wizard's package holds the IdP signing certificate from it; without
// that result it is written without one (and asks no server).
func TestPackageHoldsTheIdPCertificateTheChecksReached(t *testing.T) {
	c := newContext()
	idp := testpki.STISC(c.Now(), testpki.LeafTemplate("mpass.idp.test", c.Now())).Leaf.Cert
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		fmt.Fprint(w, `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="idp"><IDPSSODescriptor>`+
			`<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>`+
			base64.StdEncoding.EncodeToString(idp.Raw)+`</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`)
	}))
	defer srv.Close()

	write := func(results []export.ConnectivityResult) *export.Result {
		t.Helper()
		c := newContext()
		a, err := export.LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
		if err != nil {
			t.Fatal(err)
		}
		*c.Answers = *a
		c.Data = localData(t, srv.URL)
		c.Answers.Connectivity = results
		c.Cert = &cert.Loaded{Leaf: testpki.STISC(c.Now(), nil).Leaf.Cert}
		c.Answers.Certificate = export.NewCertificate(c.Cert)
		c.OutDir = t.TempDir()
		st := start(t, c, Package{})
		st.keys("enter")
		st.d.WaitFor(func() bool { return c.Package != nil }, 10*time.Second)
		if c.Package == nil {
			t.Fatalf("no package written:\n%s", st.view())
		}
		return c.Package
	}

	res := write(nil)
	if _, err := os.Stat(filepath.Join(res.Dir, "mpass", export.IdPCertificateFile("test"))); !os.IsNotExist(err) || asked.Load() != 0 {
		t.Errorf("without a reached IdP: certificate file %v, %d requests", err, asked.Load())
	}

	res = write([]export.ConnectivityResult{{ID: netcheck.StepIdP, Service: "mpass", Env: "test", Target: srv.URL, Severity: checks.Pass}})
	got, err := os.ReadFile(filepath.Join(res.Dir, "mpass", export.IdPCertificateFile("test")))
	if err != nil || asked.Load() != 1 {
		t.Fatalf("IdP certificate in the package: %v (%d requests)", err, asked.Load())
	}
	if !bytes.Equal(got, idp.Raw) {
		t.Errorf("the package's IdP certificate is not the one the metadata holds")
	}
}
