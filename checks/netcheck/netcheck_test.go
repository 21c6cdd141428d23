package netcheck_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// pki is a test CA with a server certificate for 127.0.0.1/localhost and a
// client certificate, both from the same CA; other is an unrelated CA.
type pki struct {
	ca, other       testpki.Cert
	server, client  tls.Certificate
	clientSerialHex string
	roots           *x509.CertPool
}

func newPKI(t testing.TB) *pki {
	t.Helper()
	now := time.Now()
	p := &pki{ca: testpki.CA("Test Root", "Test PKI", nil, now), other: testpki.CA("Other Root", "Other PKI", nil, now)}
	sk := testpki.ECKey()
	st := testpki.LeafTemplate("localhost", now)
	st.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	s := testpki.Issue(st, sk.Public(), &p.ca, sk)
	p.server = tls.Certificate{Certificate: [][]byte{s.Cert.Raw}, PrivateKey: sk, Leaf: s.Cert}
	ck := testpki.ECKey()
	c := testpki.Issue(testpki.LeafTemplate("system.example.md", now), ck.Public(), &p.ca, ck)
	p.client = tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: ck, Leaf: c.Cert}
	p.clientSerialHex = strings.ToUpper(c.Cert.SerialNumber.Text(16))
	p.roots = x509.NewCertPool()
	p.roots.AddCert(p.ca.Cert)
	return p
}

// serve starts an HTTPS server on 127.0.0.1 with cfg adjusting its TLS.
func serve(t *testing.T, p *pki, h http.HandlerFunc, cfg func(*tls.Config)) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{p.server}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cfg != nil {
		cfg(srv.TLS)
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

func ok(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "<wsdl/>") }

func run(t *testing.T, p *pki, target netcheck.Target, mod func(*netcheck.Options)) map[string]netcheck.Result {
	t.Helper()
	if target.Service == "" {
		target.Service, target.Name, target.Env = "msign", "MSign", "test"
	}
	if target.Probe == "" {
		target.Probe = "/MSign.svc?singleWsdl"
	}
	opt := netcheck.Options{Targets: []netcheck.Target{target}, Roots: p.roots, Timeout: 2 * time.Second,
		IPs: []string{"203.0.113.10"}, Proxy: func(*url.URL) (*url.URL, error) { return nil, nil }}
	if target.ClientAuth {
		opt.Client, opt.ClientSerial = &p.client, p.clientSerialHex
	}
	if mod != nil {
		mod(&opt)
	}
	out := map[string]netcheck.Result{}
	for _, r := range netcheck.Run(context.Background(), opt) {
		out[r.Step] = r
	}
	return out
}

func want(t *testing.T, got map[string]netcheck.Result, step string, sev checks.Severity, contains ...string) {
	t.Helper()
	r, ok := got[step]
	if !ok {
		t.Errorf("no %s result (have %v)", step, got)
		return
	}
	if r.Status != sev {
		t.Errorf("%s = %s (%s / %s), want %s", step, r.Status, r.Message, r.Remedy, sev)
	}
	text := r.Message.String() + " | " + r.Remedy.String()
	for _, c := range contains {
		if !strings.Contains(text, c) {
			t.Errorf("%s: %q lacks %q", step, text, c)
		}
	}
}

func TestAllPassOnPublicService(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, ok, nil)
	got := run(t, p, netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: u, Probe: "/meta/saml"}, nil)
	want(t, got, "dns", checks.Pass, "127.0.0.1")
	want(t, got, "tcp", checks.Pass)
	want(t, got, "tls", checks.Pass, "TLS 1.3", "CN=localhost")
	want(t, got, "http", checks.Pass, "200 OK")
	want(t, got, "clock", checks.Pass)
	if _, ok := got["mtls"]; ok {
		t.Error("mtls checked for a service without client authentication")
	}
}

func TestMutualTLSAccepted(t *testing.T) {
	p := newPKI(t)
	var seen string
	u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		seen = strings.ToUpper(r.TLS.PeerCertificates[0].SerialNumber.Text(16))
		ok(w, r)
	}, func(c *tls.Config) {
		c.ClientAuth = tls.RequireAndVerifyClientCert
		c.ClientCAs = p.roots
	})
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, nil)
	want(t, got, "mtls", checks.Pass, p.clientSerialHex, "Test Root")
	want(t, got, "http", checks.Pass)
	if seen != p.clientSerialHex {
		t.Errorf("server saw serial %q", seen)
	}
}

