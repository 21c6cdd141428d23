package cli

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/internal/testpki"
)

// run runs the command line in-process and returns its exit code, stdout and
// stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string {
			if k == "XDG_CONFIG_HOME" {
				return t.TempDir()
			}
			return ""
		},
		ReadPassword: func() ([]byte, error) { return nil, io.EOF },
		Now:          time.Now,
	}
	code := Main(args, env)
	return code, stdout.String(), stderr.String()
}

// noRawControls fails the test when out holds anything a terminal would act on.
func noRawControls(t *testing.T, what string, out string) {
	t.Helper()
	if bad := testpki.RawControls([]byte(out)); len(bad) > 0 {
		t.Errorf("%s holds raw control characters %v:\n%s", what, bad, out)
	}
}

func TestCertInspectEscapesHostileNames(t *testing.T) {
	ch := testpki.HostileChain(time.Now())
	file := filepath.Join(t.TempDir(), "hostile.pem")
	if err := os.WriteFile(file, testpki.PEM(ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert), 0o600); err != nil {
		t.Fatal(err)
	}

	_, out, errOut := run(t, "cert", "inspect", file)
	noRawControls(t, "cert inspect", out+errOut)
	for _, want := range []string{
		`CN=CN \x1b]0\;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`,
		`OU=OU \x1b]0\;pwned\x07`,
		`O=O \x1b]0\;pwned\x07`,
		`CN=Inter \x1b]0\;pwned\x07`, // the issuer
		`DNS:dns\x1b]0;pwned\x07\x1b[2J\x0d\x08.example.md`,
		`email:mail\x1b]0;pwned\x07\x1b[2J\x0d\x08@example.md`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("cert inspect does not show %s:\n%s", want, out)
		}
	}

	_, js, _ := run(t, "cert", "inspect", "--json", file)
	noRawControls(t, "cert inspect --json", js)
	var r struct {
		Subject string   `json:"subject"`
		Issuer  string   `json:"issuer"`
		SANs    []string `json:"sans"`
		Chain   []struct {
			Subject string `json:"subject"`
		} `json:"chain"`
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("--json does not parse: %v\n%s", err, js)
	}
	leaf := ch.Leaf.Cert
	if r.Subject != leaf.Subject.String() || r.Issuer != leaf.Issuer.String() {
		t.Errorf("--json subject/issuer %q / %q, want the exact %q / %q", r.Subject, r.Issuer, leaf.Subject, leaf.Issuer)
	}
	if !strings.Contains(strings.Join(r.SANs, "|"), "DNS:"+leaf.DNSNames[0]) {
		t.Errorf("--json SANs %q lack the exact %q", r.SANs, leaf.DNSNames[0])
	}
	if len(r.Chain) == 0 || r.Chain[0].Subject != ch.Intermediate.Cert.Subject.String() {
		t.Errorf("--json chain %+v", r.Chain)
	}
	if !strings.Contains(js, `\u001b]0;pwned\u0007`) || !strings.Contains(js, `\u009b2J\u202eevil`) {
		t.Errorf("--json does not escape the controls as \\u:\n%s", js)
	}
}

// hostileServer answers every request on 127.0.0.1 over TLS with the hostile
// chain's certificate and a raw HTTP response: with rawHeaders, its Date and
// other headers hold terminal escapes (which Go's client refuses, quoting
// them); otherwise its status line does, its Date holds a bidi override and
// its body more escapes. It returns the URL and a PEM file of its root.
func hostileServer(t *testing.T, rawHeaders bool) (string, string) {
	t.Helper()
	ch := testpki.HostileChain(time.Now())
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		body := "\x1b[2J\x1b[H\x1b[32m✓ All checks passed\x1b[0m\r\n" + testpki.Hostile
		if rawHeaders {
			fmt.Fprintf(buf, "HTTP/1.1 403 Forbidden\r\n")
			fmt.Fprintf(buf, "Date: %s\r\n", testpki.Hostile)
			fmt.Fprintf(buf, "Server: %s\r\nX-Evil: \x1b]0;pwned\x07\r\n", testpki.Hostile)
		} else {
			fmt.Fprintf(buf, "HTTP/1.1 403 Forbidden%s\r\n", testpki.Hostile+"\r✓ All checks passed")
			fmt.Fprintf(buf, "Date: Fri, 31 Dec 9999 23:59:59 GMT\u202e\u2066\r\n")
		}
		fmt.Fprintf(buf, "Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		buf.Flush()
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{
		Certificate: [][]byte{ch.Leaf.Cert.Raw, ch.Intermediate.Cert.Raw}, PrivateKey: ch.Leaf.Key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, testpki.PEM(ch.Root.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, ca
}

// forgedPass reports a line of out that, on a terminal, would read as the
// closing "All checks passed" (lines are split at CR too, as a terminal
// would show them).
func forgedPass(out string) string {
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(out, "\r", "\n")))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "✓ All checks passed") || strings.HasPrefix(l, "All checks passed") {
			return l
		}
	}
	return ""
}

func TestDiagnoseEscapesHostileServer(t *testing.T) {
	url, ca := hostileServer(t, false)
	rawURL, rawCA := hostileServer(t, true)
	subject := `CN=CN \x1b]0\;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		// Trusted: the TLS line names the hostile subject and issuer, the
		// HTTP line quotes the hostile status.
		{"trusted", []string{"--endpoint", "mpass=" + url, "--ca", ca},
			[]string{subject, `issued by CN=Inter \x1b]0\;pwned\x07`,
				`403 Forbidden\x1b]0;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil\x0d✓ All checks passed`}},
		// Headers Go refuses: the error quotes them, escaped.
		{"headers", []string{"--endpoint", "mpass=" + rawURL, "--ca", rawCA}, []string{`Date: \x1b]0;pwned`}},
		// Untrusted: the failure names the hostile issuer.
		{"untrusted", []string{"--endpoint", "mpass=" + url}, []string{`issued by CN=Root \x1b]0\;pwned\x07`}},
		// Wrong name: the failure lists the hostile DNS names.
		{"hostname", []string{"--endpoint", "mpass=" + strings.Replace(url, "127.0.0.1", "localhost", 1), "--ca", ca},
			[]string{`dns\x1b]0;pwned\x07\x1b[2J\x0d\x08.example.md`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"diagnose", "--service", "mpass", "--timeout", "5s"}, tc.args...)
			code, out, errOut := run(t, args...)
			if code != ExitFailed {
				t.Errorf("exit %d, want %d\n%s%s", code, ExitFailed, out, errOut)
			}
			noRawControls(t, "diagnose", out+errOut)
			if l := forgedPass(out); l != "" {
				t.Errorf("a line reads as a pass: %q\n%s", l, out)
			}
			if !strings.Contains(out, "check failed") && !strings.Contains(out, "checks failed") {
				t.Errorf("no failure summary:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("diagnose does not show %s:\n%s", w, out)
				}
			}

			_, js, _ := run(t, append(args, "--json")...)
			noRawControls(t, "diagnose --json", js)
			var results []map[string]any
			if err := json.Unmarshal([]byte(js), &results); err != nil || len(results) == 0 {
				t.Fatalf("--json does not parse (%v):\n%s", err, js)
			}
		})
	}
}
