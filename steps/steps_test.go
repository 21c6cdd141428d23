package steps

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/drive"
)

// screenTest drives one step's screen the way a user would.
type screenTest struct {
	t *testing.T
	c *Context
	s Screen
	d *drive.Driver
}

func newContext() *Context {
	a := export.NewAnswers()
	return &Context{
		Answers:    a,
		Data:       assets.Embedded(),
		Lang:       "en",
		Now:        func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) },
		Interfaces: func() []string { return nil },
	}
}

func start(t *testing.T, c *Context, step Step) *screenTest {
	t.Helper()
	st := &screenTest{t: t, c: c, s: step.Screen(c)}
	st.s.SetSize(90, 40)
	st.d = drive.New(func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		st.s, cmd = st.s.Update(msg)
		return cmd
	}, func(msg tea.Msg) bool {
		switch msg.(type) {
		case DoneMsg, BackMsg, GotoMsg, FinishMsg:
			return true
		}
		return false
	})
	st.d.Run(st.s.Init())
	return st
}

func (st *screenTest) keys(k ...string) *screenTest { st.d.Keys(k...); return st }

// view is the screen as plain text.
func (st *screenTest) view() string { return ansi.Strip(st.s.View()) }

func (st *screenTest) sees(texts ...string) {
	st.t.Helper()
	v := st.view()
	for _, text := range texts {
		if !strings.Contains(v, text) {
			st.t.Errorf("screen does not show %q:\n%s", text, v)
		}
	}
}

// focus waits until the field titled title has the focus (its title line is
// marked ┃), as a person looks before pressing arrow keys.
func (st *screenTest) focus(title string) *screenTest {
	st.t.Helper()
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "┃ "+title) }, 3*time.Second) {
		st.t.Fatalf("the field %q never got the focus:\n%s", title, st.view())
	}
	return st
}

func (st *screenTest) done() bool {
	for _, m := range st.d.Out {
		if _, ok := m.(DoneMsg); ok {
			return true
		}
	}
	return false
}

func (st *screenTest) wantDone(want bool) {
	st.t.Helper()
	if want {
		// The step ends through a command; under the race detector on a busy
		// machine it can take longer than the driver's quiet period.
		st.d.WaitFor(st.done, 10*time.Second)
	}
	if st.done() != want {
		st.t.Fatalf("step finished: %v, want %v; screen:\n%s", st.done(), want, st.view())
	}
}

func TestServicesStep(t *testing.T) {
	c := newContext()
	st := start(t, c, Services{})
	st.sees("Which platforms will the system use?", "MPass — sign-in (SAML)", "MSign — electronic signature", "MPower — powers of representation")
	// Nothing chosen: the step does not end and says why.
	st.keys("enter", "enter")
	st.wantDone(false)
	st.sees("Choose at least one platform.")
	// MSign then MPass (the answers keep the platforms' order), test.
	st.keys("down", "space", "up", "space", "enter", "enter")
	st.wantDone(true)
	if !slices.Equal(c.Answers.Services, []string{"mpass", "msign"}) || c.Answers.Env != "test" {
		t.Errorf("answers: %v %q", c.Answers.Services, c.Answers.Env)
	}
}

func TestServicesProductionNeedsTesting(t *testing.T) {
	c := newContext()
	st := start(t, c, Services{})
	st.keys("space", "enter", "down", "enter")
	st.sees("Is the integration tested on the test environment?")
	st.keys("enter") // No, as the answers say so far
	st.wantDone(false)
	st.sees("Register for the test environment and finish testing first")
	st.keys("left", "enter") // Yes
	// The production e-mails say when testing ended (mpass/process2.md step 8).
	st.focus("Day testing was finished").sees("2026-11-22")
	st.keys("2026-11-23", "enter")
	st.wantDone(false)
	st.sees("2026-11-23 is after today (2026-11-22)")
	st.keys("backspace", "backspace", "backspace", "backspace", "backspace", "10-30", "enter")
	st.wantDone(true)
	if c.Answers.Env != "production" || !c.Answers.TestingDone || c.Answers.TestedOn != "2026-10-30" {
		t.Errorf("env %q, testing done %v on %q", c.Answers.Env, c.Answers.TestingDone, c.Answers.TestedOn)
	}
}

