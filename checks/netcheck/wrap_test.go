package netcheck_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/checks/netcheck"
)

// diagnose's text on a terminal 80 columns wide, in Romanian and Russian:
// no line is wider, and no word of a message, a remedy or the cause line
// is broken across lines. Unwrapped (a pipe, the package's file), the cause
// stays on one line.
func TestTextWrapsBetweenWords(t *testing.T) {
	p := newPKI(t)
	other := x509.NewCertPool()
	other.AddCert(p.other.Cert)
	u := serve(t, p, ok, requireFrom(other, tls.VersionTLS13))
	opt := netcheck.Options{Timeout: 2 * time.Second, Roots: p.roots, Client: &p.client, ClientSerial: p.clientSerialHex,
		Proxy:   func(*url.URL) (*url.URL, error) { return nil, nil },
		Targets: []netcheck.Target{{Service: "msign", Name: "MSign", Env: "test", URL: u, Probe: "/MSign.svc?singleWsdl", ClientAuth: true}}}
	rs := netcheck.Run(context.Background(), opt)
	for _, lang := range []string{"ro", "ru", "en"} {
		var plain bytes.Buffer
		netcheck.WriteText(&plain, rs, lang)
		first, _, _ := strings.Cut(plain.String(), "\n")
		if ansi.StringWidth(first) <= 80 {
			t.Fatalf("%s: the cause line is short enough not to need wrapping: %q", lang, first)
		}
		words := strings.Fields(first)
		for _, r := range rs {
			words = append(words, strings.Fields(r.Message.In(lang))...)
			words = append(words, strings.Fields(r.Remedy.In(lang))...)
		}

		var b bytes.Buffer
		netcheck.WriteTextWidth(&b, rs, lang, 80)
		lines := strings.Split(b.String(), "\n")
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("%s: line of %d cells: %q", lang, w, l)
			}
		}
		for _, w := range words {
			if !strings.Contains(b.String(), w) || !anyLineHas(lines, w) {
				t.Errorf("%s: %q broken across lines:\n%s", lang, w, b.String())
			}
		}
		if strings.Join(strings.Fields(b.String()), " ") != strings.Join(strings.Fields(plain.String()), " ") {
			t.Errorf("%s: wrapping changed the text:\n%s\n---\n%s", lang, b.String(), plain.String())
		}
	}
}

func anyLineHas(lines []string, w string) bool {
	for _, l := range lines {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
