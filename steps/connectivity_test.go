package steps

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/assets"
)

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
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "<md/>") }))
	defer srv.Close()
	c := newContext()
	c.Data = localData(t, srv.URL)
	c.Answers.Services, c.Answers.Env = []string{"mpass", "msign"}, "test"
	c.CheckTimeout = time.Second
	st := start(t, c, Connectivity{})
	if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), "check failed") }, 5*time.Second) {
		t.Fatalf("checks did not finish:\n%s", st.view())
	}
	st.sees("MPass (test)", "answered 200 OK", "MSign (test)", "refused the connection", "1 check failed.", "You may go on")
	// Enter continues despite the failure; the results are in the answers.
	st.keys("enter")
	st.wantDone(true)
	statuses := map[string]string{}
	for _, r := range c.Answers.Connectivity {
		statuses[r.Service+"/"+r.Step] = r.Status
	}
	if statuses["mpass/http"] != "pass" || statuses["msign/tcp"] != "fail" || statuses["msign/tls"] != "" || statuses["msign/http"] != "skip" {
		t.Errorf("kept results: %v", statuses)
	}
}

func TestConnectivityStepRerun(t *testing.T) {
	up := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !up {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
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
