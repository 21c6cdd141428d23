package assets

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Fees, MPower endpoints and the RSI come from AGE's pages:
// docs/platforms/index.md, docs/guides/mpower/security.md, docs/platforms/procedure.md.
func TestEmbeddedRegistrationFacts(t *testing.T) {
	d := Embedded()
	for id, want := range map[string]string{"mpass": "10.800 lei", "msign": "15.200 lei", "mpower": "0 lei"} {
		if s, _ := d.Service(id); Lei(s.AnnualFee) != want {
			t.Errorf("%s annual fee %s, want %s", id, Lei(s.AnnualFee), want)
		}
	}
	want := []string{"/api/Authorization/check/Code-True-One", "/api/Authorization/check/Code-Details-One",
		"/api/Authorization/check/TypeCode-Valid-One", "/api/Authorization/check/Idn-Details-List", "/api/Authorization/file"}
	if !slices.Equal(d.MPower.Endpoints, want) {
		t.Errorf("MPower endpoints %v", d.MPower.Endpoints)
	}
	if d.RSI != "https://rsi.gov.md" {
		t.Errorf("RSI %q", d.RSI)
	}
	if got := Lei(1000000); got != "1.000.000 lei" {
		t.Errorf("Lei(1000000) = %q", got)
	}
}

func TestEmbeddedFacts(t *testing.T) {
	d := Embedded()
	want := map[string]struct{ mailbox, test, prod string }{
		"mpass":  {"support.mpass@egov.md", "https://mpass.staging.egov.md/meta/saml", "https://mpass.gov.md/meta/saml"},
		"msign":  {"support.msign@egov.md", "https://msign.staging.egov.md:8443/MSign.svc?singleWsdl", "https://msign.gov.md:8443/MSign.svc?singleWsdl"},
		"mpower": {"suport.mpower@egov.md", "https://mpower.staging.egov.md:8443/clients-api/swagger/index.html", "https://mpower.gov.md:8443/clients-api/swagger/index.html"},
	}
	for id, w := range want {
		s, ok := d.Service(id)
		if !ok {
			t.Fatalf("no service %s", id)
		}
		if s.Mailbox != w.mailbox {
			t.Errorf("%s mailbox %q, want %q", id, s.Mailbox, w.mailbox)
		}
		if got := s.URL(EnvTest, "probe"); got != w.test {
			t.Errorf("%s test probe %q, want %q", id, got, w.test)
		}
		if got := s.URL(EnvProduction, "probe"); got != w.prod {
			t.Errorf("%s production probe %q, want %q", id, got, w.prod)
		}
	}
	mpass, _ := d.Service("mpass")
	if got := mpass.URL(EnvTest, "slo"); got != "https://mpass.staging.egov.md/logout/saml" {
		t.Errorf("MPass SLO %q", got)
	}
	if d.Mailboxes.Office != "office@egov.md" || d.Mailboxes.Registrations != "servicii@egov.md" {
		t.Errorf("mailboxes %+v", d.Mailboxes)
	}
	if len(d.MPass.Attributes) != 13 || !slices.Contains(d.MPass.Attributes, "AdministeredLegalEntity") {
		t.Errorf("MPass attributes %v", d.MPass.Attributes)
	}
	if ids := []string{d.Ordered()[0].ID, d.Ordered()[1].ID, d.Ordered()[2].ID}; !slices.Equal(ids, []string{"mpass", "msign", "mpower"}) {
		t.Errorf("order %v", ids)
	}
}

func TestOverrideMergesKeyByKey(t *testing.T) {
	f := filepath.Join(t.TempDir(), "over.yaml")
	os.WriteFile(f, []byte("services:\n  msign:\n    mailbox: msign@example.md\nmailboxes:\n  office: cancelarie@example.md\n"), 0o600)
	d, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := d.Service("msign")
	if s.Mailbox != "msign@example.md" {
		t.Errorf("mailbox not overridden: %q", s.Mailbox)
	}
	if s.URL(EnvTest, "probe") != "https://msign.staging.egov.md:8443/MSign.svc?singleWsdl" {
		t.Errorf("override lost the endpoints: %q", s.URL(EnvTest, "probe"))
	}
	if d.Mailboxes.Office != "cancelarie@example.md" || d.Mailboxes.Registrations != "servicii@egov.md" {
		t.Errorf("mailboxes %+v", d.Mailboxes)
	}
	if Embedded().Mailboxes.Office != "office@egov.md" {
		t.Error("the override changed the embedded data")
	}
}

func TestOverrideRefusesBadData(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"notyaml.yaml": "services: [",
		"http.yaml":    "services:\n  mpass:\n    env:\n      test:\n        base: http://mpass.example\n",
	} {
		f := filepath.Join(dir, name)
		os.WriteFile(f, []byte(body), 0o600)
		if _, err := Load(f); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("a missing file was accepted")
	}
}
