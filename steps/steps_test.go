package steps

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/ui/drive"
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
	st.wantDone(true)
	if c.Answers.Env != "production" || !c.Answers.TestingDone {
		t.Errorf("env %q, testing done %v", c.Answers.Env, c.Answers.TestingDone)
	}
}

func TestOrganizationStep(t *testing.T) {
	c := newContext()
	st := start(t, c, Organization{})
	st.keys("Agenția de Guvernare Electronică", "enter", "1024 6000 42428", "enter")
	st.sees("This is not a valid IDNO: the last digit should be 7, not 8.")
	st.keys("backspace", "7", "enter", "Ion Popescu", "enter", "ion@example", "enter")
	st.sees("The domain “example” is not complete")
	st.keys(".md", "enter", "+373 22 820 000", "enter")
	st.sees("The information system", "Information system name")
	st.keys("Registrul autorizațiilor", "enter", "Evidența autorizațiilor emise", "enter", "Lansare în martie.", "tab")
	st.wantDone(true)
	o := c.Answers.Organization
	if o.IDNO != "1024600042427" || o.ContactEmail != "ion@example.md" || c.Answers.System.Other != "Lansare în martie." {
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

func TestMPassStep(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"mpass"}
	c.Answers.Env = "production"
	st := start(t, c, MPass{})
	st.keys("https://localhost:5001/logout", "enter")
	st.sees("localhost points to the machine itself: it is accepted for the test environment only.")
	st.keys("ctrl+u", "https://portal.example.md/saml/logout", "enter", "enter")
	st.sees("Standard attributes", "NameIdentifier (always returned)")
	st.keys("down", "space", "enter", "Role, Department", "enter")
	st.wantDone(true)
	m := c.Answers.MPass
	if m.LogoutResponseURL != m.LogoutRequestURL || m.LogoutRequestURL != "https://portal.example.md/saml/logout" {
		t.Errorf("logout URLs: %+v", m)
	}
	if want := []string{"NameIdentifier", "IsResident", "FirstName", "LastName", "Role", "Department"}; !slices.Equal(m.Attributes, want) {
		t.Errorf("attributes %v, want %v", m.Attributes, want)
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
