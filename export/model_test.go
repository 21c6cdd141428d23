package export

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// An answers file of schema 1 (the certificate as PEM with its facts beside
// it, connectivity messages in English words) loads with nothing lost, and
// is saved again as schema 2 with the certificate as DER only.
func TestSchema1AnswersMigrate(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "answers-schema1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Certificate struct {
			Subject, Issuer, PEM, SHA256 string
			SerialHex                    string `json:"serial_hex"`
			SerialDecimal                string `json:"serial_decimal"`
		}
	}
	if err := json.Unmarshal(old, &raw); err != nil {
		t.Fatal(err)
	}
	a, err := LoadAnswers(filepath.Join("testdata", "answers-schema1.json"))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode([]byte(raw.Certificate.PEM))
	c := a.Certificate
	f := c.Facts()
	if !bytes.Equal(c.DER, blk.Bytes) || f.Subject != raw.Certificate.Subject || f.Issuer != raw.Certificate.Issuer ||
		c.SerialHex() != raw.Certificate.SerialHex || c.SerialDecimal() != raw.Certificate.SerialDecimal || c.SHA256() != raw.Certificate.SHA256 {
		t.Errorf("certificate not migrated: %+v", f)
	}
	r := a.Connectivity[0]
	if r.ID != "tcp" || r.Severity != checks.Fail || r.Message.In("ro") != "No answer from msign.staging.egov.md:8443 within 5s." ||
		r.Remedy.In("en") != "This machine's public IP is probably not registered with AGE for MSign." || r.DurationMS != 5000 {
		t.Errorf("connectivity not migrated: %+v", r)
	}
	if a.TestCertificate() != raw.Certificate.SHA256 || !a.IsCompleted("organization") || a.Organization.IDNO != "1024600042427" {
		t.Errorf("registrations or progress lost: %+v %v", a.Registered, a.Completed)
	}
	path := filepath.Join(t.TempDir(), "answers.json")
	if err := SaveAnswers(path, a); err != nil {
		t.Fatal(err)
	}
	saved, _ := os.ReadFile(path)
	if bytes.Contains(saved, []byte(`"pem"`)) || bytes.Contains(saved, []byte(`"subject"`)) || !bytes.Contains(saved, []byte(`"schema": 2`)) {
		t.Errorf("saved as:\n%s", saved)
	}
	again, err := LoadAnswers(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Certificate.DER, c.DER) || again.Connectivity[0].Message.In("en") != r.Message.In("en") {
		t.Error("schema 2 does not load back the same")
	}

	// A serial-only certificate keeps the serial the user gave.
	s, err := LoadAnswers(filepath.Join("testdata", "answers-schema1-serial.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Certificate; !c.SerialOnly || c.Serial != "4F00000000A1B2C3D4E5" || c.SerialDecimal() != "373066952147396460795109" || len(c.DER) != 0 {
		t.Errorf("serial-only certificate: %+v", c)
	}
	// A typo in a certificate field is still refused.
	if _, err := ParseAnswers([]byte(`{"schema":2,"services":["mpass"],"env":"test","certificate":{"dre":"AA=="}}`)); err == nil {
		t.Error("unknown certificate field accepted")
	}
}

// Build reads the answers and changes nothing: the registration comes back
// for the caller to record, and nothing is on disk before Write.
func TestBuildIsPure(t *testing.T) {
	a := exampleAnswers(t)
	a.Registered = []Registration{{Env: "test", SerialHex: "0A", SHA256: "AB"}}
	before, _ := json.Marshal(a)
	dir := t.TempDir()
	k, err := Build(Input{Answers: a, Cert: bare(goldenLeaf(t)), Now: buildNow})
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("Build wrote %v", entries)
	}
	res, err := k.Write(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := json.Marshal(a); !bytes.Equal(before, after) {
		t.Errorf("the answers changed:\n%s\n%s", before, after)
	}
	leaf := goldenLeaf(t)
	want := Registration{Env: "test", SerialHex: cert.SerialHex(leaf), SHA256: cert.Fingerprint(leaf), Built: buildNow.UTC(), Package: res.Dir}
	if res.Record != want || k.Record.Package != k.Name {
		t.Errorf("record %+v, want %+v", res.Record, want)
	}
	if !bytes.Equal(k.File("certificate/"+Slug(a.System.Name)+".cer"), leaf.Raw) {
		t.Error("the package in memory lacks the .cer")
	}
}

