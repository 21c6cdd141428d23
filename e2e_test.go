//go:build unix

package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
)

// The end-to-end tests build the real binary and run the wizard in a pseudo
// terminal, reading the screen through a terminal emulator as a user would
// see it.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(t testing.TB) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("pseudo-terminals are Unix only")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "egovsetup-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "egovsetup")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// term is the wizard running in a pseudo terminal.
type term struct {
	t    *testing.T
	cmd  *exec.Cmd
	pty  *os.File
	vt   vt10x.Terminal
	done chan error
}

func startWizard(t *testing.T, env []string, args ...string) *term {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=")
	cmd.Env = append(cmd.Env, env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, cmd: cmd, pty: f, vt: vt10x.New(vt10x.WithSize(100, 30), vt10x.WithWriter(f)), done: make(chan error, 1)}
	go func() {
		buf := make([]byte, 8192)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				tm.vt.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { tm.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		f.Close()
	})
	return tm
}

func (tm *term) screen() string { return tm.vt.String() }

// The waits are generous: the tests also run under the race detector on busy
// machines, where a screen can take seconds to come. They end as soon as the
// screen is right, so a fast machine does not wait.
const (
	screenDeadline = 60 * time.Second
	focusDeadline  = 10 * time.Second
	settleQuiet    = 150 * time.Millisecond
	settleDeadline = 3 * time.Second
)