func TestMutualTLSRejected(t *testing.T) {
	p := newPKI(t)
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		other := x509.NewCertPool()
		other.AddCert(p.other.Cert)
		u := serve(t, p, ok, func(c *tls.Config) {
			c.ClientAuth = tls.RequireAndVerifyClientCert
			c.ClientCAs = other
			c.MaxVersion = v
		})
		got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, nil)
		// The server accepts only another CA: that is the cause, not the
		// registration, and both issuers are named.
		want(t, got, "mtls", checks.Fail, "does not accept the issuer", "issued by CN=Test Root,O=Test PKI,C=MD",
			"accepts certificates from CN=Other Root,O=Other PKI,C=MD")
		if strings.Contains(got["mtls"].Message.String(), "not registered") {
			t.Errorf("blames registration: %s", got["mtls"].Message)
		}
		want(t, got, "http", checks.Skip)
		want(t, got, "clock", checks.Skip)
	}
}

func TestNoClientCertificateLoaded(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, ok, func(c *tls.Config) { c.ClientAuth = tls.RequestClientCert })
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, func(o *netcheck.Options) { o.Client = nil })
	want(t, got, "mtls", checks.Skip, "No client certificate loaded")
	want(t, got, "http", checks.Pass)
}

func TestUnknownServiceConsumer(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "<fault>Unknown service consumer</fault>")
	}, func(c *tls.Config) { c.ClientAuth = tls.RequireAnyClientCert })
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, nil)
	want(t, got, "http", checks.Fail, "403 Forbidden", "unknown or unregistered system", p.clientSerialHex+" (hex) is not registered with MSign")
	// The server did answer, so its clock can still be compared.
	want(t, got, "clock", checks.Pass)
}

func TestClockSkew(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(-10*time.Minute).UTC().Format(http.TimeFormat))
		ok(w, r)
	}, nil)
	got := run(t, p, netcheck.Target{URL: u}, nil)
	want(t, got, "clock", checks.Fail, "ahead of the server", "NTP")
	u = serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(2*time.Minute).UTC().Format(http.TimeFormat))
		ok(w, r)
	}, nil)
	want(t, run(t, p, netcheck.Target{URL: u}, nil), "clock", checks.Warn, "behind the server")
}

func TestUntrustedServerLooksIntercepted(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, ok, nil)
	got := run(t, p, netcheck.Target{URL: u}, func(o *netcheck.Options) { o.Roots = x509.NewCertPool() })
	want(t, got, "tls", checks.Fail, "Test Root", "interception", "--ca")
	want(t, got, "http", checks.Skip, "tls")
	// --ca makes it trusted.
	got = run(t, p, netcheck.Target{URL: u}, func(o *netcheck.Options) {
		o.Roots = x509.NewCertPool()
		o.ExtraCAs = []*x509.Certificate{p.ca.Cert}
	})
	want(t, got, "tls", checks.Pass)
}

// blackHole accepts connections and never answers.
func blackHole(t *testing.T) string { return blackHoleB(t) }

func blackHoleB(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { l.Close() })
	return "https://" + l.Addr().String()
}

func TestBlackHoleTimesOut(t *testing.T) {
	p := newPKI(t)
	got := run(t, p, netcheck.Target{URL: blackHole(t), ClientAuth: true}, func(o *netcheck.Options) { o.Timeout = 300 * time.Millisecond })
	want(t, got, "tcp", checks.Pass)
	want(t, got, "tls", checks.Fail, "did not complete TLS within 300ms", "firewall")
	want(t, got, "mtls", checks.Skip)
}

func TestClosedPort(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	got := run(t, newPKI(t), netcheck.Target{URL: "https://" + addr}, nil)
	want(t, got, "tcp", checks.Fail, "refused the connection")
	want(t, got, "tls", checks.Skip, "tcp")
}

func TestNameThatDoesNotExist(t *testing.T) {
	got := run(t, newPKI(t), netcheck.Target{URL: "https://no-such-host.invalid:8443"}, func(o *netcheck.Options) { o.Timeout = time.Second })
	want(t, got, "dns", checks.Fail, "no-such-host.invalid")
	want(t, got, "tcp", checks.Skip)
}

