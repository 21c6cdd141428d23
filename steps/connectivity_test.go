package steps

import (
	"archive/zip"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// idpMetadata is MPass IdP metadata with a fresh signing certificate.
func idpMetadata(t *testing.T) string {
	t.Helper()
	c := testpki.CA("IdP Signing", "Test PKI", nil, time.Now())
	return `<EntityDescriptor entityID="idp"><IDPSSODescriptor><KeyDescriptor use="signing"><KeyInfo><X509Data><X509Certificate>` +
		base64.StdEncoding.EncodeToString(c.Cert.Raw) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`
}

// localData points MPass at url and MSign at a closed port on 127.0.0.1.
func localData(t *testing.T, mpassURL string) *assets.Data {
	t.Helper()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + l.Addr().String()
	l.Close()
	d := *assets.Embedded()
	d.Services = map[string]assets.Service{}
	for id, s := range assets.Embedded().Services {
		env := map[string]assets.Environment{}
		for k, v := range s.Env {
			env[k] = v
		}
		switch id {
		case "mpass":
			env["test"] = assets.Environment{Base: mpassURL}
		case "msign":
			env["test"] = assets.Environment{Base: closed}
		}
		s.Env = env
		d.Services[id] = s
	}
	return &d
}

func TestConnectivityStepShowsResultsAndContinues(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, idpMetadata(t)) }))
	defer srv.Close()
	c := newContext()
	c.Data = localData(t, srv.URL)
	c.Answers.Services, c.Answers.Env = []string{"mpass", "msign"}, "test"
	c.CheckTimeout = time.Second
	st := start(t, c, Connectivity{})
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "check failed") }, 5*time.Second) {
		t.Fatalf("checks did not finish:\n%s", st.view())
	}
	st.sees("MPass (test)", "answered 200 OK", "MSign (test)", "refused or reset the connection", "1 check failed.", "You may go on")
	// Enter continues despite the failure; the results are in the answers.
	st.keys("enter")
	st.wantDone(true)
	statuses := map[string]string{}
	for _, r := range c.Answers.Connectivity {
		statuses[r.Service+"/"+r.ID] = r.Severity.String()
	}
	if statuses["mpass/http"] != "pass" || statuses["msign/tcp"] != "fail" || statuses["msign/tls"] != "" || statuses["msign/http"] != "skip" {
		t.Errorf("kept results: %v", statuses)
	}
}

func TestConnectivityStepRerun(t *testing.T) {
	up, doc := false, idpMetadata(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !up {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, doc)
	}))
	defer srv.Close()
	c := newContext()
	c.Lang = "ro"
	c.Data = localData(t, srv.URL)
	c.Answers.Services, c.Answers.Env = []string{"mpass"}, "test"
	c.CheckTimeout = time.Second
	st := start(t, c, Connectivity{})
	st.d.WaitFor(func() bool { return strings.Contains(st.view(), "503") }, 5*time.Second)
	st.sees("a răspuns 503 Service Unavailable")
	up = true
	st.keys("r")
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "a răspuns 200 OK") }, 5*time.Second) {
		t.Fatalf("re-run did not refresh:\n%s", st.view())
	}
	st.sees("Toate verificările au reușit.")
}

// b writes a support bundle of the results beside the package.
func TestConnectivityStepSupportBundle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, idpMetadata(t)) }))
	defer srv.Close()
	c := newContext()
	c.Data = localData(t, srv.URL)
	c.OutDir = t.TempDir()
	c.Answers.Services, c.Answers.Env = []string{"mpass", "msign"}, "test"
	c.CheckTimeout = time.Second
	st := start(t, c, Connectivity{})
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "check failed") }, 5*time.Second) {
		t.Fatalf("checks did not finish:\n%s", st.view())
	}
	st.keys("b")
	st.sees("Support bundle written")
	files, _ := filepath.Glob(filepath.Join(c.OutDir, "egovsetup-support-*.zip"))
	if len(files) != 1 {
		t.Fatalf("bundles: %v", files)
	}
	zr, err := zip.OpenReader(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if f.Name == "diagnose.txt" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			if !strings.HasPrefix(string(b), "Cause — MSign (test)") {
				t.Errorf("diagnose.txt starts %q", string(b)[:min(len(b), 80)])
			}
		}
	}
	if !names["system.txt"] || !names["diagnose.json"] || !names["registration.json"] {
		t.Errorf("bundle holds %v", names)
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Error(err)
	}
}

// In the accessible mode, b and Enter writes the bundle and asks again.
func TestConnectivityAccessibleBundle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, idpMetadata(t)) }))
	defer srv.Close()
	c := newContext()
	c.Data = localData(t, srv.URL)
	c.OutDir = t.TempDir()
	c.Answers.Services, c.Answers.Env = []string{"mpass"}, "test"
	c.CheckTimeout = time.Second
	var out strings.Builder
	if err := (Connectivity{}).Accessible(t.Context(), c, strings.NewReader("b\n\n"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Support bundle written") || strings.Count(out.String(), "b and Enter") != 2 {
		t.Errorf("output:\n%s", out.String())
	}
	if files, _ := filepath.Glob(filepath.Join(c.OutDir, "egovsetup-support-*.zip")); len(files) != 1 {
		t.Errorf("bundles: %v", files)
	}
}

// While another service is still being checked, a finished one shows no
// spinner for a step that does not apply to it.
func TestConnectivityNoSpinnerForStepsThatDoNotApply(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, idpMetadata(t)) }))
	defer srv.Close()
	// MSign: a listener that accepts and never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	c := newContext()
	c.Data = localData(t, srv.URL)
	s := c.Data.Services["msign"]
	s.Env = map[string]assets.Environment{"test": {Base: "https://" + l.Addr().String()}}
	c.Data.Services["msign"] = s
	c.Answers.Services, c.Answers.Env = []string{"mpass", "msign"}, "test"
	c.CheckTimeout = 3 * time.Second
	st := start(t, c, Connectivity{})
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "The clock agrees") }, 5*time.Second) {
		t.Fatalf("MPass did not finish:\n%s", st.view())
	}
	view := st.view()
	if !strings.Contains(view, c.T("conn.step.tls")) {
		t.Errorf("MSign's handshake is not shown as running:\n%s", view)
	}
	if strings.Contains(view, c.T("conn.step.auth")) || strings.Contains(view, c.T("conn.step.mtls")) {
		t.Errorf("a step that does not apply is shown as running:\n%s", view)
	}
}