// waitFor waits until the screen shows every text.
func (tm *term) waitFor(texts ...string) {
	tm.t.Helper()
	deadline := time.Now().Add(screenDeadline)
	for {
		s := tm.screen()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(s, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var keyBytes = map[string]string{
	"enter": "\r", "tab": "\t", "shift+tab": "\x1b[Z", "space": " ",
	"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
	"backspace": "\x7f", "ctrl+c": "\x03", "ctrl+u": "\x15", "esc": "\x1b",
}

// settle waits until the screen has not changed for a moment (or a few
// seconds have passed: a spinner never rests).
func (tm *term) settle() {
	prev, quiet := tm.screen(), time.Now()
	for deadline := time.Now().Add(settleDeadline); time.Now().Before(deadline); {
		time.Sleep(25 * time.Millisecond)
		if s := tm.screen(); s != prev {
			prev, quiet = s, time.Now()
		} else if time.Since(quiet) >= settleQuiet {
			return
		}
	}
}

// press types keys (names from keyBytes, or literal text) as a person would:
// each one after the screen has answered the one before.
func (tm *term) press(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		b, ok := keyBytes[k]
		if !ok {
			b = k
		}
		tm.settle()
		before := tm.screen()
		if _, err := tm.pty.Write([]byte(b)); err != nil {
			tm.t.Fatal(err)
		}
		if k == "enter" || k == "tab" || k == "shift+tab" {
			// Moving between fields takes a round of the program's loop; a
			// person sees the focus move before typing on, and so do we.
			for deadline := time.Now().Add(focusDeadline); tm.screen() == before && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}
}

// exitCode waits for the program to end and returns its exit code.
func (tm *term) exitCode() int {
	tm.t.Helper()
	select {
	case err := <-tm.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			tm.t.Fatal(err)
		}
		return 0
	case <-time.After(screenDeadline):
		tm.t.Fatalf("the program did not end; screen:\n%s", tm.screen())
	}
	return -1
}

// systemPFX writes a password-protected .pfx like the ones STISC issues.
func systemPFX(t *testing.T, path, password string) {
	t.Helper()
	caKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mdtrustca", Organization: []string{"IP Serviciul Tehnologia Informației şi Securitate Cibernetică"}, Country: []string{"MD"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(5 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, _ := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	ca, _ = x509.ParseCertificate(caDER)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	serial, _ := new(big.Int).SetString("4A3F0000000000000000000000000000000000AB", 16)
	leaf := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "registru.example.md", Organization: []string{"Agenția de Guvernare Electronică"}, Country: []string{"MD"}},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(2 * 365 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, _ := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	leaf, _ = x509.ParseCertificate(der)
	pfx, err := pkcs12.Modern2023.Encode(key, leaf, []*x509.Certificate{ca}, password)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
}

// localServices starts an HTTP server on 127.0.0.1 and writes a --data file
// pointing every service's test environment at it, so the connectivity step
// talks to nothing else.
func localServices(t *testing.T, dir string) string {
	t.Helper()
	// MPass's metadata carries an IdP signing certificate, as the idp check
	// expects.
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Local IdP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0)}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	metadata := `<EntityDescriptor entityID="idp"><IDPSSODescriptor><KeyDescriptor use="signing"><KeyInfo><X509Data><X509Certificate>` +
		base64.StdEncoding.EncodeToString(der) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor></IDPSSODescriptor></EntityDescriptor>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/meta/saml" {
			fmt.Fprint(w, metadata)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	t.Cleanup(srv.Close)
	var b strings.Builder
	b.WriteString("services:\n")
	for _, id := range []string{"mpass", "msign", "mpower"} {
		fmt.Fprintf(&b, "  %s:\n    env:\n      test:\n        base: %s\n", id, srv.URL)
	}
	path := filepath.Join(dir, "local-services.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWizardEndToEnd walks the whole wizard once per language, from the
// first screen to a written package, reading each screen's text in that
// language from the catalogue (the first words, since long lines wrap).
func TestWizardEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, lang := range []string{"en", "ro", "ru"} {
		t.Run(lang, func(t *testing.T) { walkWizard(t, lang) })
	}
}

func walkWizard(t *testing.T, lang string) {
	// tx is the start of a message as the screen shows it in lang.
	tx := func(key string, kv ...any) string {
		r := []rune(assets.T(lang, key, kv...))
		return string(r[:min(len(r), 32)])
	}
	work := t.TempDir()
	cfg := filepath.Join(work, "config")
	pfx := filepath.Join(work, "system.pfx")
	systemPFX(t, pfx, "s3cret-Pa55")
	out := filepath.Join(work, "packages")
	env := []string{"XDG_CONFIG_HOME=" + cfg, "HOME=" + work, "EGOVSETUP_DATA=" + localServices(t, work)}

	tm := startWizard(t, env, "--lang", lang)
	// The first screen, literally, in its language.
	tm.waitFor(map[string]string{"en": "Which platforms will the system use?", "ro": "Ce platforme va folosi sistemul?",
		"ru": "Какие платформы будет использовать система?"}[lang])
	tm.waitFor(tx("services.title"), assets.T(lang, "services.option", "Name", "MPass", "Summary", assets.T(lang, "service.mpass.summary")))
	tm.press("space", "down", "space", "enter")
	tm.waitFor(tx("env.title"))
	tm.press("enter")

	// Organization: a mistyped IDNO is caught on the spot.
	tm.waitFor(tx("shell.step_of", "N", 2, "Total", 9, "Title", assets.T(lang, "step.organization.title")), tx("org.name"))
	tm.press("Agenția de Guvernare Electronică", "enter", "1024600042428", "enter")
	tm.waitFor(tx("validate.idno.checksum", "Want", 7, "Got", 8))
	tm.press("backspace", "7", "enter", "Ion Popescu", "enter", "ion.popescu@example.md", "enter", "+373 22 820 000", "enter")
	tm.waitFor(tx("org.type"), tx("org.type.public"))
	tm.press("enter")
	tm.waitFor(tx("org.system_name"))
	tm.press("Registrul autorizațiilor", "enter", "Evidența autorizațiilor emise de agenție", "enter", "tab")

	// Names: cedilla ş ţ are offered the comma-below fix.
	tm.waitFor(tx("names.ro"))
	tm.press("Registrul autorizaţiilor", "enter", "Реестр разрешений", "enter", "Permit registry", "enter",
		"Permite depunerea online a cererilor de autorizare.", "enter")
	tm.waitFor(tx("names.cedilla"), "Registrul autorizațiilor")
	tm.press("enter")

	// Certificate: the file (not a serial AGE already has), the .pfx, a wrong
	// password, then the right one.
	tm.waitFor(tx("certstep.how"), tx("certstep.how.file"))
	tm.press("enter")
	tm.waitFor(tx("certstep.file"))
	tm.press(pfx, "enter")
	tm.waitFor(tx("certstep.password", "File", "system.pfx"))
	tm.press("wrong", "enter")
	tm.waitFor(tx("certstep.password_incorrect"))
	tm.press("s3cret-Pa55")
	if strings.Contains(tm.screen(), "s3cret-Pa55") {
		t.Fatal("the password is shown on the screen")
	}
	tm.press("enter")
	tm.waitFor("4A3F0000000000000000000000000000000000AB", tx("certstep.use"))
	tm.press("enter")

	// Network: addresses, the VPN of the private one, the signer type.
	tm.waitFor(tx("shell.step_of", "N", 5, "Total", 9, "Title", assets.T(lang, "step.network.title")))
	if strings.Contains(tm.screen(), tx("network.detected")) {
		tm.press("enter") // choose none of this machine's addresses
	}
	tm.waitFor(tx("network.ips"))
	tm.press("193.226.0.10", "enter", "10.20.0.5", "tab")
	tm.waitFor(tx("network.vpn", "IP", "10.20.0.5"))
	tm.press("VPN-AGE-Chisinau", "enter")
	tm.waitFor(tx("network.signer"))
	tm.press("down", "down", "enter")

	// MPass: no service root URL, the SAML Issuer, test logout URLs
	// (localhost is fine for test), production's later, the standard
	// attributes, then a custom one with its values.
	tm.waitFor(tx("mpass.service_root"))
	tm.press("enter", "https://localhost:5001", "enter")
	tm.waitFor(tx("mpass.test.logout_request"))
	tm.press("https://localhost:5001/saml/logout", "enter", "enter")
	tm.waitFor(tx("mpass.production_when"))
	tm.press("down", "enter")
	tm.waitFor(tx("mpass.attributes"))
	tm.press("enter")
	tm.waitFor(tx("mpass.custom"))
	tm.press("Role: admin, operator", "tab")

	// Connectivity against the local server, then the review.
	tm.waitFor(tx("shell.step_of", "N", 7, "Total", 9, "Title", assets.T(lang, "step.connectivity.title")))
	tm.waitFor(tx("net.summary.ok"))
	tm.press("enter")
	// The review opens at its top; the cursor waits on the line that writes
	// the package.
	tm.waitFor(tx("shell.step_of", "N", 8, "Total", 9, "Title", assets.T(lang, "step.review.title")),
		assets.T(lang, "step.services.title"), "4A3F0000000000000000000000000000000000AB", tx("review.ready"))
	tm.press("enter")

	// Package.
	tm.waitFor(tx("package.dir"))
	tm.press("ctrl+u", out, "enter")
	tm.waitFor(tx("package.written"), "support.msign@egov.md", "support.mpass@egov.md")
	tm.press("enter")
	if code := tm.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}

	// What the package holds.
	dirs, _ := filepath.Glob(filepath.Join(out, "registrul-autorizatiilor-test-*"))
	var pkg string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			pkg = d
		}
	}
	if pkg == "" {
		t.Fatalf("no package folder in %s: %v", out, dirs)
	}
	b, err := os.ReadFile(filepath.Join(pkg, "registration.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := export.ParseAnswers(b)
	if err != nil {
		t.Fatal(err)
	}
	if a.Organization.IDNO != "1024600042427" || a.Service.RO != "Registrul autorizațiilor" ||
		a.Network.IPs[1] != (export.IPAddress{Address: "10.20.0.5", VPN: "VPN-AGE-Chisinau"}) ||
		a.Network.SignerType != "both" || a.MPass.LogoutResponseURL != "https://localhost:5001/saml/logout" || a.MPass.Issuer != "https://localhost:5001" ||
		a.Certificate.SerialHex() != "4A3F0000000000000000000000000000000000AB" {
		t.Errorf("registration.json: %s", b)
	}
	if strings.Contains(string(b), "s3cret") || strings.Contains(string(b), "PRIVATE KEY") {
		t.Error("registration.json holds secrets")
	}
	if len(a.Connectivity) == 0 {
		t.Error("registration.json lacks the connectivity results")
	}
	// The MPass kit: SP metadata naming the Issuer, and the libraries' configuration.
	if md, err := os.ReadFile(filepath.Join(pkg, "mpass", "sp-metadata.xml")); err != nil || !strings.Contains(string(md), `entityID="https://localhost:5001"`) {
		t.Errorf("mpass/sp-metadata.xml: %v\n%s", err, md)
	}
	if cfgJSON, err := os.ReadFile(filepath.Join(pkg, "config", "appsettings.json")); err != nil || !json.Valid(cfgJSON) {
		t.Errorf("config/appsettings.json: %v\n%s", err, cfgJSON)
	}
	// The package is recorded in the ledger, for status and renew.
	if l, err := export.LoadLedger(filepath.Join(cfg, "egovsetup", "ledger.json")); err != nil || len(l.Entries) != 1 ||
		l.Entries[0].SerialHex != "4A3F0000000000000000000000000000000000AB" || l.Entries[0].Package != pkg {
		t.Errorf("ledger after the wizard: %+v %v", l, err)
	}
	// Nothing in the package holds the password or a private key.
	_ = filepath.Walk(pkg, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		if strings.Contains(string(data), "s3cret-Pa55") || strings.Contains(string(data), "PRIVATE KEY") {
			t.Errorf("%s holds a secret", p)
		}
		return nil
	})
	// The saved answers never hold the password either.
	saved, _ := os.ReadFile(systemFile(t, cfg))
	if len(saved) == 0 || strings.Contains(string(saved), "s3cret") {
		t.Errorf("saved answers: %d bytes, password inside: %v", len(saved), strings.Contains(string(saved), "s3cret"))
	}
}

