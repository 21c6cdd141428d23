package cli

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	// httpserver VAR: start a plain-http server on 127.0.0.1 for the rest of
	// the script, answering every request with 200; its URL goes into $VAR
	// and its port into $VAR_PORT.
	scriptCmds["httpserver"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: httpserver VAR")
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<EntityDescriptor/>")
		}))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.Start()
		ts.Defer(srv.Close)
		ts.Setenv(args[0], srv.URL)
		ts.Setenv(args[0]+"_PORT", strings.TrimPrefix(srv.URL, "http://127.0.0.1:"))
	}
}