// The package's certificate report is the report of the file loaded: its
// chain and key match are kept. Made again from the answers alone, the
// report says the key match could not be checked.
func TestPackageReportIsTheLoadedFile(t *testing.T) {
	ch := testpki.STISC(buildNow, nil)
	l, err := cert.Load(context.Background(), ch.PFX(testpki.Encoders["Modern2023"], "pw"), "pw")
	if err != nil {
		t.Fatal(err)
	}
	a := exampleAnswers(t)
	k, err := Build(Input{Answers: a, Cert: l, Now: buildNow, HoldsKey: l.ContainsKey})
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		HasKey bool `json:"has_private_key"`
		Chain  []cert.ChainEntry
		Format string
	}
	if err := json.Unmarshal(k.File("certificate/report.json"), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.HasKey || len(rep.Chain) != 2 || rep.Format != "pkcs12" {
		t.Errorf("report of the loaded file: key %v, chain %v, format %s", rep.HasKey, rep.Chain, rep.Format)
	}
	note := assets.T("en", "package.report.no_key")
	if strings.Contains(string(k.File("certificate/report.txt")), note) {
		t.Error("the loaded file's report says the key was not available")
	}
	a.Certificate = NewCertificate(l)
	k, err = Build(Input{Answers: a, Now: buildNow})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(k.File("certificate/report.txt")), note) {
		t.Errorf("a rebuild from the answers does not say the key match is unavailable:\n%s", k.File("certificate/report.txt"))
	}
}

// Connectivity results run for another environment or service are stale:
// the judgement warns, and the writer marks them, in the user's language.
func TestJudgeMarksStaleConnectivity(t *testing.T) {
	a := exampleAnswers(t)
	a.Connectivity = []ConnectivityResult{
		{ID: "tcp", Service: "msign", Env: "test", Target: "msign:443", Severity: checks.Fail,
			Message: assets.Msg("connectivity.kept_text", "Text", "refused")},
	}
	a.Certificate = NewCertificate(bare(goldenLeaf(t)))
	ids := func(j Judgement) map[string]checks.Severity {
		m := map[string]checks.Severity{}
		for _, c := range j.Checks {
			m[c.ID] = c.Severity
		}
		return m
	}
	j := Judge(a, nil, nil, buildNow)
	if got := ids(j); got["connectivity.failed"] != checks.Warn || got["connectivity.stale"] != 0 || j.Failed() {
		t.Errorf("current results: %v", got)
	}
	a.Services = []string{"mpass"}
	j = Judge(a, nil, nil, buildNow)
	if got := ids(j); got["connectivity.stale"] != checks.Warn || got["connectivity.failed"] != 0 {
		t.Errorf("results for a service no longer asked for: %v", got)
	}
	var b strings.Builder
	WriteConnectivity(&b, a.Connectivity, a, "ro")
	if !strings.Contains(b.String(), "(depășit") {
		t.Errorf("stale results not marked:\n%s", b.String())
	}
	if s := j.Checks[len(j.Checks)-1].Message.In("ro"); !strings.Contains(s, "mediul de test") {
		t.Errorf("ro: %s", s)
	}
}

// Every error Build and Write give the user renders in the user's language.
func TestBuildErrorsAreLocalizable(t *testing.T) {
	dir := t.TempDir()
	in := Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow}
	if _, err := buildAt(dir, in, Options{}); err != nil {
		t.Fatal(err)
	}
	_, exists := buildAt(dir, in, Options{})
	a := exampleAnswers(t)
	a.Organization.IDNO = "1"
	_, incomplete := Build(Input{Answers: a, Cert: bare(goldenLeaf(t)), Now: buildNow})
	a = exampleAnswers(t)
	a.Env, a.TestingDone, a.TestedOn = "production", true, "2026-01-10"
	a.MPass.Test = &LogoutURLs{Request: a.MPass.LogoutRequestURL, Response: a.MPass.LogoutResponseURL}
	a.MPass.Production = a.MPass.Test
	a.Registered = []Registration{{Env: "test", SHA256: cert.Fingerprint(goldenLeaf(t))}}
	_, failures := Build(Input{Answers: a, Cert: bare(goldenLeaf(t)), Now: buildNow})
	_, keyErr := Build(Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow,
		HoldsKey: func(b []byte) bool { return bytes.Contains(b, goldenLeaf(t).Raw[:32]) }})
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o600)
	_, writeErr := buildAt(filepath.Join(file, "sub"), in, Options{})
	for name, c := range map[string]struct {
		err error
		ro  string
	}{
		"exists":       {exists, "există deja"},
		"incomplete":   {incomplete, "IDNO"},
		"failures":     {failures, "Pachetul nu a fost generat"},
		"key material": {keyErr, "cheie privată"},
		"write":        {writeErr, "Pachetul nu poate fi scris"},
	} {
		if c.err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if _, ok := c.err.(assets.Localizable); !ok {
			t.Errorf("%s: %T is not localizable", name, c.err)
		}
		if got := checks.Localize(c.err, "ro"); !strings.Contains(got, c.ro) {
			t.Errorf("%s in ro: %q, want it to say %q", name, got, c.ro)
		}
	}
}