// systemFile is the one system's answers file the wizard keeps under the
// config folder cfg.
func systemFile(t *testing.T, cfg string) string {
	t.Helper()
	s := &export.Store{Dir: filepath.Join(cfg, "egovsetup")}
	list, err := s.Systems(time.Now(), 30)
	if err != nil || len(list) != 1 {
		t.Fatalf("systems in %s: %+v %v", s.SystemsDir(), list, err)
	}
	return list[0].Path
}

func TestWizardCtrlCKeepsAnswersAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	work := t.TempDir()
	env := []string{"XDG_CONFIG_HOME=" + filepath.Join(work, "config"), "HOME=" + work}

	tm := startWizard(t, env)
	tm.waitFor("Which platforms will the system use?")
	tm.press("down", "down", "space", "enter", "enter")
	tm.waitFor("Institution or company name")
	tm.press("Agenția de Guvernare Electronică", "enter", "1024600042427")
	tm.press("ctrl+c")
	if code := tm.exitCode(); code != 130 {
		t.Fatalf("exit code %d, want 130", code)
	}
	tm.waitFor("Your answers are saved in", "Run egovsetup again to resume at “Organization”")

	again := startWizard(t, env)
	// The first screen lists the system begun, then asks where to go on.
	again.waitFor("Which system?", "New system")
	again.press("enter")
	again.waitFor("Continue where you stopped?", "Resume at “Organization”")
	again.press("enter")
	again.waitFor("egovsetup · MPower · test", "Agenția de Guvernare Electronică", "1024600042427")
	again.press("ctrl+c")
	if code := again.exitCode(); code != 130 {
		t.Fatalf("second run: exit code %d, want 130", code)
	}
}

