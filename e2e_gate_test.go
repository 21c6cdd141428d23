//go:build unix

package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// seedProductionWithTestCertificate saves, in the wizard's config folder, a
// test registration that was built and then switched to production, all
// steps done: its certificate is from AGE's test PKI and has expired; its
// connectivity result is the test environment's. (The test package was
// written with another certificate: the one registered for test is refused
// for production by the ledger outright, with no override.)
func seedProductionWithTestCertificate(t *testing.T, cfg string) {
	t.Helper()
	now := time.Now()
	tmpl := testpki.LeafTemplate("sistem.primaria-exemplu.md", now.Add(-400*24*time.Hour))
	tmpl.NotAfter = now.Add(-24 * time.Hour)
	key := testpki.NewRSAKey()
	ch := testpki.ChainFrom(now.Add(-400*24*time.Hour), "egov.md", "E-Governance Agency", "pki.egov.md", tmpl, key)
	l, err := cert.Load(context.Background(),
		testpki.PFX(pkcs12.Modern2023, key, ch.Leaf.Cert, []*x509.Certificate{ch.Intermediate.Cert, ch.Root.Cert}, "pw"), "pw")
	if err != nil {
		t.Fatal(err)
	}
	a, err := export.LoadAnswers(filepath.Join("examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	a.Certificate = export.NewCertificate(l)
	a.Record(export.Registration{Env: "test", SerialHex: "4A3F00000000000000000000000000000000A0A0", SHA256: strings.Repeat("A0", 32),
		Built: now.Add(-30 * 24 * time.Hour)})
	a.Connectivity = []export.ConnectivityResult{{ID: "tls", Service: "msign", Env: "test", Target: "https://msign.test.example",
		Severity: checks.Pass}}
	a.Env, a.TestingDone, a.TestedOn = "production", true, now.Add(-48*time.Hour).Format("2006-01-02")
	a.MPass.Test = &export.LogoutURLs{Request: a.MPass.LogoutRequestURL, Response: a.MPass.LogoutResponseURL}
	a.MPass.Production = &export.LogoutURLs{Request: a.MPass.LogoutRequestURL, Response: a.MPass.LogoutResponseURL}
	dir := filepath.Join(cfg, "egovsetup")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := export.SaveAnswers(filepath.Join(dir, "answers.json"), a); err != nil {
		t.Fatal(err)
	}
	progress, _ := json.Marshal(map[string]any{"schema": 1, "completed": []string{"services", "organization", "names",
		"certificate", "network", "mpass", "connectivity"}})
	if err := os.WriteFile(filepath.Join(dir, "answers.progress.json"), progress, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A production registration with an expired certificate of AGE's test
// PKI, in a real terminal: the review says the checks fail, the package
// step lists why and goes back on enter, writing nothing; moving to
// "write it anyway" and confirming writes the package with the override
// recorded.
func TestWizardGatesAFailingPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const lang = "ro"
	tx := func(key string, kv ...any) string {
		r := []rune(assets.T(lang, key, kv...))
		return string(r[:min(len(r), 32)])
	}
	work := t.TempDir()
	cfg := filepath.Join(work, "config")
	seedProductionWithTestCertificate(t, cfg)
	out := filepath.Join(work, "packages")
	env := []string{"XDG_CONFIG_HOME=" + cfg, "HOME=" + work}

	tm := startWizard(t, env, "--lang", lang)
	// The saved answers became one system: the list names it first.
	tm.waitFor(tx("systems.title"))
	tm.press("enter")
	tm.waitFor(tx("resume.title"))
	tm.press("enter")
	tm.waitFor(tx("review.failures", "Count", 2))
	if strings.Contains(tm.screen(), tx("review.ready")) {
		t.Fatalf("the review calls the registration complete:\n%s", tm.screen())
	}
	// The cursor waits on the certificate; four sections below it is the
	// line that writes the package.
	tm.press("down", "down", "down", "down", "enter")
	tm.waitFor(tx("package.override.title"), "A expirat la", tx("package.override.back"))
	tm.press("enter")
	tm.waitFor(tx("review.failures", "Count", 2))
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a package was written without the override")
	}
	tm.press("down", "down", "down", "down", "enter")
	tm.waitFor(tx("package.override.write"))
	tm.press("down", "enter")
	tm.waitFor(tx("package.dir"))
	tm.press("ctrl+u", out, "enter")
	tm.waitFor(tx("package.overridden"), tx("package.written"))
	tm.press("enter")
	if code := tm.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	readmes, _ := filepath.Glob(filepath.Join(out, "*-production-*", "README.txt"))
	if len(readmes) != 1 {
		t.Fatalf("README.txt: %v", readmes)
	}
	if b, _ := os.ReadFile(readmes[0]); !strings.Contains(string(b), "GENERAT DEȘI ACESTE VERIFICĂRI EȘUEAZĂ") {
		t.Errorf("README.txt does not record the override:\n%s", b)
	}
}
