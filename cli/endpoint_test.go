package cli

import (
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/egovmd/egovsetup/internal/testpki"
)

func init() {
	// httpserver VAR: start a plain-http server on 127.0.0.1 for the rest of
	// the script, answering every request with 200; its URL goes into $VAR
	// and its port into $VAR_PORT.
	scriptCmds["httpserver"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: httpserver VAR")
		}
		// MPass's IdP metadata with a signing certificate, as the idp step
		// expects.
		ca := testpki.CA("Script IdP Root", "Script PKI", nil, time.Now())
		doc := `<EntityDescriptor entityID="idp"><IDPSSODescriptor><KeyDescriptor use="signing"><KeyInfo><X509Data><X509Certificate>` +
			base64.StdEncoding.EncodeToString(ca.Cert.Raw) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, doc)
		}))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.Start()
		ts.Defer(srv.Close)
		ts.Setenv(args[0], srv.URL)
		ts.Setenv(args[0]+"_PORT", strings.TrimPrefix(srv.URL, "http://127.0.0.1:"))
	}
}
