package export

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func metadataAnswers(t *testing.T) *Answers {
	t.Helper()
	a := exampleAnswers(t)
	a.MPass.Issuer = "https://autorizatii.primaria-exemplu.md"
	a.MPass.Test = &LogoutURLs{
		Request:  "https://autorizatii.primaria-exemplu.md/mpass-slo",
		Response: "https://autorizatii.primaria-exemplu.md/mpass-logout",
	}
	return a
}

// The metadata validates against the OASIS SAML 2.0 metadata schema.
func TestSPMetadataValidatesAgainstTheSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint (libxml2-utils) is not installed")
	}
	a := metadataAnswers(t)
	// Outside text with XML's special characters and a terminal escape.
	a.Organization.Name = `Primăria "Exemplu" & <Fiii> ` + "\x1b[31m"
	a.Organization.ContactName = "Ion <Popescu>"
	b, err := SPMetadata(a, goldenLeaf(t), MetadataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sp-metadata.xml")
	os.WriteFile(path, b, 0o644)
	schema := filepath.Join("testdata", "saml-schema", "saml-schema-metadata-2.0.xsd")
	out, err := exec.Command(xmllint, "--nonet", "--noout", "--schema", schema, path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, b)
	}
	if bytes.Contains(b, []byte("\x1b")) {
		t.Error("a terminal escape reached the file")
	}
}

// What the file says parses back: entityID, signing certificate, endpoints.
func TestSPMetadataRoundTrips(t *testing.T) {
	a := metadataAnswers(t)
	a.Organization.Name = `A & B <"Co">`
	leaf := goldenLeaf(t)
	b, err := SPMetadata(a, leaf, MetadataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		EntityID string `xml:"entityID,attr"`
		SP       struct {
			Signed string `xml:"AuthnRequestsSigned,attr"`
			Key    struct {
				Use  string `xml:"use,attr"`
				Cert string `xml:"KeyInfo>X509Data>X509Certificate"`
			} `xml:"KeyDescriptor"`
			SLO struct {
				Binding, Location, ResponseLocation string `xml:",attr"`
			} `xml:"SingleLogoutService"`
			ACS struct {
				Binding, Location string `xml:",attr"`
			} `xml:"AssertionConsumerService"`
			NameIDFormat string
		} `xml:"SPSSODescriptor"`
		Org string `xml:"Organization>OrganizationName"`
	}
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	der, _ := base64.StdEncoding.DecodeString(got.SP.Key.Cert)
	switch {
	case got.EntityID != a.MPass.Issuer:
		t.Errorf("entityID %q", got.EntityID)
	case got.SP.Signed != "true":
		t.Errorf("AuthnRequestsSigned %q", got.SP.Signed)
	case got.SP.Key.Use != "signing" || !bytes.Equal(der, leaf.Raw):
		t.Errorf("signing key %q is not the system certificate", got.SP.Key.Use)
	case got.SP.SLO.Location != a.MPass.Test.Request || got.SP.SLO.ResponseLocation != a.MPass.Test.Response:
		t.Errorf("SLO %+v", got.SP.SLO)
	case got.SP.ACS.Location != "https://autorizatii.primaria-exemplu.md/mpass-login" || !strings.HasSuffix(got.SP.ACS.Binding, "HTTP-POST"):
		t.Errorf("ACS %+v", got.SP.ACS)
	case got.Org != a.Organization.Name:
		t.Errorf("organisation %q", got.Org)
	case !strings.Contains(got.SP.NameIDFormat, "nameid-format"):
		t.Errorf("NameIDFormat %q", got.SP.NameIDFormat)
	}
}

func TestServiceRoot(t *testing.T) {
	for req, want := range map[string]string{
		"https://a.example.md/app/mpass-slo": "https://a.example.md/app",
		"https://a.example.md/saml/logout":   "https://a.example.md",
		"not a url":                          "",
	} {
		a := &Answers{Env: "test", MPass: MPass{Test: &LogoutURLs{Request: req}}}
		if got := ServiceRoot(a); got != want {
			t.Errorf("ServiceRoot(%q) = %q, want %q", req, got, want)
		}
	}
}

func TestSPMetadataRefusesBadIssuer(t *testing.T) {
	for _, iss := range []string{"", "no scheme", "https://a.md/\u202e", "https://a.md/" + strings.Repeat("x", 1100)} {
		a := metadataAnswers(t)
		a.MPass.Issuer = iss
		if _, err := SPMetadata(a, goldenLeaf(t), MetadataOptions{}); err == nil {
			t.Errorf("issuer %q accepted", iss)
		}
	}
}

// An MPass package with an Issuer holds the metadata and the configuration.
func TestPackageHoldsTheMPassKit(t *testing.T) {
	res, leaf := buildExample(t, func(a *Answers) {
		a.MPass.Issuer = "https://autorizatii.primaria-exemplu.md"
		a.MPass.Test = &LogoutURLs{Request: "https://autorizatii.primaria-exemplu.md/mpass-slo",
			Response: "https://autorizatii.primaria-exemplu.md/mpass-logout"}
	})
	md, err := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(SPMetadataFile)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(md, []byte(base64.StdEncoding.EncodeToString(leaf.Raw))) {
		t.Error("the metadata does not carry the system certificate")
	}
	cfg, err := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(AppSettingsFile)))
	if err != nil || !bytes.Contains(cfg, []byte(`"SamlRequestIssuer": "https://autorizatii.primaria-exemplu.md"`)) {
		t.Errorf("%v\n%s", err, cfg)
	}
	sums, _ := os.ReadFile(filepath.Join(res.Dir, "SHA256SUMS"))
	for _, f := range []string{SPMetadataFile, AppSettingsFile} {
		if !bytes.Contains(sums, []byte(f)) {
			t.Errorf("SHA256SUMS lacks %s", f)
		}
	}
}
