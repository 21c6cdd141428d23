package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/emltest"
	"github.com/egovmd/egovsetup/internal/testpki"
)

var update = flag.Bool("update", false, "rewrite the golden package under testdata/golden")

var buildNow = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

// goldenLeaf is a public test certificate kept in testdata (no key), so the
// golden package is byte-stable.
func goldenLeaf(t testing.TB) *x509.Certificate {
	t.Helper()
	path := filepath.Join("testdata", "golden-cert.pem")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && *update {
		ch := testpki.STISC(buildNow, nil)
		b = testpki.PEM(ch.Leaf.Cert)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func exampleAnswers(t testing.TB) *Answers {
	t.Helper()
	a, err := LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func buildExample(t *testing.T, mod func(*Answers)) (*Result, *x509.Certificate) {
	t.Helper()
	a := exampleAnswers(t)
	a.Services = []string{"mpass", "msign", "mpower"}
	a.MPower.Endpoints = []string{"/api/Authorization/check/Code-True-One"}
	if mod != nil {
		mod(a)
	}
	leaf := goldenLeaf(t)
	res, err := buildAt(t.TempDir(), Input{Answers: a, Cert: bare(leaf), Now: buildNow}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res, leaf
}

// Every .eml parses back: headers, body fields, attachment.
func TestEmailsParseBack(t *testing.T) {
	res, leaf := buildExample(t, nil)
	a := exampleAnswers(t)
	serial := cert.SerialHex(leaf)
	if len(res.Emails) != 3 {
		t.Fatalf("%d e-mails, want 3 (MPass, MSign, MPower)", len(res.Emails))
	}
	wantTo := []string{"support.mpass@egov.md", "support.msign@egov.md", "suport.mpower@egov.md"}
	for i, e := range res.Emails {
		m := emltest.Read(t, e.File)
		wantEmailHeaders(t, e, m, wantTo[i], a)
		attached := cerAttachment(t, m)
		body := m.Text
		if !bytes.Equal(attached, leaf.Raw) {
			t.Errorf("%s: the attachment is not the .cer byte for byte", e.File)
		}
		common := []string{a.Organization.Name, a.Organization.IDNO, a.Service.RO, a.Service.RU, a.Service.EN, a.Service.Description,
			"numărul de serie (hexazecimal): " + serial, "serial number (hexadecimal): " + serial, "English copy",
			// Seed 002, NOTĂ: the private key files nobody is sent.
			"Cheia privată (fișierele *.pfx, *.p12, *.key, *.pem)", "The private key (*.pfx, *.p12, *.key, *.pem files)"}
		perService := map[string][]string{
			"support.mpass@egov.md": {a.MPass.LogoutRequestURL, "EmailAddress, Role", "adresa pentru LogoutRequest"},
			"support.msign@egov.md": {"193.226.10.20", "10.20.30.40 (adresă privată, prin VPN: VPN AGE – Primăria Exemplu)",
				"tipul semnatarului: persoană fizică și juridică (ambele)", "MSign signer type: both natural and legal persons"},
			"suport.mpower@egov.md": {"193.226.10.20", "through VPN: VPN AGE – Primăria Exemplu"},
		}
		for _, want := range append(common, perService[wantTo[i]]...) {
			if !strings.Contains(body, want) {
				t.Errorf("%s: body lacks %q", filepath.Base(e.File), want)
			}
		}
		if wantTo[i] == "support.mpass@egov.md" && strings.Contains(body, "193.226.10.20") {
			t.Errorf("the MPass e-mail lists IP addresses it does not need")
		}
	}
}

// wantEmailHeaders checks one e-mail's addresses, subject, date, draft
// marks and header lengths.
func wantEmailHeaders(t *testing.T, e Email, m *emltest.Message, wantTo string, a *Answers) {
	t.Helper()
	if len(m.To) != 1 || m.To[0].Address != wantTo || len(m.From) != 1 || m.From[0].Address != a.Organization.ContactEmail || m.From[0].Name != "Ion Popescu" {
		t.Errorf("%s: To %v From %v", e.File, m.To, m.From)
	}
	// The seeds' mailbox is the recipient; AGE's current route
	// (mpass/process2.md steps 4 and 8, msign/process.md step 3) is in Cc.
	if len(m.Cc) != 1 || m.Cc[0].Address != "servicii@egov.md" || e.Cc != "servicii@egov.md" {
		t.Errorf("%s: Cc %v, result Cc %q", e.File, m.Cc, e.Cc)
	}
	if m.Subject != e.Subject || !strings.Contains(m.Subject, "Registrul autorizațiilor de construcție") {
		t.Errorf("subject %q", m.Subject)
	}
	if m.Header.Get("X-Unsent") != "1" || m.Header.Get("Message-Id") == "" {
		t.Errorf("headers %v", m.Header)
	}
	if !m.Date.Equal(buildNow) {
		t.Errorf("Date %v", m.Date)
	}
	wantHeadersFit(t, m)
}

// wantHeadersFit checks that every header, unfolded, fits the 998 octets
// of a line (RFC 5322 §2.1.1).
func wantHeadersFit(t *testing.T, m *emltest.Message) {
	t.Helper()
	for k, v := range m.Header {
		for _, line := range v {
			if len(k)+2+len(line) > 998 {
				t.Errorf("header %s too long", k)
			}
		}
	}
}

// cerAttachment is the last attachment's bytes (nil if none); each
// attachment must be a .cer in base64.
func cerAttachment(t *testing.T, m *emltest.Message) []byte {
	t.Helper()
	var attached []byte
	for _, p := range m.Attachments {
		if p.Encoding != "base64" {
			t.Errorf("attachment encoding %q", p.Encoding)
		}
		if !strings.HasSuffix(p.FileName, ".cer") {
			t.Errorf("attachment %q", p.FileName)
		}
		attached = p.Data
	}
	return attached
}

func TestChecksumsVerify(t *testing.T) {
	res, _ := buildExample(t, nil)
	sums, err := os.ReadFile(filepath.Join(res.Dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("line %q is not in sha256sum format", line)
		}
		b, err := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: checksum mismatch", name)
		}
		n++
	}
	if n != len(res.Files)-1 {
		t.Errorf("%d sums for %d files", n, len(res.Files)-1)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "--quiet", "-c", "SHA256SUMS")
		cmd.Dir = res.Dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
	// The zip holds the same files under the package's folder.
	zr, err := zip.OpenReader(res.Zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != len(res.Files) || !strings.HasPrefix(zr.File[0].Name, filepath.Base(res.Dir)+"/") {
		t.Errorf("zip holds %d files (%s…), want %d", len(zr.File), zr.File[0].Name, len(res.Files))
	}
}

func TestPackageContents(t *testing.T) {
	res, _ := buildExample(t, nil)
	want := []string{"README.txt", "SHA256SUMS", "registration.json", "request/solicitare-de-integrare.txt", SheetFile,
		"certificate/registrul-autorizatiilor-de-constructie.cer", "certificate/report.txt", "certificate/report.json"}
	for _, id := range []string{"mpass", "msign", "mpower"} {
		want = append(want, TestPlanFile(id, "ro"), TestPlanFile(id, "en"))
	}
	for _, w := range want {
		if _, err := os.Stat(filepath.Join(res.Dir, w)); err != nil {
			t.Errorf("missing %s", w)
		}
	}
	if filepath.Base(res.Dir) != "registrul-autorizatiilor-de-constructie-test-2026-11-22" {
		t.Errorf("folder %s", res.Dir)
	}
	req, _ := os.ReadFile(filepath.Join(res.Dir, "request", "solicitare-de-integrare.txt"))
	for _, w := range []string{"Primăria Exemplu", "1024600042427", "Registrul autorizațiilor de construcție", "Semnătura:", "office@egov.md", "MPass (autentificare"} {
		if !bytes.Contains(req, []byte(w)) {
			t.Errorf("request lacks %q", w)
		}
	}
	reg, err := LoadAnswers(filepath.Join(res.Dir, "registration.json"))
	if err != nil || reg.Schema != SchemaVersion || reg.Certificate == nil || len(reg.Certificate.DER) == 0 {
		t.Errorf("registration.json: %v %+v", err, reg)
	}
}

// A build that fails half-way leaves nothing at the target.
func TestInterruptedBuildLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	n := 0
	afterWrite = func(string) error {
		if n++; n == 4 {
			return errors.New("disk full")
		}
		return nil
	}
	defer func() { afterWrite = nil }()
	_, err := buildAt(dir, Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow}, Options{})
	if err == nil || !strings.HasSuffix(err.Error(), ": disk full") {
		t.Fatalf("err = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

func TestExistingPackageIsKept(t *testing.T) {
	dir := t.TempDir()
	in := Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow}
	first, err := buildAt(dir, in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(first.Dir, "my-notes.txt")
	os.WriteFile(marker, []byte("mine"), 0o600)
	var exists *ExistsError
	if _, err := buildAt(dir, in, Options{}); !errors.As(err, &exists) {
		t.Fatalf("err = %v, want ExistsError", err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatal("the existing package was touched")
	}
	if _, err := buildAt(dir, in, Options{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("overwrite kept the old folder's files")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("after overwrite: %v", ents)
	}
}

func TestKeyMaterialAbortsTheBuild(t *testing.T) {
	dir := t.TempDir()
	a := exampleAnswers(t)
	// A key block pasted into a text field by mistake (its bytes are not a key).
	a.System.Other = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("pasted by mistake")}))
	if _, err := buildAt(dir, Input{Answers: a, Cert: bare(goldenLeaf(t)), Now: buildNow}, Options{}); !errors.Is(err, ErrKeyMaterial) {
		t.Fatalf("err = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

// Built from a real .pfx, no file holds its key in any form.
func TestNoKeyMaterialFromPFX(t *testing.T) {
	ch := testpki.STISC(buildNow, nil)
	l, err := cert.Load(t.Context(), ch.PFX(testpki.Encoders["Modern2023"], "pw"), "pw")
	if err != nil {
		t.Fatal(err)
	}
	res, err := buildAt(t.TempDir(), Input{Answers: exampleAnswers(t), Cert: bare(l.Leaf), Now: buildNow, HoldsKey: l.ContainsKey}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	der := testpki.KeyDER(ch.Leaf.Key)
	b64 := base64Encode(der)[:64]
	filepath.Walk(filepath.Dir(res.Dir), func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		flat := strings.ReplaceAll(string(b), "\n", "")
		if bytes.Contains(b, der) || strings.Contains(flat, b64) || bytes.Contains(b, []byte("PRIVATE KEY")) {
			t.Errorf("%s holds key material", p)
		}
		return nil
	})
	// And the scanner does see the key when it is there.
	if !l.ContainsKey(testpki.KeyPEM(ch.Leaf.Key)) || !l.ContainsKey(append([]byte("x"), der...)) {
		t.Error("ContainsKey misses the key")
	}
}

func TestIncompleteAnswersAreRefused(t *testing.T) {
	a := exampleAnswers(t)
	a.Organization.IDNO = "123"
	_, err := buildAt(t.TempDir(), Input{Answers: a, Cert: bare(goldenLeaf(t)), Now: buildNow}, Options{})
	var inc *IncompleteError
	if !errors.As(err, &inc) || !strings.Contains(inc.In("ro"), "IDNO-ul are 13 cifre") {
		t.Fatalf("err = %v", err)
	}
}

func TestDemoPackageSaysDemo(t *testing.T) {
	l, _ := cert.Demo(buildNow)
	res, err := buildAt(t.TempDir(), Input{Answers: exampleAnswers(t), Cert: l, Now: buildNow}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(res.Dir, "-DEMO") || !strings.HasPrefix(res.Emails[0].Subject, "[DEMO") {
		t.Errorf("not marked DEMO: %s %q", res.Dir, res.Emails[0].Subject)
	}
	for _, f := range []string{"README.txt", "request/solicitare-de-integrare.txt"} {
		b, _ := os.ReadFile(filepath.Join(res.Dir, f))
		if !bytes.HasPrefix(b, []byte("*** DEMO")) {
			t.Errorf("%s does not open with DEMO", f)
		}
	}
}

// The golden package: a fixed clock, certificate and answers give these
// exact files (go test ./export -run Golden -update rewrites them).
func TestGoldenPackage(t *testing.T) {
	a := exampleAnswers(t)
	a.Connectivity = []ConnectivityResult{
		{Service: "msign", Env: "test", Target: "msign.staging.egov.md:8443", ID: "tcp", Severity: checks.Fail,
			Message: assets.Msg("connectivity.kept_text", "Text", "No answer from msign.staging.egov.md:8443 within 5s."),
			Remedy:  assets.Msg("connectivity.kept_text", "Text", "This machine's public IP is probably not registered with AGE for MSign."), DurationMS: 5000},
	}
	res, err := buildAt(t.TempDir(), Input{Answers: a, Cert: bare(goldenLeaf(t)), Now: buildNow}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(golden)
	} else {
		// A file the package no longer writes must not linger in the golden copy.
		filepath.Walk(golden, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(golden, p)
			if !slices.Contains(res.Files, filepath.ToSlash(rel)) {
				t.Errorf("%s is in testdata/golden but the package no longer has it (run with -update)", rel)
			}
			return nil
		})
	}
	for _, name := range res.Files {
		got, _ := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(name)))
		path := filepath.Join(golden, filepath.FromSlash(name))
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: not in the golden package (run with -update)", name)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from testdata/golden (run with -update and review the diff)", name)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	leaf := goldenLeaf(b)
	dir := b.TempDir()
	for b.Loop() {
		a := exampleAnswers(b)
		if _, err := buildAt(dir, Input{Answers: a, Cert: bare(leaf), Now: buildNow, Data: assets.Embedded()}, Options{Overwrite: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReservedOnWindows(t *testing.T) {
	for _, name := range []string{"CON", "con", "con.txt", "Con.tar.gz", "NUL", "nul .", "aux.", "PRN ", "com1", "COM9.cer", "lpt1", "LPT9.pem", "com¹", "conout$"} {
		if !ReservedOnWindows(name) {
			t.Errorf("%q is reserved on Windows", name)
		}
	}
	for _, name := range []string{"console", "com10", "comx", "lpt", "connect.cer", "nulls", "auxiliary", "system", "registrul-con"} {
		if ReservedOnWindows(name) {
			t.Errorf("%q is an ordinary name", name)
		}
	}
}

func TestPackageNeverNamesAWindowsDevice(t *testing.T) {
	for _, system := range []string{"CON", "Nul.", "aux ", "COM1", "lpt9", "Prn.txt", "ȘCON"} {
		if s := Slug(system); ReservedOnWindows(s) {
			t.Errorf("Slug(%q) = %q, reserved on Windows", system, s)
		}
		res, _ := buildExample(t, func(a *Answers) { a.System.Name = system })
		err := filepath.WalkDir(filepath.Dir(res.Dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ReservedOnWindows(d.Name()) {
				t.Errorf("system %q: the package holds %s", system, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := Slug("CON"); got != "con-system" {
		t.Errorf("Slug(CON) = %q", got)
	}
}

func TestMailboxFileNamesStayInTheEmailFolder(t *testing.T) {
	for in, want := range map[string]string{
		"support.msign@egov.md": "support.msign@egov.md",
		"../../etc/x@y.md":      "-..-etc-x@y.md",
		`a\b:c@d.md`:            "a-b-c@d.md",
		"...":                   "mailbox",
	} {
		if got := fileSafe(in); got != want {
			t.Errorf("fileSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// When only half of a package is there, the build says which half is missing.
func TestHalfAPackageIsNamed(t *testing.T) {
	dir := t.TempDir()
	in := Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow}
	res, err := buildAt(dir, in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(res.Zip)
	_, err = buildAt(dir, in, Options{})
	var half *ExistsError
	if !errors.As(err, &half) || half.Missing != res.Zip {
		t.Fatalf("err = %v, want the .zip named as missing", err)
	}
	if want := res.Dir + " already exists, but " + res.Zip + " is missing"; !strings.Contains(err.Error(), want) {
		t.Errorf("%q, want %q", err, want)
	}
	if _, err := buildAt(dir, in, Options{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if !exists(res.Zip) || !exists(res.Dir) {
		t.Error("--force did not write both halves again")
	}
}

// Recover puts back an old folder moved aside by a stopped build, moves in a
// .zip left behind when it matches the folder in place, and removes the
// temporary folders; a folder locked by a running build is left alone.
func TestRecoverFinishesOrUndoesAStoppedReplacement(t *testing.T) {
	in := func() Input { return Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow} }
	t.Run("old folder aside", func(t *testing.T) {
		dir := t.TempDir()
		res, _ := buildAt(dir, in(), Options{})
		tmp := filepath.Join(dir, "."+filepath.Base(res.Dir)+tmpMarker+"123")
		os.MkdirAll(tmp, 0o755)
		os.Rename(res.Dir, filepath.Join(tmp, asideName))
		got := Recover(dir)
		if len(got) != 2 || got[0] != (Recovery{"restored", res.Dir}) || got[1].What != "removed" {
			t.Errorf("Recover: %v", got)
		}
		if !exists(filepath.Join(res.Dir, "SHA256SUMS")) || exists(tmp) {
			t.Error("the old package is not back, or the temporary folder stayed")
		}
		if msg := got[0].In("ro"); !strings.Contains(msg, "a fost pus înapoi în "+res.Dir) {
			t.Errorf("Romanian: %q", msg)
		}
	})
	t.Run("zip left behind", func(t *testing.T) {
		dir := t.TempDir()
		old, _ := buildAt(dir, in(), Options{})
		oldZip, _ := os.ReadFile(old.Zip)
		a := in()
		a.Answers.System.Description = "Altă descriere"
		newer, err := buildAt(t.TempDir(), a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// The new folder took the name; its .zip is still in the temporary folder.
		tmp := filepath.Join(dir, "."+filepath.Base(old.Dir)+tmpMarker+"9")
		os.MkdirAll(tmp, 0o755)
		os.Rename(old.Dir, filepath.Join(tmp, filepath.Base(old.Dir)))
		os.Rename(newer.Dir, old.Dir)
		os.Rename(newer.Zip, filepath.Join(tmp, filepath.Base(old.Zip)))
		got := Recover(dir)
		if len(got) != 2 || got[0] != (Recovery{"completed", old.Zip}) {
			t.Errorf("Recover: %v", got)
		}
		if z, _ := os.ReadFile(old.Zip); bytes.Equal(z, oldZip) {
			t.Error("the old .zip is still beside the new folder")
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 2 {
			t.Errorf("left: %v", ents)
		}
	})
	t.Run("stopped before replacing", func(t *testing.T) {
		dir := t.TempDir()
		old, _ := buildAt(dir, in(), Options{})
		oldZip, _ := os.ReadFile(old.Zip)
		a := in()
		a.Answers.System.Description = "Altă descriere"
		newer, _ := buildAt(t.TempDir(), a, Options{})
		tmp := filepath.Join(dir, "."+filepath.Base(old.Dir)+tmpMarker+"7")
		os.MkdirAll(tmp, 0o755)
		os.Rename(newer.Dir, filepath.Join(tmp, filepath.Base(old.Dir)))
		os.Rename(newer.Zip, filepath.Join(tmp, filepath.Base(old.Zip)))
		got := Recover(dir)
		if len(got) != 1 || got[0].What != "removed" {
			t.Errorf("Recover: %v", got)
		}
		if z, _ := os.ReadFile(old.Zip); !bytes.Equal(z, oldZip) {
			t.Error("the old package's .zip was replaced")
		}
	})
	t.Run("a running build", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no folder locks")
		}
		dir := t.TempDir()
		tmp := filepath.Join(dir, ".pkg"+tmpMarker+"1")
		os.MkdirAll(tmp, 0o755)
		unlock := lock(tmp)
		defer unlock()
		if got := Recover(dir); len(got) != 0 || !exists(tmp) {
			t.Errorf("Recover touched a running build's folder: %v", got)
		}
	})
}