func TestOrganizationStep(t *testing.T) {
	c := newContext()
	st := start(t, c, Organization{})
	st.keys("Agenția de Guvernare Electronică", "enter", "1024 6000 42428", "enter")
	st.sees("This is not a valid IDNO: its check digit does not match.")
	st.keys("backspace", "7", "enter", "Ion Popescu", "enter", "ion@example", "enter")
	st.sees("The domain “example” is not complete")
	st.keys(".md", "enter", "+373 22 820 000", "enter")
	// Who the beneficiary is, and what follows from it (platforms/procedure.md, platforms/index.md).
	st.sees("Beneficiary type", "Public institution", "Private legal entity", "Natural person",
		"(RSI, https://rsi.gov.md)", "MPass 10.800\u00a0lei, MSign 15.200\u00a0lei")
	st.focus("Beneficiary type").keys("down", "enter")
	st.focus("Information system name").sees("The information system")
	st.keys("Registrul autorizațiilor", "enter", "Evidența autorizațiilor emise", "enter", "Lansare în martie.", "tab")
	st.wantDone(true)
	o := c.Answers.Organization
	if o.Type != "private" || o.IDNO != "1024600042427" || o.ContactEmail != "ion@example.md" || c.Answers.System.Other != "Lansare în martie." {
		t.Errorf("answers: %+v %+v", o, c.Answers.System)
	}
}

func TestNamesStepOffersCommaBelow(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		ro   string
	}{
		{[]string{"enter"}, "Registrul autorizațiilor și avizelor"},          // fix it (the default)
		{[]string{"right", "enter"}, "Registrul autorizaţiilor şi avizelor"}, // keep as typed
	} {
		c := newContext()
		st := start(t, c, Names{})
		st.keys("Registrul autorizaţiilor şi avizelor", "enter", "Registry", "enter")
		st.sees("The Russian name is written in Cyrillic; this one has none.")
		st.keys("ctrl+u", "Реестр разрешений", "enter", "Реестр", "enter")
		st.sees("The English name is in Latin letters; this one has Cyrillic.")
		st.keys("ctrl+u", "Registry of permits", "enter", "Permite depunerea cererilor. Și plata taxelor.", "enter")
		st.sees("Describe the service in one sentence; this reads as 2 sentences.")
		st.keys("ctrl+u", "Permite depunerea online a cererilor.", "enter")
		st.sees("Write ș and ț with a comma below?", "Registrul autorizațiilor și avizelor")
		st.keys(tc.keys...)
		st.wantDone(true)
		if c.Answers.Service.RO != tc.ro || c.Answers.Service.RU != "Реестр разрешений" {
			t.Errorf("answers: %+v", c.Answers.Service)
		}
	}
}

func TestNetworkStepAsksVPNForPrivateAddresses(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"msign"}
	c.Interfaces = func() []string { return []string{"192.168.1.20", "127.0.0.1", "fe80::1"} }
	st := start(t, c, Network{})
	// Only usable addresses are offered.
	st.sees("Addresses found on this machine", "192.168.1.20 — private, reached through a VPN")
	if strings.Contains(st.view(), "127.0.0.1") {
		t.Error("loopback offered")
	}
	st.keys("space", "enter")
	st.sees("IP addresses AGE must allow", "192.168.1.20")
	st.keys("enter", "127.0.0.1", "tab")
	st.sees("127.0.0.1 is a loopback address")
	for range "127.0.0.1" {
		st.keys("backspace")
	}
	st.keys("193.226.0.10", "enter", "::ffff:193.226.0.10", "tab")
	st.sees("VPN for 192.168.1.20", "This is a private (RFC 1918) address.")
	st.keys("enter")
	st.sees("192.168.1.20 is a private (RFC 1918) address: AGE can reach it only through a VPN.")
	st.keys("VPN-AGE", "enter")
	st.sees("Who signs with MSign?", "Both natural and legal persons")
	st.keys("down", "enter")
	st.wantDone(true)
	want := []export.IPAddress{{Address: "192.168.1.20", VPN: "VPN-AGE"}, {Address: "193.226.0.10"}}
	if !slices.Equal(c.Answers.Network.IPs, want) || c.Answers.Network.SignerType != "legal" {
		t.Errorf("answers: %+v", c.Answers.Network)
	}
}

