package netcheck_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// clientFrom makes a client certificate for tmpl issued by parent.
func clientFrom(tmpl *x509.Certificate, parent *testpki.Cert) *tls.Certificate {
	k := testpki.ECKey()
	c := testpki.Issue(tmpl, k.Public(), parent, k)
	return &tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: k, Leaf: c.Cert}
}

func requireFrom(pool *x509.CertPool, v uint16) func(*tls.Config) {
	return func(c *tls.Config) {
		c.ClientAuth = tls.RequireAndVerifyClientCert
		c.ClientCAs = pool
		c.MaxVersion = v
	}
}

var versions = []uint16{tls.VersionTLS12, tls.VersionTLS13}

// An expired client certificate is named first, before its issuer or
// registration.
func TestClientCertificateExpired(t *testing.T) {
	p := newPKI(t)
	tmpl := testpki.LeafTemplate("system.example.md", time.Now())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().AddDate(-2, 0, 0), time.Now().AddDate(0, 0, -3)
	client := clientFrom(tmpl, &p.ca)
	for _, v := range versions {
		u := serve(t, p, ok, requireFrom(p.roots, v))
		got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, func(o *netcheck.Options) { o.Client = client })
		want(t, got, "mtls", checks.Fail, "expired on "+tmpl.NotAfter.UTC().Format("2006-01-02"), "Get a new system certificate")
		if got["mtls"].Cause != "client_expired" {
			t.Errorf("cause %q", got["mtls"].Cause)
		}
	}
}

// A leaf issued by an intermediate of the accepted root, presented
// without that intermediate.
func TestChainLacksIntermediate(t *testing.T) {
	p := newPKI(t)
	inter := testpki.CA("Test Issuing CA", "Test PKI", &p.ca, time.Now())
	client := clientFrom(testpki.LeafTemplate("system.example.md", time.Now()), &inter)
	for _, v := range versions {
		u := serve(t, p, ok, requireFrom(p.roots, v))
		got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, func(o *netcheck.Options) { o.Client = client })
		want(t, got, "mtls", checks.Fail, "lacks the intermediate certificate CN=Test Issuing CA,O=Test PKI,C=MD",
			"accepts CN=Test Root,O=Test PKI,C=MD", "Export the .pfx again")
	}
	// With the intermediate in the .pfx, the same server accepts it.
	full := *client
	full.Certificate = append(full.Certificate, inter.Cert.Raw)
	u := serve(t, p, ok, requireFrom(p.roots, tls.VersionTLS13))
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, func(o *netcheck.Options) { o.Client = &full })
	want(t, got, "mtls", checks.Pass)
}

// A valid certificate from an accepted issuer that the server still
// refuses: registration, with the serial in every form AGE may search by.
func TestNotRegisteredGivesEverySerialForm(t *testing.T) {
	p := newPKI(t)
	tmpl := testpki.LeafTemplate("system.example.md", time.Now())
	tmpl.SerialNumber, _ = new(big.Int).SetString("9A3F0000000000000000000000000000000012AB", 16)
	client := clientFrom(tmpl, &p.ca)
	for _, v := range versions {
		u := serve(t, p, ok, func(c *tls.Config) {
			requireFrom(p.roots, v)(c)
			c.VerifyPeerCertificate = func([][]byte, [][]*x509.Certificate) error { return errors.New("unknown serial") }
		})
		got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, func(o *netcheck.Options) { o.Client = client })
		want(t, got, "mtls", checks.Fail, "serial 9A3F0000000000000000000000000000000012AB",
			"not registered for the test environment",
			"9A3F0000000000000000000000000000000012AB (hex)",
			"00:9A:3F:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:12:AB (DER bytes)",
			tmpl.SerialNumber.String()+" (decimal)")
	}
}