// altScreen reports whether the terminal shows the alternate screen.
func (tm *term) altScreen() bool {
	tm.vt.Lock()
	defer tm.vt.Unlock()
	return tm.vt.Mode()&vt10x.ModeAltScreen != 0
}

// SIGTERM and SIGHUP keep what is typed on the screen: the wizard saves it,
// leaves the alternate screen, says how to resume and exits 143 or 129.
func TestWizardSignalsKeepTyping(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			work := t.TempDir()
			cfg := filepath.Join(work, "config")
			tm := startWizard(t, []string{"XDG_CONFIG_HOME=" + cfg, "HOME=" + work})
			tm.waitFor("Which platforms will the system use?")
			if !tm.altScreen() {
				t.Fatal("the wizard is not on the alternate screen")
			}
			tm.press("down", "down", "space", "enter", "enter")
			tm.waitFor("Institution or company name")
			tm.press("Primăria Exemplu")
			tm.waitFor("Primăria Exemplu")
			tm.cmd.Process.Signal(tc.sig)
			if code := tm.exitCode(); code != tc.code {
				t.Fatalf("exit code %d, want %d", code, tc.code)
			}
			tm.waitFor("Your answers are saved in", "Run egovsetup again to resume at “Organization”")
			if tm.altScreen() {
				t.Error("the alternate screen was left on")
			}
			a, err := export.LoadAnswers(systemFile(t, cfg))
			if err != nil {
				t.Fatal(err)
			}
			if a.Organization.Name != "Primăria Exemplu" {
				t.Errorf("saved organization name %q, want what was typed", a.Organization.Name)
			}
		})
	}
}

