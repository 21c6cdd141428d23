package export

import (
	"encoding/json"
	"slices"
	"testing"
)

// The keys AGE's libraries read, as their public source spells them:
//   - Egov.Extensions.Configuration, src/Egov.Extensions.Configuration/
//     SystemCertificateOptions.cs: Path, Password (section "Certificate" in
//     both libraries' src/Test/Program.cs);
//   - Egov.Integrations.MPass.Saml, src/Egov.Integrations.MPass.Saml/
//     MPassSamlOptions.cs: SamlRequestIssuer, IdentityProviderCertificatePath,
//     SamlLoginDestination, SamlLogoutDestination, ServiceRootUrl,
//     LogoutRequestPath, LogoutResponsePath (section "MPassSaml");
//   - Egov.Integrations.MSign.Soap, src/Egov.Integrations.MSign.Soap/
//     MSignSoapOptions.cs: ApiAddress, FrontendAddress, ServiceRootUrl
//     (section "MSignSoap").
var libraryKeys = map[string][]string{
	"Certificate": {"Path", "Password"},
	"MPassSaml": {"SamlRequestIssuer", "IdentityProviderCertificatePath", "SamlLoginDestination",
		"SamlLogoutDestination", "ServiceRootUrl", "LogoutRequestPath", "LogoutResponsePath"},
	"MSignSoap": {"ApiAddress", "FrontendAddress", "ServiceRootUrl"},
}

func TestAppSettingsUseTheLibrariesKeys(t *testing.T) {
	a := metadataAnswers(t)
	a.Services = []string{"mpass", "msign"}
	a.MPass.Test.Request = "https://autorizatii.primaria-exemplu.md/auth/slo"
	b := AppSettings(a, nil, MetadataOptions{})
	var got map[string]map[string]string
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for section, keys := range got {
		want, ok := libraryKeys[section]
		if !ok {
			t.Errorf("section %q is read by none of the libraries", section)
		}
		for k := range keys {
			if !slices.Contains(want, k) {
				t.Errorf("%s:%s is not a key the library reads", section, k)
			}
		}
	}
	m, s := got["MPassSaml"], got["MSignSoap"]
	for _, c := range [][2]string{
		{m["SamlRequestIssuer"], "https://autorizatii.primaria-exemplu.md"},
		{m["SamlLoginDestination"], "https://mpass.staging.egov.md/login/saml"},
		{m["SamlLogoutDestination"], "https://mpass.staging.egov.md/logout/saml"},
		{m["ServiceRootUrl"], "https://autorizatii.primaria-exemplu.md"},
		{m["LogoutRequestPath"], "/auth/slo"},
		{m["IdentityProviderCertificatePath"], "mpass-idp-test.cer"},
		{s["ApiAddress"], "https://msign.staging.egov.md:8443/MSign.svc"},
		{s["FrontendAddress"], "https://msign.staging.egov.md"},
	} {
		if c[0] != c[1] {
			t.Errorf("got %q, want %q\n%s", c[0], c[1], b)
		}
	}
	if _, ok := m["LogoutResponsePath"]; ok {
		t.Error("the library's default LogoutResponsePath is repeated")
	}
	if got["Certificate"]["Password"] != PlaceholderPassword {
		t.Error("the password is not a placeholder")
	}
}

func TestAppSettingsForProductionAndWithoutMPass(t *testing.T) {
	a := metadataAnswers(t)
	a.Env = "production"
	a.Services = []string{"msign"}
	var got map[string]map[string]string
	if err := json.Unmarshal(AppSettings(a, nil, MetadataOptions{ServiceRoot: "https://x.example.md/"}), &got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["MPassSaml"]; ok {
		t.Error("an MPass section without MPass")
	}
	if got["MSignSoap"]["ApiAddress"] != "https://msign.gov.md:8443/MSign.svc" || got["MSignSoap"]["ServiceRootUrl"] != "https://x.example.md" {
		t.Errorf("%v", got["MSignSoap"])
	}
	a.Services = []string{"mpower"}
	if b := AppSettings(a, nil, MetadataOptions{}); b != nil {
		t.Errorf("configuration for MPower alone: %s", b)
	}
}