// Both environments' logout URLs are asked at once (mpass/process2.md
// step 3); custom attributes come apart, with their values.
func TestMPassStep(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	st := start(t, c, MPass{})
	st.focus("Service root URL (optional)").keys("enter")
	st.focus("SAML Issuer (entityID)").keys("https://portal.example.md", "enter")
	st.focus("Test: URL that receives LogoutRequest").sees("Single logout — test environment")
	st.keys("https://localhost:5001/logout", "enter", "enter")
	st.focus("Production URLs").sees("Give them now", "Later")
	st.keys("enter")
	st.focus("Production: URL that receives LogoutRequest").sees("Single logout — production environment")
	st.keys("https://localhost/logout", "enter")
	st.sees("localhost points to the machine itself: it is accepted for the test environment only.")
	st.keys("ctrl+u", "https://portal.example.md/saml/logout", "enter", "https://portal.example.md/saml/logout-done", "enter")
	st.focus("Standard attributes").sees("NameIdentifier (always returned)")
	st.keys("down", "space", "enter")
	st.focus("Custom attributes (optional)").keys("Role", "tab")
	st.wantDone(false)
	st.sees("List the values Role may take after a colon")
	st.keys(": admin, operator", "enter", "Department: Finanțe", "tab")
	st.wantDone(true)
	m := c.Answers.MPass
	if m.LogoutRequestURL != "https://localhost:5001/logout" || m.LogoutResponseURL != m.LogoutRequestURL {
		t.Errorf("test logout URLs: %+v", m)
	}
	if m.Test == nil || m.Test.Request != "https://localhost:5001/logout" || m.Production == nil ||
		m.Production.Request != "https://portal.example.md/saml/logout" || m.Production.Response != "https://portal.example.md/saml/logout-done" || m.ProductionLater {
		t.Errorf("both environments: test %+v production %+v later %v", m.Test, m.Production, m.ProductionLater)
	}
	if want := []string{"NameIdentifier", "IsResident", "FirstName", "LastName"}; !slices.Equal(m.Attributes, want) {
		t.Errorf("attributes %v, want %v", m.Attributes, want)
	}
	want := []export.CustomAttribute{{Name: "Role", Values: []string{"admin", "operator"}}, {Name: "Department", Values: []string{"Finanțe"}}}
	if len(m.Custom) != 2 || m.Custom[0].Name != "Role" || !slices.Equal(m.Custom[0].Values, want[0].Values) || !slices.Equal(m.Custom[1].Values, want[1].Values) {
		t.Errorf("custom attributes %+v, want %+v", m.Custom, want)
	}
}

// Production URLs are left for later only when the user says so, and only
// while registering for test.
func TestMPassProductionURLsLater(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	st := start(t, c, MPass{})
	st.focus("Service root URL (optional)").keys("enter", "urn:example:portal", "enter")
	st.focus("Test: URL that receives LogoutRequest").keys("https://localhost:5001/logout", "enter", "enter")
	st.focus("Production URLs").keys("down", "enter")
	st.focus("Standard attributes").keys("enter")
	st.focus("Custom attributes (optional)").keys("tab")
	st.wantDone(true)
	if m := c.Answers.MPass; !m.ProductionLater || m.Production != nil || m.Test == nil {
		t.Errorf("later: %+v", m)
	}

	c = newContext()
	c.Answers.Services = []string{"mpass"}
	c.Answers.Env = "production"
	c.Answers.MPass.ProductionLater = true
	st = start(t, c, MPass{})
	st.focus("Service root URL (optional)").keys("enter", "urn:example:portal", "enter")
	st.focus("Test: URL that receives LogoutRequest").keys("https://localhost:5001/logout", "enter", "enter")
	st.focus("Production: URL that receives LogoutRequest")
	if strings.Contains(st.view(), "Production URLs") {
		t.Error("production registration offered to give its URLs later")
	}
	st.keys("https://portal.example.md/logout", "enter", "enter")
	st.focus("Standard attributes").keys("enter")
	st.focus("Custom attributes (optional)").keys("tab")
	st.wantDone(true)
	if m := c.Answers.MPass; m.ProductionLater || m.LogoutRequestURL != "https://portal.example.md/logout" {
		t.Errorf("production: %+v", m)
	}
}