// When the answers cannot be saved (a read-only config folder), the wizard
// says so on SIGTERM and never claims they are saved.
func TestWizardSaysWhenAnswersCannotBeSaved(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	work := t.TempDir()
	cfg := filepath.Join(work, "config")
	if os.Geteuid() == 0 {
		// root writes into read-only folders: a file where the config
		// folder should be makes saving fail the same way for everyone.
		os.WriteFile(cfg, []byte("not a folder"), 0o600)
	} else {
		os.MkdirAll(filepath.Join(cfg, "egovsetup"), 0o700)
		os.Chmod(filepath.Join(cfg, "egovsetup"), 0o500)
		t.Cleanup(func() { os.Chmod(filepath.Join(cfg, "egovsetup"), 0o700) })
	}
	tm := startWizard(t, []string{"XDG_CONFIG_HOME=" + cfg, "HOME=" + work})
	tm.waitFor("Which platforms will the system use?")
	tm.press("down", "down", "space", "enter", "enter")
	tm.waitFor("Institution or company name", "Could not save the answers")
	tm.press("Primăria Exemplu")
	tm.cmd.Process.Signal(syscall.SIGTERM)
	if code := tm.exitCode(); code != 143 {
		t.Fatalf("exit code %d, want 143", code)
	}
	tm.waitFor("Could not save your answers to")
	if strings.Contains(tm.screen(), "Your answers are saved") {
		t.Errorf("the screen claims the answers are saved:\n%s", tm.screen())
	}
}

// Saved answers that cannot be read are moved aside, and the first screen
// says so before anything is asked.
func TestWizardMovesUnreadableAnswersAsideAndSaysSo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	work := t.TempDir()
	cfg := filepath.Join(work, "config")
	path := filepath.Join(cfg, "egovsetup", "answers.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte("{\"schema\": 1} trailing"), 0o600)
	os.WriteFile(path+".unreadable", []byte("kept from before"), 0o600)
	tm := startWizard(t, []string{"XDG_CONFIG_HOME=" + cfg, "HOME=" + work})
	tm.waitFor("! The saved answers in", "could not be read", "Which platforms will the system use?")
	if b, _ := os.ReadFile(path + ".unreadable.2"); string(b) != "{\"schema\": 1} trailing" {
		t.Errorf("the unreadable answers were not kept aside: %q", b)
	}
	if b, _ := os.ReadFile(path + ".unreadable"); string(b) != "kept from before" {
		t.Errorf("an earlier file set aside was overwritten: %q", b)
	}
	tm.press("ctrl+c")
	tm.exitCode()
}