// Every target black-holed: the run ends in about one timeout, not one per
// target.
func TestAllBlackHoledRunsConcurrently(t *testing.T) {
	p := newPKI(t)
	var targets []netcheck.Target
	for range 8 {
		targets = append(targets, netcheck.Target{Service: "msign", Name: "MSign", Env: "test", URL: blackHole(t), ClientAuth: true})
	}
	start := time.Now()
	rs := netcheck.Run(context.Background(), netcheck.Options{Targets: targets, Roots: p.roots, Timeout: 500 * time.Millisecond,
		Proxy: func(*url.URL) (*url.URL, error) { return nil, nil }})
	// A generous bound: 8 targets one by one would take 4 s.
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("8 black-holed targets took %s", d)
	}
	if netcheck.Worst(rs) != checks.Fail {
		t.Errorf("worst = %s", netcheck.Worst(rs))
	}
}

// connectProxy is a minimal HTTP CONNECT proxy on 127.0.0.1.
func connectProxy(t *testing.T) (*url.URL, *int) {
	t.Helper()
	n := new(int)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil || req.Method != http.MethodConnect {
					return
				}
				*n++
				up, err := net.Dial("tcp", req.Host)
				if err != nil {
					io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
					return
				}
				defer up.Close()
				io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
				go io.Copy(up, c)
				io.Copy(c, up)
			}()
		}
	}()
	u, _ := url.Parse("http://" + l.Addr().String())
	return u, n
}

func TestThroughProxy(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, ok, nil)
	proxy, n := connectProxy(t)
	got := run(t, p, netcheck.Target{URL: u}, func(o *netcheck.Options) {
		o.Proxy = func(*url.URL) (*url.URL, error) { return proxy, nil }
	})
	want(t, got, "tcp", checks.Pass, "through the proxy "+proxy.Host)
	want(t, got, "http", checks.Pass)
	if *n != 1 {
		t.Errorf("proxy saw %d CONNECTs", *n)
	}
}

func TestResultJSON(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, ok, nil)
	rs := netcheck.Run(context.Background(), netcheck.Options{Targets: []netcheck.Target{{Service: "mpass", Env: "test", URL: u, Probe: "/meta/saml"}},
		Roots: p.roots, Proxy: func(*url.URL) (*url.URL, error) { return nil, nil }})
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	_ = json.Unmarshal(b, &list)
	for _, k := range []string{"service", "env", "target", "step", "status", "message", "duration_ms"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
	if list[0]["step"] != "dns" || list[len(list)-1]["step"] != "clock" {
		t.Errorf("steps out of order: %s", b)
	}
}

// The client's key is used in memory only: a run writes no file.
// A run leaves no file anywhere this process may write to (the working
// folder, HOME, TMPDIR, the XDG folders, a TLS key log named by
// SSLKEYLOGFILE) and prints or logs nothing: the client key stays in memory.
func TestRunWritesNothing(t *testing.T) {
	p := newPKI(t)
	root := t.TempDir()
	for _, k := range []string{"HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "cwd"} {
		dir := filepath.Join(root, k)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if k != "cwd" {
			t.Setenv(k, dir)
		}
	}
	t.Setenv("SSLKEYLOGFILE", filepath.Join(root, "keylog"))
	t.Chdir(filepath.Join(root, "cwd"))
	outs := t.TempDir()
	stdout, stderr := os.Stdout, os.Stderr
	var logged strings.Builder
	for _, f := range []**os.File{&os.Stdout, &os.Stderr} {
		c, err := os.Create(filepath.Join(outs, fmt.Sprint(len(outs), f == &os.Stderr)))
		if err != nil {
			t.Fatal(err)
		}
		*f = c
	}
	log.SetOutput(&logged)
	restore := func() {
		os.Stdout.Close()
		os.Stderr.Close()
		os.Stdout, os.Stderr = stdout, stderr
		log.SetOutput(os.Stderr)
	}
	u := serve(t, p, soapOK, func(c *tls.Config) { c.ClientAuth = tls.RequireAnyClientCert })
	got := run(t, p, msignAuth(u), nil)
	restore()
	want(t, got, "auth", checks.Pass)

	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("the run wrote %s", path)
		}
		return nil
	})
	ents, _ := os.ReadDir(outs)
	for _, e := range ents {
		if b, _ := os.ReadFile(filepath.Join(outs, e.Name())); len(b) > 0 {
			t.Errorf("the run printed %q", b)
		}
	}
	if logged.Len() > 0 {
		t.Errorf("the run logged %q", logged.String())
	}
}

// soapOK answers the WSDL GET and GetSignResponse's POST as a healthy MSign
// does for a registered system.
func soapOK(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		ok(w, r)
		return
	}
	soapFaultAnswer(w, "RequestNotFound", "Cannot find such request")
}
