package cli

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

var ledgerNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// runAt runs the command line in-process at a fixed time, with the given
// environment variables (the store is found through $XDG_CONFIG_HOME, set
// by the caller with t.Setenv).
func runAt(t *testing.T, now time.Time, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &Env{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv:       func(k string) string { return env[k] },
		ReadPassword: func() ([]byte, error) { return nil, io.EOF },
		Now:          func() time.Time { return now },
	}
	code := Main(args, e)
	return code, stdout.String(), stderr.String()
}

// tempStore points $XDG_CONFIG_HOME at a fresh folder and returns the store.
func tempStore(t *testing.T) *export.Store {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	s, err := export.DefaultStore()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func record(t *testing.T, s *export.Store, es ...export.LedgerEntry) {
	t.Helper()
	err := s.UpdateLedger(func(l *export.Ledger) error {
		for _, e := range es {
			l.Add(e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ledgerEntry(system, env, serial string, days int, services ...string) export.LedgerEntry {
	return export.LedgerEntry{SystemID: export.Slug(system), System: system, Env: env, Services: services,
		SerialHex: serial, SHA256: "SHA" + serial, NotAfter: ledgerNow.AddDate(0, 0, days), Built: ledgerNow.AddDate(0, -1, 0),
		Package: "/packages/" + export.Slug(system) + "-" + env}
}

// status exits 0 with 120 days left, 1 with 29 and with -1; --within moves
// the line; --system filters; --json carries the same.
func TestStatusExitCodes(t *testing.T) {
	for _, c := range []struct {
		days   int
		code   int
		within string
		cell   string
	}{
		{120, ExitOK, "30", "120"},
		{29, ExitFailed, "30", "29, renew"},
		{29, ExitOK, "28", "29"},
		{-1, ExitFailed, "30", "-1, expired"},
		{-1, ExitFailed, "0", "-1, expired"},
	} {
		s := tempStore(t)
		record(t, s, ledgerEntry("Registrul autorizațiilor", "test", "0A0B", c.days, "mpass", "msign"))
		code, out, errOut := runAt(t, ledgerNow, nil, "status", "--lang", "en", "--within", c.within)
		if code != c.code {
			t.Errorf("%d days, --within %s: exit %d, want %d\n%s%s", c.days, c.within, code, c.code, out, errOut)
		}
		line := strings.Split(out, "\n")[1]
		for _, want := range []string{"Registrul autorizațiilor", "test", "MPass, MSign", "0A0B", ledgerNow.AddDate(0, 0, c.days).Format("2006-01-02"), c.cell} {
			if !strings.Contains(line, want) {
				t.Errorf("%d days: row %q lacks %q", c.days, line, want)
			}
		}
		if strings.Contains(out, "\x1b[") {
			t.Errorf("colour without a terminal: %q", out)
		}
	}
}

// Three systems on two environments: one table, each row with its days
// left; a terminal gets the days coloured, NO_COLOR does not.
// One scenario checked step by step: its many checks are its branches.
func TestStatusThreeSystems(t *testing.T) {
	s := tempStore(t)
	record(t, s,
		ledgerEntry("Alfa", "test", "A1", 400, "mpass"), ledgerEntry("Alfa", "production", "A2", 200, "mpass"),
		ledgerEntry("Beta", "test", "B1", 29, "msign"), ledgerEntry("Beta", "production", "B2", 300, "msign", "mpower"),
		ledgerEntry("Gama", "test", "C1", -3, "mpower"), ledgerEntry("Gama", "production", "C2", 90, "mpower"))
	code, out, _ := runAt(t, ledgerNow, nil, "status", "--lang", "en")
	if code != ExitFailed {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := [][]string{{"SYSTEM", "ENVIRONMENT", "PLATFORMS", "SERIAL NUMBER", "EXPIRES", "DAYS LEFT", "AGE"},
		{"Alfa", "test", "A1", "400"}, {"Alfa", "production", "A2", "200"}, {"Beta", "test", "B1", "29, renew"},
		{"Beta", "production", "MSign, MPower", "B2", "300"}, {"Gama", "test", "C1", "-3, expired"}, {"Gama", "production", "C2", "90"}}
	for i, w := range want {
		for _, s := range w {
			if !strings.Contains(lines[i], s) {
				t.Errorf("line %d %q lacks %q", i, lines[i], s)
			}
		}
	}
	if !strings.Contains(out, "Needs attention: 1 expired, 1 expiring within 30 days") {
		t.Errorf("summary:\n%s", out)
	}
	// The columns line up: every row's serial starts where the header's does.
	col := strings.Index(lines[0], "SERIAL NUMBER")
	for _, l := range lines[1:7] {
		if strings.Index(l, " ") < 0 || !strings.HasPrefix(string([]rune(l)[col:]), strings.Fields(string([]rune(l)[col:]))[0]) {
			t.Errorf("misaligned: %q", l)
		}
	}

	var stdout bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: io.Discard, StdoutTTY: true,
		Getenv: func(string) string { return "" }, Now: func() time.Time { return ledgerNow }}
	Main([]string{"status", "--lang", "en", "--system", "gama"}, e)
	if !strings.Contains(stdout.String(), "\x1b[1;31m-3, expired") || !strings.Contains(stdout.String(), "\x1b[32m90") || strings.Contains(stdout.String(), "Beta") {
		t.Errorf("coloured, filtered to Gama:\n%q", stdout.String())
	}
	stdout.Reset()
	e.Getenv = func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] }
	Main([]string{"status", "--lang", "en"}, e)
	if strings.Contains(stdout.String(), "\x1b[") {
		t.Errorf("NO_COLOR still coloured")
	}

	code, out, _ = runAt(t, ledgerNow, nil, "status", "--json", "--system", "Beta")
	var js struct {
		Worst         string             `json:"worst"`
		Registrations []export.StatusRow `json:"registrations"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || code != ExitFailed || js.Worst != "soon" || len(js.Registrations) != 2 ||
		js.Registrations[0].DaysLeft != 29 || js.Registrations[1].SerialHex != "B2" {
		t.Errorf("--json (exit %d, %v): %s", code, err, out)
	}
	if code, _, errOut := runAt(t, ledgerNow, nil, "status", "--system", "Delta", "--lang", "en"); code != ExitUsage || !strings.Contains(errOut, "no registration of Delta") {
		t.Errorf("unknown system: %d %s", code, errOut)
	}
}

// --sent and --confirmed record the days on the newest package of that
// system and environment; the table shows them.
func TestStatusMarksSentAndConfirmed(t *testing.T) {
	s := tempStore(t)
	record(t, s, ledgerEntry("Alfa", "test", "A1", 400, "mpass"))
	if code, _, errOut := runAt(t, ledgerNow, nil, "status", "--sent", "alfa/test", "--on", "2026-11-20", "--lang", "en"); code != ExitOK ||
		!strings.Contains(errOut, "sent to AGE on 2026-11-20") {
		t.Errorf("--sent: %d %s", code, errOut)
	}
	code, out, _ := runAt(t, ledgerNow, nil, "status", "--confirmed", "Alfa/test", "--lang", "en")
	if code != ExitOK || !strings.Contains(out, "confirmed 2026-11-24") {
		t.Errorf("--confirmed: %d %s", code, out)
	}
	l, _ := s.Ledger()
	if e := l.Entries[0]; e.Sent != "2026-11-20" || e.Confirmed != "2026-11-24" {
		t.Errorf("ledger: %+v", e)
	}
	for _, bad := range [][]string{{"--sent", "alfa"}, {"--sent", "alfa/staging"}, {"--sent", "beta/test"}, {"--sent", "alfa/test", "--on", "24.11.2026"}} {
		if code, _, _ := runAt(t, ledgerNow, nil, append([]string{"status"}, bad...)...); code != ExitUsage {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
}

// writePFX writes a .pfx for a certificate with the given serial, valid
// from now for two years, and returns its leaf.
func writePFX(t *testing.T, path string, serial int64) *x509.Certificate {
	t.Helper()
	tmpl := testpki.LeafTemplate("system.example.md", ledgerNow)
	tmpl.SerialNumber = big.NewInt(serial)
	ch := testpki.STISC(ledgerNow, tmpl)
	if err := os.WriteFile(path, ch.PFX(testpki.Encoders["Modern2023"], "pw"), 0o600); err != nil {
		t.Fatal(err)
	}
	return ch.Leaf.Cert
}

// build records the package in the ledger; the same certificate is then
// refused for production; renew writes the renewal package, records it and
// the system's answers take the new certificate.
// One scenario checked step by step: its many checks are its branches.
func TestBuildRecordsAndRenewReplaces(t *testing.T) {
	s := tempStore(t)
	work := t.TempDir()
	example, err := os.ReadFile(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	id := "registrul"
	answers := s.SystemPath(id)
	os.MkdirAll(filepath.Dir(answers), 0o700)
	os.WriteFile(answers, example, 0o600)
	oldPFX, newPFX := filepath.Join(work, "old.pfx"), filepath.Join(work, "new.pfx")
	oldLeaf, newLeaf := writePFX(t, oldPFX, 0x1001), writePFX(t, newPFX, 0x1002)
	env := map[string]string{PasswordEnv: "pw"}

	code, _, errOut := runAt(t, ledgerNow, env, "build", "--answers", answers, "--cert", oldPFX, "-o", filepath.Join(work, "out"))
	if code != ExitOK {
		t.Fatalf("build: %d %s", code, errOut)
	}
	l, _ := s.Ledger()
	if len(l.Entries) != 1 {
		t.Fatalf("ledger after build: %+v", l.Entries)
	}
	e := l.Entries[0]
	if e.SystemID != id || e.Env != "test" || e.SerialHex != cert.SerialHex(oldLeaf) || e.SHA256 != cert.Fingerprint(oldLeaf) ||
		!e.NotAfter.Equal(oldLeaf.NotAfter) || !e.Built.Equal(ledgerNow) || strings.Join(e.Services, ",") != "mpass,msign" ||
		!strings.HasPrefix(e.Package, filepath.Join(work, "out")) {
		t.Errorf("entry %+v", e)
	}

	// The test certificate for production: refused before anything is written.
	prod := filepath.Join(work, "prod.json")
	os.WriteFile(prod, bytes.Replace(example, []byte(`"env": "test"`), []byte(`"env": "production", "testing_done": true, "tested_on": "2026-11-01"`), 1), 0o600)
	code, _, errOut = runAt(t, ledgerNow, env, "build", "--answers", prod, "--cert", oldPFX, "-o", filepath.Join(work, "prod"), "--lang", "en")
	if code != ExitUsage || !strings.Contains(errOut, "different certificate for test and for production") {
		t.Errorf("production with the test certificate: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(work, "prod")); err == nil {
		t.Errorf("a production package was written")
	}

	// Renewing with the same certificate is refused; with the new one it works.
	if code, _, errOut := runAt(t, ledgerNow, env, "renew", "--system", id, "--env", "test", oldPFX, "--lang", "en"); code != ExitUsage ||
		!strings.Contains(errOut, "is the one registered now") {
		t.Errorf("renew with the old certificate: %d %s", code, errOut)
	}
	later := ledgerNow.Add(48 * time.Hour)
	code, out, errOut := runAt(t, later, env, "renew", "--system", "Registrul autorizațiilor de construcție", "--env", "test", newPFX, "-o", filepath.Join(work, "renew"), "--lang", "en")
	if code != ExitOK {
		t.Fatalf("renew: %d %s %s", code, out, errOut)
	}
	for _, want := range []string{"Serial number " + cert.SerialHex(oldLeaf) + " is replaced with " + cert.SerialHex(newLeaf),
		"To support.msign@egov.md (MSign)", "To support.mpass@egov.md (MPass)"} {
		if !strings.Contains(out, want) {
			t.Errorf("renew output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runAt(t, later, nil, "status", "--json")
	var js struct{ Registrations []export.StatusRow }
	json.Unmarshal([]byte(out), &js)
	if code != ExitOK || len(js.Registrations) != 1 || js.Registrations[0].SerialHex != cert.SerialHex(newLeaf) {
		t.Errorf("status after renew: %d %s", code, out)
	}
	ans, err := s.LoadSystem(id)
	if err != nil || ans.Certificate.SerialHex() != cert.SerialHex(newLeaf) ||
		len(ans.Registered) == 0 || ans.Registered[len(ans.Registered)-1].SerialHex != cert.SerialHex(newLeaf) {
		t.Errorf("system answers after renew: %v %+v", err, ans)
	}
}

// renew without a recorded registration, or for an unknown system, says so.
func TestRenewRefusals(t *testing.T) {
	s := tempStore(t)
	work := t.TempDir()
	example, _ := os.ReadFile(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	os.MkdirAll(s.SystemsDir(), 0o700)
	os.WriteFile(s.SystemPath("registrul"), example, 0o600)
	pfx := filepath.Join(work, "new.pfx")
	writePFX(t, pfx, 0x2001)
	env := map[string]string{PasswordEnv: "pw"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"renew", "--system", "nope", "--env", "test", pfx}, "no system called nope"},
		{[]string{"renew", "--system", "registrul", "--env", "test", pfx}, "no registration of registrul with --env test"},
		{[]string{"renew", "--system", "registrul", "--env", "staging", pfx}, "staging"},
		{[]string{"renew", "--env", "test", pfx}, "give the system (--system NAME or --answers FILE)"},
	} {
		code, _, errOut := runAt(t, ledgerNow, env, append(c.args, "--lang", "en")...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: %d %s", c.args, code, errOut)
		}
	}
}

// Names and serials from the ledger (a file anyone could edit) reach the
// terminal escaped, in the table and in the notices.
func TestStatusEscapesHostileLedger(t *testing.T) {
	s := tempStore(t)
	e := ledgerEntry("Evil\x1b]0;pwned\x07 \u202eSYS", "test", "\x1b[2J0A", 100, "mpass\x1b[31m")
	e.Sent, e.Package = "2026\x1b[1m", "/p/\x1b[5mpkg"
	record(t, s, e)
	code, out, errOut := runAt(t, ledgerNow, nil, "status", "--lang", "en")
	if code != ExitOK || !strings.Contains(out, `Evil\x1b]0;pwned\x07 \u202eSYS`) {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
	_, _, errOut = runAt(t, ledgerNow, nil, "status", "--sent", "\x1b]0;pwned\x07 \u202esys/test", "--lang", "en")
	for what, text := range map[string]string{"table": out, "notice": errOut} {
		if bad := testpki.RawControls([]byte(strings.ReplaceAll(text, "\n", ""))); len(bad) > 0 {
			t.Errorf("%s holds raw controls %v: %q", what, bad, text)
		}
	}
}

// The renew command printed under status can be pasted into a shell as it
// is, whatever the system's ID holds.
func TestShellWordQuotesWhatAShellWouldSplit(t *testing.T) {
	for in, want := range map[string]string{
		"portal-b":    "portal-b",
		"a b":         "'a b'",
		"it's":        `'it'\''s'`,
		"x\x1b[31my":  `'x\x1b[31my'`,
		"$(rm -rf ~)": "'$(rm -rf ~)'",
		"":            "''",
	} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %q, want %q", in, got, want)
		}
	}
}

// Two answers files of two systems whose names make the same ID
// ("Portal A" and "Portal Ă"): each build is recorded under its own system,
// so status keeps both registrations and renew --system finds each one.
// One scenario checked step by step: its many checks are its branches.
func TestBuildKeepsSystemsWhoseNamesSlugAlike(t *testing.T) {
	s := tempStore(t)
	work := t.TempDir()
	example, err := os.ReadFile(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{PasswordEnv: "pw"}
	for i, name := range []string{"Portal A", "Portal Ă"} {
		answers := filepath.Join(work, fmt.Sprintf("answers-%d.json", i))
		os.WriteFile(answers, bytes.Replace(example, []byte("Registrul autorizațiilor de construcție"), []byte(name), 1), 0o600)
		pfx := filepath.Join(work, fmt.Sprintf("%d.pfx", i))
		writePFX(t, pfx, int64(0x3001+i))
		code, _, errOut := runAt(t, ledgerNow, env, "build", "--answers", answers, "--cert", pfx, "-o", filepath.Join(work, "out", fmt.Sprint(i)), "--lang", "en")
		if code != ExitOK {
			t.Fatalf("build %s: %d %s", name, code, errOut)
		}
	}
	l, _ := s.Ledger()
	ids := map[string]string{}
	for _, e := range l.Entries {
		ids[e.System] = e.SystemID
	}
	if len(ids) != 2 || ids["Portal A"] == ids["Portal Ă"] {
		t.Errorf("both systems recorded under one ID: %v", ids)
	}
	code, out, _ := runAt(t, ledgerNow, nil, "status", "--json")
	var js struct{ Registrations []export.StatusRow }
	json.Unmarshal([]byte(out), &js)
	if code != ExitOK || len(js.Registrations) != 2 {
		t.Errorf("status shows %d registrations, want 2: %s", len(js.Registrations), out)
	}
	for name, id := range ids {
		if got := s.FindSystem(name); got != id {
			t.Errorf("FindSystem(%q) = %q, want %q", name, got, id)
		}
		if a, err := s.LoadSystem(id); err != nil || a.System.Name != name {
			t.Errorf("system %s kept as %v %v", name, a, err)
		}
	}
}

// status prints no renew command for a registration whose environment the
// ledger names wrongly: renew would refuse it. The row is still listed.
func TestStatusPrintsNoRenewCommandForAnUnknownEnvironment(t *testing.T) {
	s := tempStore(t)
	record(t, s, ledgerEntry("Alfa", "test", "A1", 10, "mpass"), ledgerEntry("Beta", "staging", "B1", 10, "mpass"))
	_, out, _ := runAt(t, ledgerNow, nil, "status", "--lang", "en")
	if !strings.Contains(out, "renew --system alfa --env test NEW.pfx") || !strings.Contains(out, "B1") {
		t.Errorf("status:\n%s", out)
	}
	if strings.Contains(out, "--env staging") {
		t.Errorf("a renew command for staging:\n%s", out)
	}
}
