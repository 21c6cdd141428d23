package export

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/checks/netcheck"
	"github.com/egovmd/egovsetup/internal/redact"
	"github.com/egovmd/egovsetup/internal/safefile"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// BundleInput is what a support bundle is made from: what diagnose found,
// and what the ticket needs to know about this machine.
type BundleInput struct {
	// ResultsText and ResultsJSON are diagnose's results as printed.
	ResultsText, ResultsJSON []byte
	// CertText and CertJSON are the certificate report (nil: no certificate).
	CertText, CertJSON []byte
	// Answers give the registration summary (nil: none saved).
	Answers *Answers
	// Clock is the clock comparison's result, as text ("" : not compared).
	Clock string
	// Version is egovsetup's version ("": the module's build version).
	Version string
	Now     time.Time
	// Getenv reads the proxy settings (nil: os.Getenv).
	Getenv func(string) string
	// ResolvConf is the resolver configuration read ("": /etc/resolv.conf).
	ResolvConf string
	// Addrs lists this machine's addresses (nil: net.InterfaceAddrs).
	Addrs func() ([]net.Addr, error)
	// HoldsKey reports whether data holds the private key (the caller, who
	// has it in memory, supplies it); Secrets are passwords to look for.
	HoldsKey func([]byte) bool
	Secrets  []string
}

// ErrBundleSecret aborts a bundle whose files would hold key material or a
// password; nothing is written. It says so in the user's language.
var ErrBundleSecret error = checks.Problemf("cli.diagnose.bundle_secret")

// minSecretLen: shorter passwords would be found by chance in any text, so
// they are not searched for (they are never written by this program).
const minSecretLen = 4

// proxyVars are the environment variables that choose a proxy.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"}

// WriteBundle writes the support bundle, a .zip, to path. An existing file
// is never replaced: the bundle is made beside it and linked into place
// only if the name is free.
func WriteBundle(path string, in BundleInput) error {
	files, err := bundleFiles(in)
	if err != nil {
		return err
	}
	if holdsSecret(files, in) {
		return ErrBundleSecret
	}
	if _, err := os.Lstat(path); err == nil {
		return &ExistsError{Path: path}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := writeZip(tmp, files, in.Now); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// A hard link fails when the name is taken: no file is ever replaced.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return &ExistsError{Path: path}
		}
		if _, serr := os.Lstat(path); serr == nil {
			return &ExistsError{Path: path}
		}
		return os.Rename(tmp.Name(), path)
	}
	return nil
}

// holdsSecret reports whether a file of the bundle holds key material or
// one of the passwords.
func holdsSecret(files []bundleFile, in BundleInput) bool {
	for _, f := range files {
		if holdsKeyMaterial(f.data, in.HoldsKey) {
			return true
		}
		for _, s := range in.Secrets {
			if len(s) >= minSecretLen && bytes.Contains(f.data, []byte(s)) {
				return true
			}
		}
	}
	return false
}

// writeZip writes files as a .zip to w.
func writeZip(w io.Writer, files []bundleFile, modified time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: modified})
		if err == nil {
			_, err = fw.Write(f.data)
		}
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

type bundleFile struct {
	name string
	data []byte
}

// bundleFiles makes the bundle's files; outside text goes through safetext.
func bundleFiles(in BundleInput) ([]bundleFile, error) {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	files := []bundleFile{
		{"diagnose.txt", []byte(safetext.Block(string(in.ResultsText)))},
		{"diagnose.json", in.ResultsJSON},
	}
	if in.CertText != nil {
		files = append(files, bundleFile{"certificate/report.txt", []byte(safetext.Block(string(in.CertText)))},
			bundleFile{"certificate/report.json", in.CertJSON})
	}
	if in.Answers != nil {
		b, err := json.MarshalIndent(registrationSummary(in.Answers), "", "  ")
		if err != nil {
			return nil, err
		}
		files = append(files, bundleFile{"registration.json", append(b, '\n')})
	}
	files = append(files, bundleFile{"system.txt", systemText(in)})
	return files, nil
}

// summary is the registration as a ticket needs it: who, what, which
// certificate and which addresses, never more.
type summary struct {
	Services     []string          `json:"services"`
	Env          string            `json:"env"`
	Organization string            `json:"organization,omitempty"`
	System       string            `json:"system,omitempty"`
	Certificate  *CertificateFacts `json:"certificate,omitempty"`
	IPs          []IPAddress       `json:"ips,omitempty"`
	SignerType   string            `json:"signer_type,omitempty"`
	Registered   []Registration    `json:"registered,omitempty"`
}

func registrationSummary(a *Answers) summary {
	s := summary{Services: a.Services, Env: a.Env, Organization: a.Organization.Name, System: a.System.Name,
		IPs: a.Network.IPs, SignerType: a.Network.SignerType, Registered: a.Registered}
	s.Certificate = a.Certificate.Facts() // the facts are enough; the certificate is in the report
	return s
}

