package export

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// idpServer serves body at every path on 127.0.0.1 with status.
func idpServer(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func idpMetadata(der []byte) string {
	return `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="idp"><IDPSSODescriptor>` +
		`<KeyDescriptor use="encryption"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>AAAA</X509Certificate></X509Data></KeyInfo></KeyDescriptor>` +
		`<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` +
		base64.StdEncoding.EncodeToString(der) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`
}

func TestFetchIdPCertificate(t *testing.T) {
	idp := testpki.CA("MPass Test IdP", "AGE", nil, buildNow)
	url := idpServer(t, http.StatusOK, idpMetadata(idp.Cert.Raw))
	c, err := FetchIdPCertificate(t.Context(), nil, url+"/meta/saml")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Equal(idp.Cert) {
		t.Errorf("got %s, want the signing certificate", c.Subject)
	}
	note := string(IdPCertificateNote(c, "test", url+"/meta/saml"))
	if !strings.Contains(note, "SHA-256: "+cert.Fingerprint(idp.Cert)) {
		t.Errorf("the note lacks the fingerprint:\n%s", note)
	}
}

func TestFetchIdPCertificateRefusals(t *testing.T) {
	big := strings.Repeat("<a>", MaxIdPMetadata)
	for name, tc := range map[string]struct {
		status int
		body   string
		key    string
	}{
		"status":   {http.StatusNotFound, "nope", "mpass.idp.status"},
		"html":     {http.StatusOK, "<html>\x1b[31m</html>", "mpass.idp.unparsable"},
		"too big":  {http.StatusOK, big, "mpass.idp.unparsable"},
		"no certs": {http.StatusOK, `<EntityDescriptor entityID="x"><IDPSSODescriptor></IDPSSODescriptor></EntityDescriptor>`, "mpass.idp.no_cert"},
	} {
		url := idpServer(t, tc.status, tc.body)
		_, err := FetchIdPCertificate(t.Context(), nil, url)
		var p *checks.Problem
		if !errors.As(err, &p) || p.Text.Key != tc.key {
			t.Errorf("%s: %v, want %s", name, err, tc.key)
		}
		if err != nil && strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%s: a terminal escape in the message", name)
		}
	}
}

// A package built with the IdP certificate holds it and its fingerprint.
func TestPackageHoldsTheIdPCertificate(t *testing.T) {
	idp := testpki.CA("MPass Test IdP", "AGE", nil, buildNow)
	a := exampleAnswers(t)
	res, err := buildAt(t.TempDir(), Input{Answers: a, Cert: bare(goldenLeaf(t)), Now: buildNow, IdPCert: idp.Cert}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	der, err := os.ReadFile(filepath.Join(res.Dir, "mpass", IdPCertificateFile("test")))
	if err != nil || !bytes.Equal(der, idp.Cert.Raw) {
		t.Fatalf("the IdP certificate: %v", err)
	}
	note, _ := os.ReadFile(filepath.Join(res.Dir, "mpass", "mpass-idp-test.txt"))
	if !bytes.Contains(note, []byte(cert.Fingerprint(idp.Cert))) || !bytes.Contains(note, []byte(assets.Embedded().Services["mpass"].URL("test", "metadata"))) {
		t.Errorf("the note:\n%s", note)
	}
}