// --answers naming a FIFO, a device or a folder ends at once with exit 2 and
// a line saying what it is. The time and peak memory are reported; the peak
// RSS is measured by GNU time where it is installed (the rusage of a child
// started by this test would count the test's own memory, shared until exec),
// with a generous 50 MB budget.
func TestAnswersThatAreNotFilesEndAtOnce(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "answers.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	gnuTime, _ := exec.LookPath("time")
	if gnuTime != "" && exec.Command(gnuTime, "-f", "%M", "true").Run() != nil {
		gnuTime = ""
	}
	for path, want := range map[string]string{fifo: "is a named pipe (FIFO), not a regular file",
		"/dev/zero": "is a device, not a regular file", dir: "is a folder, not a file"} {
		cmd := exec.Command(bin, "--answers", path)
		if gnuTime != "" {
			cmd = exec.Command(gnuTime, "-f", "maxrss-kb %M", bin, "--answers", path)
		}
		cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "XDG_CONFIG_HOME="+dir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(screenDeadline):
			cmd.Process.Kill()
			t.Fatalf("--answers %s: still running after %v", path, screenDeadline)
		}
		took := time.Since(start)
		code := cmd.ProcessState.ExitCode()
		if code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("--answers %s: exit %d, %q; want 2 and %q", path, code, stderr.String(), want)
		}
		var kb int64
		if i := strings.LastIndex(stderr.String(), "maxrss-kb "); i >= 0 {
			fmt.Sscan(stderr.String()[i+len("maxrss-kb "):], &kb)
		}
		t.Logf("--answers %s: exit %d in %v, peak RSS %.1f MB (0: not measured)", path, code, took.Round(time.Millisecond), float64(kb)/1000)
		if kb > 50_000 {
			t.Errorf("--answers %s: peak RSS %d kB, budget 50 MB", path, kb)
		}
	}
}

// The line-by-line wizard speaks the chosen language in the prompts' own
// words too (the form library writes them in English): the instruction, the
// numbers' prompt, the refusal of a number out of range.
func TestAccessibleWizardSpeaksRomanian(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	work := t.TempDir()
	tm := startWizard(t, []string{"XDG_CONFIG_HOME=" + filepath.Join(work, "config"), "HOME=" + work}, "--accessible", "--lang", "ro")
	tm.waitFor(assets.T("ro", "services.title"), assets.T("ro", "plain.enter_number", "Low", 0, "High", 3),
		"0.   "+assets.T("ro", "plain.confirm_selection"))
	tm.press("9", "enter")
	tm.waitFor(assets.T("ro", "plain.invalid_number", "Low", 0, "High", 3))
	tm.press("1", "enter", "0", "enter")
	tm.waitFor(assets.T("ro", "plain.enter_number", "Low", 1, "High", 2))
	for _, english := range []string{"Select up to", "Confirm selection", "Enter a number", "Invalid:"} {
		if strings.Contains(tm.screen(), english) {
			t.Errorf("%q on the Romanian screen:\n%s", english, tm.screen())
		}
	}
}

// In accessible mode too, SIGTERM saves the answers, says how to resume and
// exits 143.
func TestAccessibleWizardEndsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	work := t.TempDir()
	cfg := filepath.Join(work, "config")
	tm := startWizard(t, []string{"XDG_CONFIG_HOME=" + cfg, "HOME=" + work}, "--accessible")
	tm.waitFor("Which platforms will the system use?")
	tm.cmd.Process.Signal(syscall.SIGTERM)
	if code := tm.exitCode(); code != 143 {
		t.Fatalf("exit code %d, want 143", code)
	}
	tm.waitFor("Your answers are saved in")
	if _, err := export.LoadAnswers(systemFile(t, cfg)); err != nil {
		t.Errorf("saved answers: %v", err)
	}
}
