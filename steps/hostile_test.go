package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// hostileParts are what a terminal would act on in testpki.Hostile; none may
// reach the screen raw (the screen's own styling sequences are allowed).
var hostileParts = []string{"\x1b]0;", "\x07", "\x1b[2J", "\r", "\b", "\u009b", "\u202e"}

// seesEscaped checks that the raw screen holds none of hostileParts and that
// the plain screen, with its layout spaces and line breaks removed, shows
// each of want.
func (st *screenTest) seesEscaped(want ...string) {
	st.t.Helper()
	raw := st.s.View()
	for _, p := range hostileParts {
		if strings.Contains(raw, p) {
			st.t.Errorf("screen holds raw %q:\n%q", p, raw)
		}
	}
	flat := strings.Join(strings.Fields(st.view()), "")
	for _, w := range want {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), "")) {
			st.t.Errorf("screen does not show %s:\n%s", w, st.view())
		}
	}
}

func TestCertificateCardShowsHostileNamesEscaped(t *testing.T) {
	ch := testpki.HostileChain(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	file := filepath.Join(t.TempDir(), "hostile.pem")
	if err := os.WriteFile(file, testpki.PEM(ch.Leaf.Cert, ch.Intermediate.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := cert.LoadFile(context.Background(), file, "")
	if err != nil {
		t.Fatal(err)
	}
	// The card the certificate step shows once a file is read. (The screen
	// is given the loaded file directly: typing the path runs the file
	// field's completion, which is tested on its own.)
	c := newContext()
	scr := Certificate{}.Screen(c).(*certScreen)
	scr.SetSize(200, 80)
	scr.show(l)
	st := &screenTest{t: t, c: c, s: scr}
	if !strings.Contains(st.view(), "SHA-256") {
		t.Fatalf("no card:\n%s", st.view())
	}
	st.seesEscaped(`CN=CN \x1b]0\;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`,
		`OU=OU \x1b]0\;pwned\x07`,
		`DNS:dns\x1b]0;pwned\x07\x1b[2J\x0d\x08.example.md`,
		`email:mail\x1b]0;pwned\x07`,
		`CN=Inter \x1b]0\;pwned\x07`)
}

func TestReviewShowsHostileAnswersEscaped(t *testing.T) {
	h := testpki.Hostile
	c := newContext()
	a := c.Answers
	a.Services, a.Env = []string{"mpass", "msign"}, "test"
	a.Organization = export.Organization{Name: "Org " + h, IDNO: "1010600034203", ContactName: "Ion " + h,
		ContactEmail: "ion@example.md", ContactPhone: "+373 22 820 000"}
	a.System = export.System{Name: "Sys " + h, Description: "Desc " + h, Other: "one\ntwo " + h}
	a.Network.IPs = []export.IPAddress{{Address: "10.0.0.1", VPN: "VPN " + h}, {Address: "ip" + h}}
	a.Network.SignerType = "x" + h
	a.MPass.Attributes = []string{"Attr" + h}
	a.Certificate = export.NewCertificate(&cert.Loaded{Leaf: testpki.HostileChain(time.Now()).Leaf.Cert})
	st := start(t, c, Review{})
	st.s.SetSize(200, 120)
	esc := `\x1b]0;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`
	st.seesEscaped("Org "+esc, "Ion "+esc, "Sys "+esc, "Desc "+esc, "two "+esc, "VPN "+esc, "ip"+esc,
		"x"+esc, "Attr"+esc,
		"CN=CN "+strings.Replace(esc, "0;", `0\;`, 1)) // the subject as a DN string escapes ';'

}

func TestConnectivityShowsHostileServerEscaped(t *testing.T) {
	h := testpki.Hostile
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK%s\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", h+"\r✓ All checks passed")
		buf.Flush()
	}))
	defer srv.Close()
	c := newContext()
	c.Data = localData(t, srv.URL+"/\u202eevil")
	mp := c.Data.Services["mpass"]
	mp.Name = "MPass " + h
	c.Data.Services["mpass"] = mp
	c.Answers.Services, c.Answers.Env = []string{"mpass"}, assets.EnvTest
	c.CheckTimeout = 2 * time.Second
	st := start(t, c, Connectivity{})
	st.s.SetSize(200, 60)
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "answered") }, 5*time.Second) {
		t.Fatalf("checks did not finish:\n%s", st.view())
	}
	st.seesEscaped(`MPass \x1b]0;pwned\x07`, `/\u202eevil`,
		`200 OK\x1b]0;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil\x0d✓ All checks passed`)
}

// Answers loaded from a file go into the form fields escaped: the field
// shows (and would keep) `\u202e`, never the raw override.
func TestFormFieldsShowHostileAnswersEscaped(t *testing.T) {
	h := testpki.Hostile
	c := newContext()
	c.Answers.Organization.Name = "Org " + h
	c.Answers.System.Other = "one\ntwo " + h
	st := start(t, c, Organization{})
	st.s.SetSize(200, 60)
	st.seesEscaped("Org " + `\x1b]0;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`)
	if c.Answers.System.Other != "one\ntwo "+`\x1b]0;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil` {
		t.Errorf("other information: %q", c.Answers.System.Other)
	}
	st.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter")
	st.seesEscaped()
}

// A password in a service's base URL (from a --data file) never reaches the
// connectivity screen.
func TestConnectivityHidesPasswordInBaseURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	c := newContext()
	c.Data = localData(t, strings.Replace(srv.URL, "http://", "http://ion:s3cretPass@", 1))
	c.Answers.Services, c.Answers.Env = []string{"mpass"}, assets.EnvTest
	c.CheckTimeout = 2 * time.Second
	st := start(t, c, Connectivity{})
	st.s.SetSize(200, 60)
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "answered") }, 5*time.Second) {
		t.Fatalf("checks did not finish:\n%s", st.view())
	}
	if v := st.view(); strings.Contains(v, "s3cretPass") || !strings.Contains(v, "ion:xxxxx@") {
		t.Fatalf("the screen shows the URL's password, or no URL at all:\n%s", v)
	}
}