func TestSerialForms(t *testing.T) {
	for _, c := range []struct{ hex, der string }{
		{"01", "01"},
		{"7F", "7F"},
		{"80", "00:80"},
		{"2300000000000000000000000000000000004030", "23:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:40:30"},
	} {
		n, _ := new(big.Int).SetString(c.hex, 16)
		h, d, dec := netcheck.SerialForms(&x509.Certificate{SerialNumber: n})
		if h != c.hex || d != c.der || dec != n.String() {
			t.Errorf("%s: %s %s %s, want DER %s", c.hex, h, d, dec, c.der)
		}
	}
}

// opensslServer starts `openssl s_server` under TLS 1.2 for one connection
// that does not ask for a client certificate in the handshake. Once the
// request has arrived, it asks for one by renegotiation (s_server's "R"
// command) and, when the new handshake is finished, answers 200. It
// returns the base URL.
func opensslServer(t *testing.T, p *pki) string {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	certFile := write("server.pem", testpki.PEM(p.server.Leaf))
	keyFile := write("server.key", testpki.KeyPEM(p.server.PrivateKey.(crypto.Signer)))
	caFile := write("ca.pem", testpki.PEM(p.ca.Cert))
	cmd := exec.Command(bin, "s_server", "-tls1_2", "-accept", "127.0.0.1:0", "-naccept", "1", "-crlf", "-msg",
		"-cert", certFile, "-key", keyFile, "-CAfile", caFile)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		accept := regexp.MustCompile(`^ACCEPT 127\.0\.0\.1:(\d+)`)
		serverFinished := regexp.MustCompile(`^>>> TLS 1\.2, Handshake \[length [0-9a-f]+\], Finished`)
		finished := 0
		for sc.Scan() {
			line := sc.Text()
			switch {
			case accept.MatchString(line):
				addr <- accept.FindStringSubmatch(line)[1]
			case strings.HasPrefix(line, "GET "):
				_, _ = io.WriteString(stdin, "R\n")
			case serverFinished.MatchString(line):
				if finished++; finished == 2 {
					_, _ = io.WriteString(stdin, "HTTP/1.0 200 OK\nContent-Length: 2\n\nok")
				}
			}
		}
		close(addr)
	}()
	select {
	case port, ok := <-addr:
		if !ok {
			t.Fatal("openssl s_server did not start")
		}
		return "https://127.0.0.1:" + port
	case <-time.After(20 * time.Second):
		t.Fatal("openssl s_server did not start")
	}
	return ""
}

// MSign's IIS may ask for the client certificate by renegotiation under
// TLS 1.2: one renegotiation is allowed and reported.
func TestRenegotiationAllowedAndReported(t *testing.T) {
	p := newPKI(t)
	u := opensslServer(t, p)
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true, Probe: "/MSign.svc?singleWsdl"}, nil)
	want(t, got, "tls", checks.Pass, "TLS 1.2")
	want(t, got, "mtls", checks.Pass, "TLS renegotiation", p.clientSerialHex, "Test Root")
	want(t, got, "http", checks.Pass, "200")
}

// soapServer stands in for MSign: the probe's GET gets the WSDL, the POST
// of GetSignResponse gets fault (nil: a plain 200). It keeps the last POST.
func soapServer(t *testing.T, p *pki, fault func(w http.ResponseWriter)) (string, *http.Request, *[]byte) {
	var (
		mu   sync.Mutex
		req  http.Request
		body []byte
	)
	u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			ok(w, r)
			return
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		req, body = *r, b
		mu.Unlock()
		fault(w)
	}, func(c *tls.Config) { c.ClientAuth = tls.RequireAnyClientCert })
	return u, &req, &body
}

func soapFault(code, reason string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { soapFaultAnswer(w, code, reason) }
}

