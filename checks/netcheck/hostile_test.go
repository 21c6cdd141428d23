package netcheck_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/netcheck"
)

// rawServer starts a server on 127.0.0.1 that reads the request's head and
// then lets answer write whatever it likes; with p it speaks TLS. It
// returns the base URL. answer gets the connection and must stop by itself
// (a write error, a count of its own).
func rawServer(t testing.TB, p *pki, answer func(io.Writer)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	scheme := "http"
	if p != nil {
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{p.server}})
		scheme = "https"
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(time.Minute))
				if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
					return
				}
				answer(c)
			}()
		}
	}()
	return scheme + "://" + l.Addr().String()
}

// hugeHeaderLine answers with one header line of up to 1 GiB.
func hugeHeaderLine(w io.Writer) {
	if _, err := io.WriteString(w, "HTTP/1.1 200 OK\r\nX-Big: "); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for sent := 0; sent < 1<<30; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// tenMillionHeaders answers with ten million short header lines.
func tenMillionHeaders(w io.Writer) {
	if _, err := io.WriteString(w, "HTTP/1.1 200 OK\r\n"); err != nil {
		return
	}
	line := []byte("X-Again: 1\r\n")
	chunk := bytes.Repeat(line, 4096)
	for sent := 0; sent < 10_000_000; sent += 4096 {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func TestHeaderLineBeyondTheCap(t *testing.T) {
	p := newPKI(t)
	for _, tp := range []*pki{nil, p} {
		u := rawServer(t, tp, hugeHeaderLine)
		got := run(t, p, netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: u, Probe: "/meta/saml"}, nil)
		want(t, got, "http", checks.Fail, "sent more than 64 KiB of response headers", "proxy")
		want(t, got, "clock", checks.Skip, "http")
	}
}

func TestHeadersWithoutEnd(t *testing.T) {
	p := newPKI(t)
	for _, tp := range []*pki{nil, p} {
		u := rawServer(t, tp, tenMillionHeaders)
		got := run(t, p, netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: u, Probe: "/meta/saml"}, nil)
		want(t, got, "http", checks.Fail, "sent more than 64 KiB of response headers")
		want(t, got, "clock", checks.Skip)
	}
}

// A body that never ends is read up to its cap; the answer still counts.
func TestBodyWithoutEnd(t *testing.T) {
	u := rawServer(t, nil, func(w io.Writer) {
		if _, err := io.WriteString(w, "HTTP/1.1 200 OK\r\nDate: "+time.Now().UTC().Format(http.TimeFormat)+"\r\n\r\n"); err != nil {
			return
		}
		chunk := bytes.Repeat([]byte("b"), 64<<10)
		for sent := 0; sent < 1<<30; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	got := run(t, newPKI(t), netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: u, Probe: "/meta/saml"}, nil)
	want(t, got, "http", checks.Pass, "200 OK")
	want(t, got, "clock", checks.Pass)
}

// hostileChildEnv names the servers a child process probes in
// TestHostileServersPeakRSS.
const hostileChildEnv = "NETCHECK_HOSTILE_URLS"

// TestHostileServersChild is the child's half of
// TestHostileServersPeakRSS; it does nothing on its own.
func TestHostileServersChild(t *testing.T) {
	urls := os.Getenv(hostileChildEnv)
	if urls == "" {
		t.Skip("run by TestHostileServersPeakRSS")
	}
	var targets []netcheck.Target
	for _, u := range strings.Split(urls, " ") {
		targets = append(targets, netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: u, Probe: "/meta/saml"})
	}
	rs := netcheck.Run(context.Background(), netcheck.Options{Targets: targets, Timeout: 30 * time.Second,
		Proxy: func(*url.URL) (*url.URL, error) { return nil, nil }})
	for _, r := range rs {
		if r.Step == netcheck.StepHTTP {
			fmt.Println(r.Status, r.Message.String())
		}
	}
}

// A 1 GiB header line and ten million headers, probed at once by a child
// process: both end in a clear fail, and the child's peak RSS is reported
// and kept within a generous 60 MB budget. To see the figure:
//
//	go test -run HostileServersPeakRSS -v ./checks/netcheck
func TestHostileServersPeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	urls := rawServer(t, nil, hugeHeaderLine) + " " + rawServer(t, nil, tenMillionHeaders)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileServersChild$", "-test.v")
	cmd.Env = append(os.Environ(), hostileChildEnv+"="+urls)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "fail "); n != 2 || !strings.Contains(string(out), "more than 64 KiB of response headers") {
		t.Errorf("child saw %d fails:\n%s", n, out)
	}
	peakKB, ok := peakRSSKB(cmd.ProcessState)
	if !ok {
		t.Skip("no rusage on this system")
	}
	peakMB := float64(peakKB) / 1024
	t.Logf("peak RSS of a child probing a 1 GiB header line and ten million headers: %.1f MB", peakMB)
	if budget := 60.0; peakMB > budget {
		t.Errorf("peak RSS %.1f MB, budget %.0f MB", peakMB, budget)
	}
}