// Older answers kept custom attribute names among the standard ones: they
// come back in the custom field, where their values are asked.
func TestMPassOldCustomAttributesMoveApart(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Answers.MPass = export.MPass{LogoutRequestURL: "https://a.example.md/logout", LogoutResponseURL: "https://a.example.md/logout",
		Attributes: []string{"NameIdentifier", "FirstName", "Role"}}
	st := start(t, c, MPass{})
	st.focus("Service root URL (optional)").keys("enter", "enter")
	st.focus("Test: URL that receives LogoutRequest").keys("enter", "enter")
	st.focus("Production URLs").keys("down", "enter")
	st.focus("Standard attributes").keys("enter")
	st.focus("Custom attributes (optional)").sees("Role:")
	st.keys("tab")
	st.sees("List the values Role may take")
	st.keys(" admin", "tab")
	st.wantDone(true)
	if m := c.Answers.MPass; len(m.Custom) != 1 || m.Custom[0].Values[0] != "admin" || slices.Contains(m.Attributes, "Role") || m.Test.Request != "https://a.example.md/logout" {
		t.Errorf("answers: %+v", m)
	}
}

// MPower: endpoints and ViewAllAuthorizations (mpower/security.md); without
// MPass, the MPass registration is asked and its absence warned about
// (mpower/integration-development.md).
func TestMPowerStep(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpower"}
	st := start(t, c, MPower{})
	st.sees("Is the system already registered in MPass?", "Code-True-One — /api/Authorization/check/Code-True-One",
		"Idn-Details-List", "ViewAllAuthorizations")
	st.focus("Is the system already registered in MPass?").keys("right", "enter") // not registered
	st.focus("API methods the system calls").keys("enter")                        // no endpoint chosen
	st.focus("Does the system need").keys("enter")                                // ViewAllAuthorizations: no
	st.wantDone(false)
	st.sees("Choose at least one MPower API method the system calls")
	st.focus("Is the system already registered in MPass?").keys("enter")
	st.focus("API methods the system calls").keys("space", "down", "down", "down", "down", "space", "enter")
	st.focus("Does the system need").keys("left", "enter")
	st.sees("The system is not registered in MPass", "MPower accepts only systems registered in MPass")
	st.focus("Prepare the MPower request anyway?").keys("right", "enter")
	st.wantDone(false)
	st.sees("Register the system in MPass first")
	st.focus("Prepare the MPower request anyway?").keys("left", "enter")
	st.wantDone(true)
	m := c.Answers.MPower
	if want := []string{"/api/Authorization/check/Code-True-One", "/api/Authorization/file"}; !slices.Equal(m.Endpoints, want) || !m.ViewAllAuthorizations || m.MPassRegistered {
		t.Errorf("answers: %+v", m)
	}
	if !c.Answers.NeedsMPassFirst() {
		t.Error("no warning kept for the package")
	}

	// With MPass in the same request: said, not asked.
	c = newContext()
	c.Answers.Services = []string{"mpass", "mpower"}
	st = start(t, c, MPower{})
	st.sees("MPower serves only systems registered in MPass", "This request registers the system in MPass as well")
	if strings.Contains(st.view(), "already registered in MPass?") {
		t.Error("asks about MPass though MPass is requested")
	}
	st.focus("API methods the system calls").keys("space", "enter")
	st.focus("Does the system need").keys("enter")
	st.wantDone(true)
}