// soapFaultAnswer writes a SOAP 1.1 fault as MSign sends it.
func soapFaultAnswer(w http.ResponseWriter, code, reason string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>`+
		`<faultcode xmlns:a="https://msign.gov.md">a:`+code+`</faultcode><faultstring xml:lang="en-US">`+reason+
		`</faultstring></s:Fault></s:Body></s:Envelope>`)
}

func msignAuth(u string) netcheck.Target {
	return netcheck.Target{Service: "msign", Name: "MSign", Env: "test", URL: u, Probe: "/MSign.svc?singleWsdl", ClientAuth: true, Auth: "/MSign.svc"}
}

// Each of MSign's GetSignResponse faults (egov4dev
// docs/guides/msign/api-reference.md) read as what it says.
func TestMSignGetSignResponseFaults(t *testing.T) {
	p := newPKI(t)
	u, req, body := soapServer(t, p, soapFault("RequestNotFound", "Cannot find such request"))
	got := run(t, p, msignAuth(u), nil)
	want(t, got, "auth", checks.Pass, "MSign knows this system", "RequestNotFound", p.clientSerialHex)
	if req.Header.Get("SOAPAction") != `"https://msign.gov.md/IMSign/GetSignResponse"` ||
		!strings.HasPrefix(req.Header.Get("Content-Type"), "text/xml") || req.URL.Path != "/MSign.svc" {
		t.Errorf("request: %s %s %v", req.Method, req.URL, req.Header)
	}
	if !regexp.MustCompile(`<GetSignResponse xmlns="https://msign.gov.md"><requestID>[0-9a-f]{32}</requestID><language>en</language></GetSignResponse>`).Match(*body) {
		t.Errorf("envelope: %s", *body)
	}
	first := string(*body)
	run(t, p, msignAuth(u), nil)
	if string(*body) == first {
		t.Error("the request ID is not random")
	}

	for _, reason := range []string{
		"Invalid authentication certificate provided, Unknown or unregistered system: " + p.clientSerialHex,
		"Invalid authentication certificate provided, Unknown service consumer: " + p.clientSerialHex,
	} {
		u, _, _ := soapServer(t, p, soapFault("AuthenticationFailed", reason))
		got := run(t, p, msignAuth(u), nil)
		want(t, got, "auth", checks.Fail, "AuthenticationFailed", reason, p.clientSerialHex+" (hex)", "(DER bytes)", "(decimal)")
		if got["auth"].Cause != "not_registered" {
			t.Errorf("cause %q", got["auth"].Cause)
		}
	}

	u, _, _ = soapServer(t, p, soapFault("InvalidParameter", "requestID"))
	want(t, run(t, p, msignAuth(u), nil), "auth", checks.Info, "accepted the client certificate", "invalid parameter")

	u, _, _ = soapServer(t, p, func(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) })
	want(t, run(t, p, msignAuth(u), nil), "auth", checks.Warn, "502 Bad Gateway", "says nothing about the registration")
}

// No client certificate: the authenticated call is not made.
func TestAuthNeedsClientCertificate(t *testing.T) {
	p := newPKI(t)
	var posted bool
	u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		posted = posted || r.Method == http.MethodPost
		ok(w, r)
	}, func(c *tls.Config) { c.ClientAuth = tls.RequestClientCert })
	got := run(t, p, msignAuth(u), func(o *netcheck.Options) { o.Client = nil })
	want(t, got, "auth", checks.Skip, "No client certificate loaded")
	if posted {
		t.Error("a call was made without a certificate")
	}
}

// MPower's check endpoint with a dummy code: 404 allowed, 403 endpoint not
// allowed, 401 certificate unknown.
func TestMPowerCheckEndpoint(t *testing.T) {
	p := newPKI(t)
	var seen string
	for _, c := range []struct {
		status int
		sev    checks.Severity
		says   []string
	}{
		{http.StatusNotFound, checks.Pass, []string{"MPower knows the certificate", "/clients-api/api/Authorization/check/Code-True-One", "404"}},
		{http.StatusForbidden, checks.Fail, []string{"403 Forbidden", "not among its allowed endpoints", "AllowedEndpoints"}},
		{http.StatusUnauthorized, checks.Fail, []string{"401 Unauthorized", "does not know the certificate", p.clientSerialHex + " (hex)"}},
	} {
		u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/api/Authorization/") {
				seen = r.Method + " " + r.URL.RequestURI() + " " + r.Header.Get("Accept")
				w.WriteHeader(c.status)
				return
			}
			ok(w, r)
		}, func(cfg *tls.Config) { cfg.ClientAuth = tls.RequireAnyClientCert })
		target := mpower(u)
		target.Auth = "/clients-api/api/Authorization/check/Code-True-One?AuthorizationCode=0000000000000000"
		got := run(t, p, target, nil)
		want(t, got, "auth", c.sev, c.says...)
		if seen != "GET /clients-api/api/Authorization/check/Code-True-One?AuthorizationCode=0000000000000000 text/plain" {
			t.Errorf("request %q", seen)
		}
	}
}

// resetListener accepts connections and resets them at once.
func resetListener(t *testing.T) string {
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
			_ = c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}
	}()
	return "https://" + l.Addr().String()
}

// A reset or refused connection on a client-authenticating service names
// the IP allow-list, the registered addresses and the local one.
func TestResetAndRefusedNameTheAllowList(t *testing.T) {
	p := newPKI(t)
	// Depending on timing, the reset comes while connecting or in TLS.
	got := run(t, p, netcheck.Target{URL: resetListener(t), ClientAuth: true}, nil)
	step := "tls"
	if got["tcp"].Status == checks.Fail {
		step = "tcp"
	}
	want(t, got, step, checks.Fail, "before TLS", "IP allow-list", "203.0.113.10", "used 127.0.0.1", "behind NAT")

	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	got = run(t, p, netcheck.Target{URL: "https://" + addr, ClientAuth: true}, nil)
	want(t, got, "tcp", checks.Fail, "refused or reset the connection before TLS", "IP allow-list", "203.0.113.10", "127.0.0.1")
	// A public service refusing is not an allow-list matter.
	got = run(t, p, netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: "https://" + addr, Probe: "/meta/saml"}, nil)
	if strings.Contains(got["tcp"].Message.String(), "allow-list") {
		t.Errorf("MPass: %s", got["tcp"].Message)
	}
}

// failingDNS answers every query with SERVFAIL; it returns a resolver
// that asks only it.
func failingDNS(t *testing.T) *net.Resolver {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			ans := bytes.Clone(buf[:n])
			ans[2] = 0x80 | (buf[2] & 0x01) // QR, RD as asked
			ans[3] = 0x82                   // RA, SERVFAIL
			for i := 6; i < 12; i++ {
				ans[i] = 0 // no answer, authority or additional records
			}
			_, _ = pc.WriteTo(ans, from)
		}
	}()
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

// When no name resolves, that is said once, not once per service.
func TestResolverDownSaidOnce(t *testing.T) {
	res := failingDNS(t)
	opt := netcheck.Options{Timeout: 2 * time.Second, Resolver: res, Proxy: func(*url.URL) (*url.URL, error) { return nil, nil },
		Targets: []netcheck.Target{
			{Service: "mpass", Name: "MPass", Env: "test", URL: "https://mpass.staging.egov.test", Probe: "/meta/saml"},
			{Service: "msign", Name: "MSign", Env: "test", URL: "https://msign.staging.egov.test:8443", Probe: "/MSign.svc?singleWsdl", ClientAuth: true},
			{Service: "mpower", Name: "MPower", Env: "test", URL: "https://mpower.staging.egov.test:8443", Probe: "/x", ClientAuth: true},
		}}
	rs := netcheck.Run(context.Background(), opt)
	fails := 0
	for _, r := range rs {
		if r.Status == checks.Fail {
			fails++
		}
	}
	if fails != 1 {
		t.Errorf("%d failures, want 1: %v", fails, rs)
	}
	var b bytes.Buffer
	netcheck.WriteText(&b, rs, "en")
	first, _, _ := strings.Cut(b.String(), "\n")
	for _, w := range []string{"Cause — this machine: This machine resolves no names", "mpass.staging.egov.test, msign.staging.egov.test, mpower.staging.egov.test", "What to do", "DNS servers"} {
		if !strings.Contains(first, w) {
			t.Errorf("first line %q lacks %q", first, w)
		}
	}
	// The first line names it; below, only the first service's DNS line.
	_, rest, _ := strings.Cut(b.String(), "\n")
	if n := strings.Count(rest, "resolves no names"); n != 1 {
		t.Errorf("said %d times:\n%s", n, b.String())
	}
}

// metadata is SAML IdP metadata with c as its signing certificate.
func metadata(c *x509.Certificate) string {
	return `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://mpass.staging.egov.md">` +
		`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(c.Raw) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>`
}