func dateServer(t *testing.T, p *pki, date string) string {
	return serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", date)
		ok(w, r)
	}, nil)
}

func TestDateFarFromTheClock(t *testing.T) {
	p := newPKI(t)
	got := run(t, p, netcheck.Target{URL: dateServer(t, p, "Fri, 31 Dec 9999 23:59:59 GMT")}, nil)
	want(t, got, "clock", checks.Fail, "says 9999-12-31 23:59:59 UTC", "more than a day apart", "NTP")
	got = run(t, p, netcheck.Target{URL: dateServer(t, p, "Thu, 01 Jan 1970 00:00:00 GMT")}, nil)
	want(t, got, "clock", checks.Fail, "says 1970-01-01 00:00:00 UTC", "more than a day apart")
	// A local clock far off reads the same way.
	got = run(t, p, netcheck.Target{URL: dateServer(t, p, time.Now().UTC().Format(http.TimeFormat))}, func(o *netcheck.Options) {
		o.Now = func() time.Time { return time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC) }
	})
	want(t, got, "clock", checks.Fail, "this machine's clock says 2001-02-03 04:05:06 UTC")
}

// outputs is everything a run may show: the text in each language and the
// JSON.
func outputs(t *testing.T, rs []netcheck.Result) string {
	t.Helper()
	var b strings.Builder
	for _, lang := range []string{"en", "ro", "ru"} {
		netcheck.WriteText(&b, rs, lang)
	}
	j, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	b.Write(j)
	return b.String()
}

func TestPasswordInURLNeverShown(t *testing.T) {
	p := newPKI(t)
	var auth []string
	var mu sync.Mutex
	u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
	}, nil)
	hostPort := strings.TrimPrefix(u, "https://")
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	var targets []netcheck.Target
	for _, raw := range []string{
		"https://user:secret@" + hostPort,        // answers 500: the URL is in the message
		"https://user:secret@" + closed,          // refused
		"https://user:secret@127.0.0.1:65536",    // bad port
		"http://user:secret@example.com",         // plain http elsewhere
		"https://user:secret@exa mple.com:8443/", // does not parse
	} {
		targets = append(targets, netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: raw, Probe: "/meta/saml"})
	}
	rs := netcheck.Run(context.Background(), netcheck.Options{Targets: targets, Roots: p.roots, Timeout: 2 * time.Second,
		Proxy: func(*url.URL) (*url.URL, error) { return nil, nil }})
	all := outputs(t, rs)
	if strings.Contains(all, "secret") {
		t.Errorf("the password is shown:\n%s", all)
	}
	if !strings.Contains(all, "https://user:xxxxx@"+hostPort+"/meta/saml answered 500") {
		t.Errorf("the address is not shown redacted:\n%s", all)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) != 1 || auth[0] != "" {
		t.Errorf("the server got Authorization %q", auth)
	}
}

func TestParseEndpoint(t *testing.T) {
	for raw, reason := range map[string]string{
		"https://host.example":           "",
		"https://host.example:8443/base": "",
		"http://127.0.0.1:8080":          "",
		"http://localhost:8080":          "",
		"http://[::1]:8080":              "",
		"https://host.example:0":         "port",
		"https://host.example:65536":     "port",
		"https://:8443":                  "host",
		"https://":                       "host",
		"http://example.com":             "http",
		"http://10.0.0.1":                "http",
		"ftp://example.com":              "url",
		"example.com":                    "url",
		"https://exa mple.com":           "url",
	} {
		_, err := netcheck.ParseEndpoint(raw)
		var e *netcheck.EndpointError
		switch {
		case reason == "" && err != nil:
			t.Errorf("%s: %v", raw, err)
		case reason != "" && (!asEndpointError(err, &e) || e.Reason != reason):
			t.Errorf("%s: %v, want reason %s", raw, err, reason)
		}
	}
}