// A certificate AGE already has is named by its serial: typed and checked,
// or picked from the registrations saved for this environment
// (mpass/process2.md steps 4 and 8).
func TestCertificateBySerial(t *testing.T) {
	c := newContext()
	st := start(t, c, Certificate{})
	st.sees("How does AGE get the certificate?", "I send the certificate file (.cer)", "AGE already has it for this system on the test environment")
	st.focus("How does AGE get the certificate?").keys("down", "enter")
	st.focus("Serial number of the registered certificate").keys("4f:00 zz", "enter")
	st.wantDone(false)
	st.sees("“z” at position 5 is not a hexadecimal digit")
	st.keys("backspace", "backspace", "a1", "enter")
	st.wantDone(true)
	if ac := c.Answers.Certificate; ac == nil || !ac.SerialOnly || ac.SerialHex() != "4F00A1" || ac.SerialDecimal() != "5177505" || len(ac.DER) != 0 {
		t.Errorf("certificate: %+v", ac)
	}

	c = newContext()
	c.Answers.Registered = []export.Registration{
		{Env: "production", SerialHex: "0B0B", Built: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)},
		{Env: "test", SerialHex: "0A0A", Built: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
	}
	st = start(t, c, Certificate{})
	st.focus("How does AGE get the certificate?").keys("down", "enter")
	st.focus("Certificates registered for this system on the test environment").sees("0A0A (package of 2026-04-01)", "Another serial…")
	if strings.Contains(st.view(), "0B0B") {
		t.Error("offers the production certificate for test")
	}
	st.keys("enter")
	st.wantDone(true)
	if ac := c.Answers.Certificate; ac == nil || !ac.SerialOnly || ac.SerialHex() != "0A0A" {
		t.Errorf("certificate: %+v", ac)
	}
}

func TestShiftTabOnFirstFieldGoesBack(t *testing.T) {
	st := start(t, newContext(), Organization{})
	st.keys("shift+tab")
	if len(st.d.Out) != 1 {
		t.Fatalf("out: %v", st.d.Out)
	}
	if _, ok := st.d.Out[0].(BackMsg); !ok {
		t.Errorf("got %T, want BackMsg", st.d.Out[0])
	}
}

func TestReviewBlocksUntilAnswersAreComplete(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"msign"}
	st := start(t, c, Review{})
	st.sees("Enter the IDNO: 13 digits.", "The system's authentication certificate is missing.", "answers need fixing before the package can be written")
	// Enter on the first section with a problem opens that step.
	st.keys("enter")
	if len(st.d.Out) != 1 || st.d.Out[0] != (GotoMsg{ID: "organization"}) {
		t.Fatalf("out: %v", st.d.Out)
	}
}

// The review shows the new answers: the serial-only certificate, both
// environments' logout URLs, custom attributes, MPower and its MPass warning.
func TestReviewShowsRegistrationDetails(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass", "mpower"}
	c.Answers.Env = "production"
	c.Answers.TestingDone, c.Answers.TestedOn = true, "2026-11-02"
	c.Answers.Organization.Type = "person"
	c.Answers.Certificate = export.SerialCertificate("4F00")
	c.Answers.MPass = export.MPass{LogoutRequestURL: "https://p.example.md/logout", LogoutResponseURL: "https://p.example.md/logout",
		Test:       &export.LogoutURLs{Request: "https://localhost/logout", Response: "https://localhost/logout"},
		Production: &export.LogoutURLs{Request: "https://p.example.md/logout", Response: "https://p.example.md/logout"},
		Attributes: []string{"NameIdentifier"}, Custom: []export.CustomAttribute{{Name: "Role", Values: []string{"admin", "operator"}}}}
	c.Answers.MPower = export.MPower{Endpoints: []string{"/api/Authorization/file"}}
	st := start(t, c, Review{})
	st.s.SetSize(100, 200)
	st.sees("2026-11-02", "Natural person", "4F00", "already registered with AGE", "LogoutRequest (test)", "https://localhost/logout",
		"LogoutRequest (production)", "Role", "admin, operator", "file")
	if strings.Contains(st.view(), "The system is not registered in MPass") {
		t.Error("warns about MPass though MPass is requested")
	}
	c.Answers.Services = []string{"mpower"}
	st = start(t, c, Review{})
	st.s.SetSize(100, 200)
	st.sees("The system is not registered in MPass")
}