func idpCert(p *pki, days int) *x509.Certificate {
	tmpl := testpki.LeafTemplate("mpass.staging.egov.md", time.Now())
	tmpl.NotAfter = time.Now().Add(time.Duration(days)*24*time.Hour + time.Hour)
	k := testpki.ECKey()
	return testpki.Issue(tmpl, k.Public(), &p.ca, k).Cert
}

func mpassWith(t *testing.T, p *pki, doc string) netcheck.Target {
	u := serve(t, p, func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, doc) }, nil)
	return netcheck.Target{Service: "mpass", Name: "MPass", Env: "test", URL: u, Probe: "/meta/saml", Metadata: true}
}

// MPass's IdP metadata: valid, expiring soon, unparsable, and not the
// configured certificate.
func TestMPassMetadata(t *testing.T) {
	p := newPKI(t)
	good := idpCert(p, 400)
	got := run(t, p, mpassWith(t, p, metadata(good)), nil)
	want(t, got, "idp", checks.Pass, "CN=mpass.staging.egov.md", good.NotAfter.UTC().Format("2006-01-02"), fingerprint(good))

	soon := idpCert(p, 20)
	got = run(t, p, mpassWith(t, p, metadata(soon)), nil)
	want(t, got, "idp", checks.Warn, "in 20 days", fingerprint(soon))

	got = run(t, p, mpassWith(t, p, "<html><body>Welcome to the hotel Wi-Fi</body></html>"), nil)
	want(t, got, "idp", checks.Fail, "cannot be read", "not SAML metadata", "captive portal")
	got = run(t, p, mpassWith(t, p, "<md:EntityDescriptor"), nil)
	want(t, got, "idp", checks.Fail, "cannot be read")

	got = run(t, p, mpassWith(t, p, metadata(good)), func(o *netcheck.Options) { o.IdPCert = soon })
	want(t, got, "idp", checks.Fail, "not with the configured certificate", fingerprint(soon), fingerprint(good))
	got = run(t, p, mpassWith(t, p, metadata(good)), func(o *netcheck.Options) { o.IdPCert = good })
	want(t, got, "idp", checks.Pass)
}

