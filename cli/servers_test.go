package cli

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/egovmd/egovsetup/internal/testpki"
)

func init() {
	// tlsserver VAR MODE: start an HTTPS server on 127.0.0.1 for the rest of
	// the script; its URL goes into $VAR and its CA into VAR-ca.pem. MODE is
	// ok, mtls (requires any client certificate), reject (requires one from
	// an unrelated CA), consumer (403 "Unknown service consumer") or
	// blackhole (accepts TCP, never answers).
	scriptCmds["tlsserver"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: tlsserver VAR MODE")
		}
		name, mode := args[0], args[1]
		if mode == "blackhole" {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			ts.Check(err)
			go func() {
				for {
					c, err := l.Accept()
					if err != nil {
						return
					}
					defer c.Close()
				}
			}()
			ts.Defer(func() { l.Close() })
			ts.Setenv(name, "https://"+l.Addr().String())
			return
		}
		now := time.Now()
		ca := testpki.CA("Script Test Root", "Script PKI", nil, now)
		key := testpki.ECKey()
		tmpl := testpki.LeafTemplate("localhost", now)
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
		leaf := testpki.Issue(tmpl, key.Public(), &ca, key)
		leafRaw := leaf.Cert.Raw
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if mode == "consumer" {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, "<s:Fault>Unknown service consumer</s:Fault>")
				return
			}
			if r.URL.Path == "/meta/saml" {
				// MPass's IdP metadata, signed with the server's own certificate.
				io.WriteString(w, `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="idp"><IDPSSODescriptor>`+
					`<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>`+
					base64.StdEncoding.EncodeToString(leafRaw)+`</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`)
				return
			}
			io.WriteString(w, "ok")
		})
		srv := httptest.NewUnstartedServer(h)
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.Cert.Raw}, PrivateKey: key}}}
		switch mode {
		case "mtls", "consumer":
			srv.TLS.ClientAuth = tls.RequireAnyClientCert
		case "reject":
			other := x509.NewCertPool()
			other.AddCert(testpki.CA("Unrelated Root", "Elsewhere", nil, now).Cert)
			srv.TLS.ClientAuth = tls.RequireAndVerifyClientCert
			srv.TLS.ClientCAs = other
		}
		srv.StartTLS()
		ts.Defer(srv.Close)
		ts.Setenv(name, srv.URL)
		ts.Check(os.WriteFile(ts.MkAbs(strings.ToLower(name)+"-ca.pem"), testpki.PEM(ca.Cert), 0o600))
	}
}
