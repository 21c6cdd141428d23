package export

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// complete returns answers that pass Validate for MPass + MSign on test.
func complete() *Answers {
	a := NewAnswers()
	a.Services = []string{"mpass", "msign"}
	a.Organization = Organization{Name: "Agenția de Guvernare Electronică", IDNO: "1024600042427", ContactName: "Ion Popescu", ContactEmail: "ion.popescu@example.md", ContactPhone: "+373 22 820 000"}
	a.System = System{Name: "Registrul autorizațiilor", Description: "Evidența autorizațiilor emise"}
	a.Service = ServiceNames{"Registrul autorizațiilor", "Реестр разрешений", "Permit registry", "Permite depunerea online a cererilor de autorizare."}
	a.Certificate = &Certificate{DER: []byte{0x30}}
	a.Network = Network{IPs: []IPAddress{{Address: "193.226.0.10"}, {Address: "10.0.0.5", VPN: "AGE-VPN"}}, SignerType: "both"}
	a.MPass = MPass{LogoutRequestURL: "https://localhost:5001/logout", LogoutResponseURL: "https://localhost:5001/logout", Attributes: []string{"NameIdentifier", "FirstName", "Role"}}
	return a
}

func TestValidateComplete(t *testing.T) {
	if errs := Validate(complete(), assets.Embedded()); len(errs) != 0 {
		t.Fatalf("complete answers refused: %v", errs)
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	a := complete()
	a.Env = "production"
	a.Organization.IDNO = "1024600042428"
	a.Network.IPs = append(a.Network.IPs, IPAddress{Address: "192.168.0.1"})
	a.Network.SignerType = ""
	a.MPass.Attributes = append(a.MPass.Attributes, "bad name")
	a.Certificate = nil
	var got []string
	for _, e := range Validate(a, assets.Embedded()) {
		got = append(got, e.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"testing_done: AGE registers a service for production only after it was tested",
		"organization.idno: This is not a valid IDNO",
		"network.ips: 192.168.0.1 is a private (RFC 1918) address",
		"network.signer_type: Choose the signer type: natural, legal, both.",
		"mpass.attributes: “bad name” is not an attribute name",
		"mpass.logout_request_url: localhost points to the machine itself",
		"certificate: The system's authentication certificate is missing.",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	// The field is named in words in the user's language.
	errs := Validate(a, assets.Embedded())
	if ro := errs[1].In("ro"); !strings.HasPrefix(ro, "IDNO: Acesta nu este un IDNO valid") {
		t.Errorf("ro: %q", ro)
	}
}

func TestSaveAnswersAtomicPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "egovsetup", "answers.json")
	a := complete()
	a.Complete("organization")
	if err := SaveAnswers(path, a); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	b, err := LoadAnswers(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.Organization.IDNO != a.Organization.IDNO || !b.IsCompleted("organization") || b.Schema != SchemaVersion {
		t.Errorf("round trip lost data: %+v", b)
	}
}

func TestParseAnswersRefusesBadFiles(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"no schema":      {`{"services":["mpass"]}`, `no “schema” field`},
		"newer schema":   {`{"schema":99}`, "written by a newer egovsetup (schema 99; this one reads up to 2)"},
		"negative":       {`{"schema":-1}`, "unknown schema version -1"},
		"unknown field":  {`{"schema":1,"organisation":{}}`, `unknown field "organisation"`},
		"not json":       {`schema: 1`, "not an egovsetup answers file"},
		"empty":          {"", "the file is empty"},
		"trailing":       {`{"schema":1} {"schema":1}`, "more data follows the answers object (at byte 12)"},
		"trailing junk":  {"{\"schema\":1}\nrm -rf", "more data follows the answers object"},
		"two BOMs":       {"\uFEFF\uFEFF{\"schema\":1}", "not an egovsetup answers file"},
		"array":          {`[{"schema":1}]`, "not an egovsetup answers file"},
		"schema as text": {`{"schema":"1"}`, "not an egovsetup answers file"},
	} {
		_, err := ParseAnswers([]byte(tc.body))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %q, want it to say %q", name, err, tc.want)
		}
		if name != "newer schema" && !errors.Is(err, ErrNotAnswers) {
			t.Errorf("%s: %v does not wrap ErrNotAnswers", name, err)
		}
	}
	if _, err := ParseAnswers([]byte(`{"schema":99}`)); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("newer schema: %v does not wrap ErrNewerSchema", err)
	}
}

func TestParseAnswersAcceptsByteOrderMark(t *testing.T) {
	// Notepad saves UTF-8 with a byte order mark.
	a, err := ParseAnswers(append([]byte{0xEF, 0xBB, 0xBF}, `{"schema":1,"system":{"name":"Registrul","description":""}}`+"\r\n"...))
	if err != nil {
		t.Fatalf("answers with a BOM refused: %v", err)
	}
	if a.System.Name != "Registrul" {
		t.Errorf("system name %q", a.System.Name)
	}
}

// 1010600034203 is the IDNO of AGE's predecessor (the e-Government Center):
// the example answers and the IDNO placeholders use a made-up IDNO instead,
// whose check digit is right (weights 7,3,1 over the first 12 digits).
func TestExampleIDNOIsMadeUpAndValid(t *testing.T) {
	const predecessor = "1010600034203"
	a, err := LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	idnos := map[string]string{"examples/answers-msign-mpass-test.json": a.Organization.IDNO}
	for _, lang := range []string{"en", "ro", "ru"} {
		idnos["placeholder "+lang] = assets.T(lang, "org.idno.placeholder")
	}
	for where, idno := range idnos {
		if idno == predecessor {
			t.Errorf("%s uses the IDNO of AGE's predecessor", where)
		}
		if got, err := checks.ValidateIDNO(idno); err != nil || got != idno {
			t.Errorf("%s: %q is not a valid IDNO: %v", where, idno, err)
		}
	}
}