func fingerprint(c *x509.Certificate) string { return cert.Fingerprint(c) }

// The first line of the text names the cause and its remedy, in each
// language.
func TestFirstLineNamesCause(t *testing.T) {
	p := newPKI(t)
	other := x509.NewCertPool()
	other.AddCert(p.other.Cert)
	u := serve(t, p, ok, requireFrom(other, tls.VersionTLS13))
	opt := netcheck.Options{Timeout: 2 * time.Second, Roots: p.roots, Client: &p.client, ClientSerial: p.clientSerialHex,
		Proxy:   func(*url.URL) (*url.URL, error) { return nil, nil },
		Targets: []netcheck.Target{{Service: "msign", Name: "MSign", Env: "test", URL: u, Probe: "/MSign.svc?singleWsdl", ClientAuth: true}}}
	rs := netcheck.Run(context.Background(), opt)
	for lang, words := range map[string][]string{
		"en": {"Cause — MSign (", "does not accept the issuer", "CN=Test Root", "CN=Other Root", "What to do: Use a system certificate"},
		"ro": {"Cauza — MSign (", "nu acceptă emitentul", "CN=Test Root", "CN=Other Root", "Ce e de făcut: Folosiți"},
		"ru": {"Причина — MSign (", "не принимает издателя", "CN=Test Root", "CN=Other Root", "Что делать: Используйте"},
	} {
		var b bytes.Buffer
		netcheck.WriteText(&b, rs, lang)
		first, _, _ := strings.Cut(b.String(), "\n")
		for _, w := range words {
			if !strings.Contains(first, w) {
				t.Errorf("%s: first line %q lacks %q", lang, first, w)
			}
		}
	}
}

