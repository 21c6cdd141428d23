package netcheck_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// countHandshakes makes the server require a client certificate and count
// its full handshakes in n.
func countHandshakes(n *atomic.Int32) func(*tls.Config) {
	return func(c *tls.Config) {
		c.ClientAuth = tls.RequireAnyClientCert
		c.VerifyConnection = func(tls.ConnectionState) error {
			n.Add(1)
			return nil
		}
	}
}

// A healthy MSign costs one handshake: the authenticated call goes over the
// connection the WSDL request opened.
func TestOneHandshakeForProbeAndAuth(t *testing.T) {
	p := newPKI(t)
	var n atomic.Int32
	u := serve(t, p, soapOK, countHandshakes(&n))
	got := run(t, p, msignAuth(u), nil)
	want(t, got, "http", checks.Pass, "200 OK")
	want(t, got, "auth", checks.Pass, "MSign knows this system")
	if n.Load() != 1 {
		t.Errorf("%d handshakes, want 1", n.Load())
	}
}

// A server that closes the connection after the WSDL, saying so or not,
// gets the authenticated call on a new connection, and the closed one is
// not taken for a refused certificate.
func TestAuthAfterServerClosedConnection(t *testing.T) {
	p := newPKI(t)
	for _, say := range []bool{true, false} {
		var n atomic.Int32
		u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				soapOK(w, r)
				return
			}
			if say {
				w.Header().Set("Connection", "close")
				ok(w, r)
				return
			}
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Length: 7\r\n\r\n<wsdl/>", time.Now().UTC().Format(http.TimeFormat))
			conn.Close()
		}, countHandshakes(&n))
		got := run(t, p, msignAuth(u), nil)
		want(t, got, "http", checks.Pass, "200 OK")
		want(t, got, "auth", checks.Pass, "MSign knows this system")
		if n.Load() != 2 {
			t.Errorf("Connection: close said %v: %d handshakes, want 2", say, n.Load())
		}
	}
}

// A WSDL larger than the part read leaves the connection unusable: the call
// goes over a new one.
func TestAuthAfterLongAnswer(t *testing.T) {
	p := newPKI(t)
	var n atomic.Int32
	u := serve(t, p, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			soapOK(w, r)
			return
		}
		io.WriteString(w, "<wsdl>")
		w.Write(make([]byte, 100<<10))
	}, countHandshakes(&n))
	got := run(t, p, msignAuth(u), nil)
	want(t, got, "auth", checks.Pass, "MSign knows this system")
	if n.Load() != 2 {
		t.Errorf("%d handshakes, want 2", n.Load())
	}
}

// A certificate for the service's host from an unknown CA looks like
// interception; an issuer naming an interception product makes it the
// cause.
func TestInterceptionProductNamedAsCause(t *testing.T) {
	p := newPKI(t)
	for _, c := range []struct {
		cn, org, cause string
	}{
		{"FortiGate CA", "Fortinet", "interception"},
		{"Corporate SSL Inspection Root", "Example Corp", "interception"},
		{"Other Root", "Other PKI", ""},
	} {
		ca := testpki.CA(c.cn, c.org, nil, time.Now())
		k := testpki.ECKey()
		tmpl := testpki.LeafTemplate("localhost", time.Now())
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
		forged := testpki.Issue(tmpl, k.Public(), &ca, k)
		u := serve(t, p, ok, func(cfg *tls.Config) {
			cfg.Certificates = []tls.Certificate{{Certificate: [][]byte{forged.Cert.Raw}, PrivateKey: k}}
		})
		got := run(t, p, netcheck.Target{URL: u}, nil)
		want(t, got, "tls", checks.Fail, "CN="+c.cn, "interception")
		if got["tls"].Cause != c.cause {
			t.Errorf("issuer %s: cause %q, want %q", c.cn, got["tls"].Cause, c.cause)
		}
	}
}

// --ca vouching for the server is enough, whatever the system roots hold;
// a server it does not vouch for is still verified against them.
func TestExtraCAsWithSystemRoots(t *testing.T) {
	p := newPKI(t)
	u := serve(t, p, ok, nil)
	got := run(t, p, netcheck.Target{URL: u}, func(o *netcheck.Options) {
		o.Roots = nil
		o.ExtraCAs = []*x509.Certificate{p.ca.Cert}
	})
	want(t, got, "tls", checks.Pass, "CN=localhost")
	got = run(t, p, netcheck.Target{URL: u}, func(o *netcheck.Options) {
		o.Roots = nil
		o.ExtraCAs = []*x509.Certificate{p.other.Cert}
	})
	want(t, got, "tls", checks.Fail, "CN=Test Root")
}