func asEndpointError(err error, e **netcheck.EndpointError) bool {
	x, ok := err.(*netcheck.EndpointError)
	*e = x
	return ok
}

// mpowerServer stands in for MPower answering the probe with status.
func mpowerServer(t *testing.T, p *pki, status int) string {
	return serve(t, p, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
	}, func(c *tls.Config) { c.ClientAuth = tls.RequireAnyClientCert })
}

func mpower(u string) netcheck.Target {
	return netcheck.Target{Service: "mpower", Name: "MPower", Env: "test", URL: u, Probe: "/clients-api/swagger/index.html", ClientAuth: true}
}

// egov4dev docs/guides/mpower/security.md: 401, the certificate is not known
// or accepted; 403, it is known but the endpoint is not among those it may
// call.
func TestMPowerStatusCodes(t *testing.T) {
	p := newPKI(t)
	got := run(t, p, mpower(mpowerServer(t, p, http.StatusUnauthorized)), nil)
	want(t, got, "http", checks.Fail, "401 Unauthorized", "MPower does not know or does not accept the certificate with serial "+p.clientSerialHex,
		"registered in MPass")
	if strings.Contains(got["http"].Remedy.String(), "203.0.113.10") {
		t.Errorf("401 blamed on the IP address: %s", got["http"].Remedy)
	}
	got = run(t, p, mpower(mpowerServer(t, p, http.StatusForbidden)), nil)
	want(t, got, "http", checks.Fail, "403 Forbidden", "MPower knows the certificate with serial "+p.clientSerialHex,
		"/clients-api/swagger/index.html is not among the endpoints it may call", "AllowedEndpoints")
	if strings.Contains(got["http"].Message.String(), "not registered") {
		t.Errorf("403 reads as not registered: %s", got["http"].Message)
	}
}

// egov4dev docs/guides/msign/api-reference.md: AuthenticationFailed comes
// as "Unknown service consumer: {serial}" or "Unknown or unregistered
// system: {serial}".
func TestMSignRefusalTexts(t *testing.T) {
	p := newPKI(t)
	for _, text := range []string{
		"Invalid authentication certificate provided, Unknown service consumer: " + p.clientSerialHex,
		"Invalid authentication certificate provided, Unknown or unregistered system: " + p.clientSerialHex,
	} {
		for _, status := range []int{http.StatusInternalServerError, http.StatusForbidden, http.StatusOK} {
			u := serve(t, p, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(status)
				io.WriteString(w, "<Reason>"+text+"</Reason>")
			}, func(c *tls.Config) { c.ClientAuth = tls.RequireAnyClientCert })
			got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, nil)
			want(t, got, "http", checks.Fail, "unknown or unregistered system (certificate serial "+p.clientSerialHex+")",
				p.clientSerialHex+" (hex) is not registered with MSign")
			if strings.Contains(strings.ToLower(got["http"].Message.String()+got["http"].Remedy.String()), "fault") {
				t.Errorf("claims a SOAP fault: %s", got["http"].Message)
			}
		}
	}
}

// MSign refusing without either text: the address or the certificate.
func TestMSignForbiddenWithoutText(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusForbidden) },
		func(c *tls.Config) { c.ClientAuth = tls.RequireAnyClientCert })
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, nil)
	want(t, got, "http", checks.Fail, "403 Forbidden", "203.0.113.10", p.clientSerialHex+" (hex) is registered with MSign")
}

// A status line as long as the header cap allows is shown cut short.
func TestLongStatusLineCut(t *testing.T) {
	u := rawServer(t, nil, func(w io.Writer) {
		io.WriteString(w, "HTTP/1.1 200 "+strings.Repeat("x", 60<<10)+"\r\nContent-Length: 0\r\n\r\n")
	})
	got := run(t, newPKI(t), netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: u, Probe: "/meta/saml"}, nil)
	want(t, got, "http", checks.Pass, "answered 200 xxxxx")
	if n := len(got["http"].Message.String()); n > 300 {
		t.Errorf("message of %d bytes", n)
	}
}