// Through a proxy: which one, and whether it intercepts TLS.
func TestProxyInterception(t *testing.T) {
	p := newPKI(t)
	proxy, _ := connectProxy(t)
	viaProxy := func(o *netcheck.Options) { o.Proxy = func(*url.URL) (*url.URL, error) { return proxy, nil } }

	got := run(t, p, netcheck.Target{URL: serve(t, p, ok, nil)}, viaProxy)
	want(t, got, "tls", checks.Pass, "through the proxy "+proxy.Host+", which does not intercept TLS")

	// What an intercepting proxy does: present a certificate for the host
	// from its own CA.
	k := testpki.ECKey()
	tmpl := testpki.LeafTemplate("localhost", time.Now())
	tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	forged := testpki.Issue(tmpl, k.Public(), &p.other, k)
	u := serve(t, p, ok, func(c *tls.Config) {
		c.Certificates = []tls.Certificate{{Certificate: [][]byte{forged.Cert.Raw}, PrivateKey: k}}
	})
	got = run(t, p, netcheck.Target{URL: u}, viaProxy)
	want(t, got, "tls", checks.Fail, "The proxy "+proxy.Host+" intercepts TLS", "CN=Other Root", "NO_PROXY")
}

// A server that lets any certificate through TLS and refuses it in its
// answer: an expired certificate is still named before registration.
func TestRefusalAnswerNamesExpiryFirst(t *testing.T) {
	p := newPKI(t)
	tmpl := testpki.LeafTemplate("system.example.md", time.Now())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().AddDate(-2, 0, 0), time.Now().AddDate(0, -1, 0)
	client := clientFrom(tmpl, &p.ca)
	u := serve(t, p, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "Unknown service consumer")
	}, func(c *tls.Config) { c.ClientAuth = tls.RequireAnyClientCert })
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, func(o *netcheck.Options) { o.Client = client })
	want(t, got, "http", checks.Fail, "expired on "+tmpl.NotAfter.UTC().Format("2006-01-02"))
	if strings.Contains(got["http"].Message.String(), "not registered") {
		t.Errorf("blames registration: %s", got["http"].Message)
	}
}

// A client certificate that is not valid yet is named as such.
func TestClientCertificateNotYetValid(t *testing.T) {
	p := newPKI(t)
	tmpl := testpki.LeafTemplate("system.example.md", time.Now())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().AddDate(0, 0, 2), time.Now().AddDate(2, 0, 0)
	client := clientFrom(tmpl, &p.ca)
	u := serve(t, p, ok, requireFrom(p.roots, tls.VersionTLS13))
	got := run(t, p, netcheck.Target{URL: u, ClientAuth: true}, func(o *netcheck.Options) { o.Client = client })
	want(t, got, "mtls", checks.Fail, "is not valid yet", "Check this machine's date and time")
}

// An IdP signing certificate past its end is a failure.
func TestMPassMetadataExpired(t *testing.T) {
	p := newPKI(t)
	tmpl := testpki.LeafTemplate("mpass.staging.egov.md", time.Now())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().AddDate(-2, 0, 0), time.Now().AddDate(0, 0, -1)
	k := testpki.ECKey()
	old := testpki.Issue(tmpl, k.Public(), &p.ca, k).Cert
	got := run(t, p, mpassWith(t, p, metadata(old)), nil)
	want(t, got, "idp", checks.Fail, "expired on "+old.NotAfter.UTC().Format("2006-01-02"), fingerprint(old), "Tell AGE")
}