func TestLanguageOfScreens(t *testing.T) {
	for lang, want := range map[string]string{
		"ro": "Ce platforme va folosi sistemul?",
		"ru": "Какие платформы будет использовать система?",
	} {
		c := newContext()
		c.Lang = lang
		start(t, c, Services{}).sees(want)
	}
}

// With plain prompts (screen readers), the serial is asked the same way.
func TestCertificateBySerialAccessible(t *testing.T) {
	c := newContext()
	var out strings.Builder
	in := &oneByte{r: strings.NewReader("2\nzz\n4f:00\n")}
	if err := (Certificate{}).Accessible(context.Background(), c, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if ac := c.Answers.Certificate; ac == nil || !ac.SerialOnly || ac.SerialHex() != "4F00" {
		t.Errorf("certificate %+v; dialogue:\n%s", ac, out.String())
	}
	for _, want := range []string{"How does AGE get the certificate?", "Serial number of the registered certificate", "“z” at position 1 is not a hexadecimal digit"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dialogue lacks %q:\n%s", want, out.String())
		}
	}
	// Input that ends before a serial is given ends the step with the reason.
	c = newContext()
	err := (Certificate{}).Accessible(context.Background(), c, &oneByte{r: strings.NewReader("2\n")}, io.Discard)
	if err == nil || c.Answers.Certificate != nil {
		t.Errorf("no serial given: err %v, certificate %+v", err, c.Answers.Certificate)
	}
}

// oneByte reads one byte at a time, as typed answers arrive, so no prompt
// reads ahead into the next one's answer.
type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// With plain prompts, which cannot show the text being edited, a field that
// holds an answer names it, and an empty line keeps it — a required field
// included.
func TestAccessibleFieldsShowAndKeepTheirAnswers(t *testing.T) {
	c := newContext()
	a := c.Answers
	a.Organization = export.Organization{Type: export.OrganizationTypes[0], Name: "Primăria Exemplu", IDNO: "1024600042427",
		ContactName: "Ion Popescu", ContactEmail: "ion@example.md", ContactPhone: "+373 22 123 456"}
	a.System = export.System{Name: "Registrul \x1b[31mX", Description: "Eliberează autorizații."}
	want := *a
	var out strings.Builder
	in := &oneByte{r: strings.NewReader(strings.Repeat("\n", 12))}
	if err := (Organization{}).Accessible(context.Background(), c, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if a.Organization != want.Organization || a.System.Name != `Registrul \x1b[31mX` || a.System.Description != want.System.Description {
		t.Errorf("answers changed by empty lines: %+v %+v", a.Organization, a.System)
	}
	for _, s := range []string{"Institution or company name (now: Primăria Exemplu; Enter keeps it)",
		"IDNO (now: 1024600042427; Enter keeps it)", `(now: Registrul \x1b[31mX; Enter keeps it)`} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("dialogue lacks %q:\n%s", s, out.String())
		}
	}
	if strings.Contains(out.String(), "required") || strings.Contains(out.String(), "\x1b[31m") {
		t.Errorf("an empty line was refused, or a control character reached the prompt:\n%s", out.String())
	}
	// A new value still replaces the old one, and is still checked.
	c.Answers.Organization.IDNO = "1024600042427"
	in = &oneByte{r: strings.NewReader("\n12345\n1003600123459\n" + strings.Repeat("\n", 10))}
	out.Reset()
	if err := (Organization{}).Accessible(context.Background(), c, in, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got := c.Answers.Organization.IDNO; got != "1003600123459" {
		t.Errorf("IDNO %q, want the one typed; dialogue:\n%s", got, out.String())
	}
}