// systemText describes this machine: OS, architecture and version, the
// proxy settings without credentials, the resolver, local addresses and
// the clock offset.
func systemText(in BundleInput) []byte {
	t := &textLines{}
	t.line("egovsetup %s", bundleVersion(in.Version))
	t.line("written %s", in.Now.UTC().Format(time.RFC3339))
	t.line("os %s, arch %s, %s", runtime.GOOS, runtime.GOARCH, runtime.Version())
	t.b.WriteString("\nproxy settings\n")
	t.proxies(in.Getenv)
	t.b.WriteString("\nresolver\n")
	t.resolver(in.ResolvConf)
	t.b.WriteString("\nlocal addresses\n")
	t.addresses(in.Addrs)
	t.b.WriteString("\nclock\n")
	if in.Clock != "" {
		t.line("  %s", in.Clock)
	} else {
		t.line("  not compared")
	}
	return []byte(t.b.String())
}

// bundleVersion is the version a bundle names: v, else the module's build
// version, else "dev".
func bundleVersion(v string) string {
	if v != "" {
		return v
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "dev"
}

// textLines writes a text file's lines, each made safe (safetext.Line).
type textLines struct{ b strings.Builder }

func (t *textLines) line(format string, a ...any) {
	t.b.WriteString(safetext.Line(fmt.Sprintf(format, a...)) + "\n")
}

// proxies writes the proxy settings, without credentials.
func (t *textLines) proxies(getenv func(string) string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	anyProxy := false
	for _, v := range proxyVars {
		if val := getenv(v); val != "" {
			t.line("  %s=%s", v, proxyValue(val))
			anyProxy = true
		}
	}
	if !anyProxy {
		t.line("  none")
	}
}

// resolver writes the resolver configuration's nameserver, search, domain
// and options lines ("": /etc/resolv.conf).
func (t *textLines) resolver(conf string) {
	if conf == "" {
		conf = "/etc/resolv.conf"
	}
	data, err := safefile.Read(conf, 64<<10)
	if err != nil {
		t.line("  %s: %v", conf, err)
		return
	}
	n := 0
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "nameserver" || f[0] == "search" || f[0] == "domain" || f[0] == "options") {
			t.line("  %s", l)
			n++
		}
	}
	if n == 0 {
		t.line("  %s: no nameserver lines", conf)
	}
}

// addresses writes this machine's addresses, sorted (nil: net.InterfaceAddrs).
func (t *textLines) addresses(addrs func() ([]net.Addr, error)) {
	if addrs == nil {
		addrs = net.InterfaceAddrs
	}
	as, err := addrs()
	if err != nil {
		t.line("  %v", err)
		return
	}
	var names []string
	for _, a := range as {
		names = append(names, a.String())
	}
	sort.Strings(names)
	for _, n := range names {
		t.line("  %s", n)
	}
}

// proxyValue is a proxy setting without its credentials: the user name as
// well as the password of a URL's user information are left out.
func proxyValue(v string) string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		shown := redact.URL(strings.TrimSpace(part))
		if i := strings.Index(shown, "://"); i >= 0 {
			rest := shown[i+3:]
			if at := strings.LastIndex(rest, "@"); at >= 0 && !strings.ContainsAny(rest[:at], "/?#") {
				shown = shown[:i+3] + "xxxxx@" + rest[at+1:]
			}
		} else if at := strings.LastIndex(shown, "@"); at >= 0 && !strings.ContainsAny(shown[:at], "/?#") {
			shown = "xxxxx@" + shown[at+1:]
		}
		out = append(out, shown)
	}
	return strings.Join(out, ",")
}

// BundleFrom gathers a support bundle's contents from a diagnose run: the
// results as text and JSON, the certificate report of l (nil: none) and
// the saved answers. The wizard's connectivity step shares it.
func BundleFrom(results []netcheck.Result, l *cert.Loaded, ans *Answers, services []string, env string, now time.Time) (BundleInput, error) {
	var txt bytes.Buffer
	netcheck.WriteText(&txt, results, assets.DefaultLang)
	js, err := json.MarshalIndent(results, "", "  ")
	if err != nil {
		return BundleInput{}, err
	}
	in := BundleInput{ResultsText: txt.Bytes(), ResultsJSON: append(js, '\n'), Answers: ans, Now: now}
	for _, r := range results {
		if r.Step == netcheck.StepClock && r.Status != checks.Skip {
			in.Clock += r.Service + ": " + r.Message.String() + " "
		}
	}
	in.Clock = strings.TrimSpace(in.Clock)
	if l != nil {
		rep := cert.NewReport(l, cert.Options{Services: services, Env: env, Now: now})
		var ct bytes.Buffer
		if err := rep.WriteText(&ct, assets.DefaultLang); err != nil {
			return BundleInput{}, err
		}
		cj, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return BundleInput{}, err
		}
		in.CertText, in.CertJSON, in.HoldsKey = ct.Bytes(), append(cj, '\n'), l.ContainsKey
	}
	return in, nil
}
