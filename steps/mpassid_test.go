package steps

import (
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// The MPass step asks the SAML Issuer, the service root URL by default, and
// proposes as logout URLs those AGE's library serves under the root URL
// (MPassSamlDefaults.cs: /mpass-slo, /mpass-logout).
func TestMPassIssuerAndLibraryLogoutURLs(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	st := start(t, c, MPass{})
	st.focus("Service root URL (optional)").sees("The system in SAML", "…/mpass-slo and", "…/mpass-logout")
	st.keys("ftp://portal", "enter")
	st.sees("https") // a root URL MPass could not reach is refused
	st.keys("ctrl+u", "https://localhost:5001/", "enter")
	st.focus("SAML Issuer (entityID)").sees("https://localhost:5001") // the default, shown as placeholder
	st.keys("not a uri", "enter")
	st.sees("not a URI")
	st.keys("ctrl+u", "enter")
	st.focus("Test: URL that receives LogoutRequest").sees("https://localhost:5001/mpass-slo", "https://localhost:5001/mpass-logout")
	if c.Answers.MPass.Issuer != "https://localhost:5001" {
		t.Errorf("issuer %q, want the root URL", c.Answers.MPass.Issuer)
	}
	st.keys("enter", "enter")
	st.focus("Production URLs").keys("down", "enter")
	st.focus("Standard attributes").keys("enter")
	st.focus("Custom attributes (optional)").keys("tab")
	st.wantDone(true)
	if u := c.Answers.MPass.Test; u == nil || u.Request != "https://localhost:5001/mpass-slo" || u.Response != "https://localhost:5001/mpass-logout" {
		t.Errorf("test logout URLs %+v", u)
	}
	if root := export.ServiceRoot(c.Answers); root != "https://localhost:5001" {
		t.Errorf("service root from the answers %q", root)
	}

	// Coming back with another root URL moves the proposed URLs along; an
	// Issuer typed is kept as typed.
	st = start(t, c, MPass{})
	st.focus("Service root URL (optional)").keys("ctrl+u", "https://test.portal.md", "enter")
	st.focus("SAML Issuer (entityID)").keys("ctrl+u", "urn:md:portal", "enter")
	st.focus("Test: URL that receives LogoutRequest").sees("https://test.portal.md/mpass-slo", "https://test.portal.md/mpass-logout")
	if strings.Contains(st.view(), "localhost:5001") {
		t.Errorf("the old proposals stay:\n%s", st.view())
	}
	if c.Answers.MPass.Issuer != "urn:md:portal" {
		t.Errorf("issuer %q", c.Answers.MPass.Issuer)
	}
}

// URLs the user typed are never replaced by proposals.
func TestMPassKeepsTypedLogoutURLs(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Answers.MPass.LogoutRequestURL = "https://portal.example.md/saml/slo"
	c.Answers.MPass.LogoutResponseURL = "https://portal.example.md/saml/done"
	st := start(t, c, MPass{})
	st.focus("Service root URL (optional)").keys("enter", "enter")
	st.focus("Test: URL that receives LogoutRequest").sees("https://portal.example.md/saml/slo", "https://portal.example.md/saml/done")
	if strings.Contains(st.view(), "mpass-slo") {
		t.Errorf("a typed URL was replaced:\n%s", st.view())
	}
	if c.Answers.MPass.Issuer != "https://portal.example.md" {
		t.Errorf("issuer %q", c.Answers.MPass.Issuer)
	}
}

// The review shows the Issuer, escaped.
func TestReviewShowsTheIssuer(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Answers.MPass.Issuer = "urn:" + testpki.Hostile
	var got []string
	MPass{}.Section(c, func(label, value string) { got = append(got, label+"="+value) })
	want := `SAML Issuer (entityID)=urn:\x1b]0;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`
	if !strings.Contains(strings.Join(got, "\n"), want) {
		t.Errorf("section %q lacks %q", got, want)
	}
}
