package export

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/emltest"
)

func readPkg(t *testing.T, res *Result, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Seed 002, NOTĂ: never send a *.pem file. The package holds only the .cer
// (cert export --pem still writes one for the user), and the README names the
// same never-send list as the e-mails.
func TestNoPEMInPackage_Seed002Nota(t *testing.T) {
	res, _ := buildExample(t, nil)
	for _, f := range res.Files {
		if strings.HasSuffix(f, ".pem") {
			t.Errorf("the package holds %s", f)
		}
	}
	readme := readPkg(t, res, "README.txt")
	for _, w := range []string{"Cheia privată (*.pfx, *.p12, *.key, *.pem)", "The private key (*.pfx, *.p12, *.key, *.pem)"} {
		if !strings.Contains(readme, w) {
			t.Errorf("README lacks %q", w)
		}
	}
}

// The request letter agrees in number with the services asked for and joins
// them with „și" (a formal Romanian letter to a public institution).
func TestRequestLetterAgreement(t *testing.T) {
	cases := []struct {
		services []string
		want     string
		wantList string
	}{
		{[]string{"mpower"}, "cu serviciul electronic guvernamental MPower", "Serviciul solicitat:"},
		{[]string{"mpass", "msign"}, "cu serviciile electronice guvernamentale MPass și MSign", "Serviciile solicitate:"},
		{[]string{"mpass", "msign", "mpower"}, "cu serviciile electronice guvernamentale MPass, MSign și MPower", "Serviciile solicitate:"},
	}
	for _, c := range cases {
		res, _ := buildExample(t, func(a *Answers) { a.Services = c.services })
		letter := readPkg(t, res, "request/solicitare-de-integrare.txt")
		flat := strings.Join(strings.Fields(letter), " ")
		for _, w := range []string{c.want, c.wantList, "Instituția Publică «Agenția de Guvernare Electronică»", "Nr. ________ din",
			"Cu privire la integrarea sistemului informațional „Registrul autorizațiilor de construcție” " + c.want,
			"Prin prezenta, solicităm integrarea", "IDNO: 1024600042427", "Adresa:", "Cu respect,"} {
			if !strings.Contains(flat, w) {
				t.Errorf("%v: the letter lacks %q:\n%s", c.services, w, letter)
			}
		}
		// Instructions to the user live in the README, not in the letter.
		for _, no := range []string{"Notă", "Acordul/Contractul", "împreună cu", "zile lucrătoare"} {
			if strings.Contains(letter, no) {
				t.Errorf("%v: the letter still holds an instruction (%q)", c.services, no)
			}
		}
		// The addressee block is aligned: every line at the same column.
		col := -1
		for _, line := range strings.Split(letter, "\n") {
			trim := strings.TrimLeft(line, " ")
			if trim == "Instituția Publică" || strings.HasPrefix(trim, "«Agenția") || strings.HasPrefix(trim, "mun. Chișinău") || trim == "office@egov.md" {
				if c := len(line) - len(trim); col == -1 {
					col = c
				} else if c != col {
					t.Errorf("addressee line %q at column %d, not %d", trim, c, col)
				}
			}
		}
		if col <= 0 {
			t.Errorf("no indented addressee block")
		}
	}
}

// Seed 002 §2: AGE's legal service sends its model Agreement/Contract; it is
// not sent with the request. mpass/integration-development.md: no tests on
// production. One instruction about the request for production.
func TestReadmeFollowsAGE_Seed002AndIntegrationDevelopment(t *testing.T) {
	res, _ := buildExample(t, nil)
	readme := readPkg(t, res, "README.txt")
	for _, w := range []string{"Formularul unic de conectare", "Unified Connection Form", "registration-sheet.txt",
		"Nu trimiteți un\n     acord sau contract odată cu solicitarea", "Do not send an agreement or\n     contract with the request",
		"7 zile lucrătoare", "7 working days", "Cc servicii@egov.md", "TC_SEC_01–07"} {
		if !strings.Contains(readme, w) {
			t.Errorf("test README lacks %q", w)
		}
	}
	if strings.Contains(readme, "împreună cu Acordul") || strings.Contains(readme, "with the signed Agreement") {
		t.Error("the README still sends the Agreement/Contract with the request")
	}
	// The route's steps come in AGE's order.
	last := -1
	for _, step := range []string{"Unified Connection Form", "contract or annex", "technical-details form", "Send the messages",
		"AGE configures access", "run the cases in test-plan/", "AGE runs its own tests", "Confirm production", "AGE activates"} {
		i := strings.Index(readme, step)
		if i < last {
			t.Errorf("%q out of order", step)
		}
		last = i
	}

	prod, _ := buildExample(t, func(a *Answers) {
		a.Env = assets.EnvProduction
		a.TestingDone, a.TestedOn = true, "2026-11-01"
		a.MPass.LogoutRequestURL = "https://autorizatii.primaria-exemplu.md/saml/logout"
	})
	readme = readPkg(t, prod, "README.txt")
	for _, f := range prod.Files {
		if strings.HasPrefix(f, "test-plan/") {
			t.Errorf("the production package holds %s", f)
		}
	}
	if strings.Contains(readme, "test-plan/") {
		t.Error("the production README points at a test plan")
	}
	for _, w := range []string{"Nu faceți niciun test pe mediul de producție", "Run no tests on production",
		"Solicitarea din request/ nu se trimite din nou, decât dacă AGE o cere", "The request in request/ is not sent again, unless AGE asks for it"} {
		if !strings.Contains(readme, w) {
			t.Errorf("production README lacks %q", w)
		}
	}
}

// Where the seeds and AGE's current docs differ, the README says which it
// follows and what the docs add: the seeds' mailboxes stay the recipients with
// servicii@egov.md in Cc (seed 002 §5, seed 000; mpass/process2.md steps 4 and 8),
// and next to the docs' 7 working days (mpass/process2.md "Connection time")
// stand the seeds' 10 working days for the answer and 30 days for the
// examination (seed 002 §1 and §3).
func TestReadmeSaysWhichSourceItFollows_Seed002AndProcess2(t *testing.T) {
	res, _ := buildExample(t, nil)
	readme := readPkg(t, res, "README.txt")
	for _, w := range []string{
		"adresele din procedura de integrare rămân\ndestinatarii, cu servicii@egov.md în copie",
		"the mailboxes of the integration procedure stay the\nrecipients, with servicii@egov.md in copy",
		"ca mesajul să ajungă pe ambele căi", "so\nthat the message reaches both routes",
		"cel mult 7 zile lucrătoare", "10 zile lucrătoare pentru răspunsul la solicitare", "până la 30 de zile",
		"within 7 working days", "gives 10 working\n  days for the answer to the request", "up to 30 days",
	} {
		if !strings.Contains(readme, w) {
			t.Errorf("README lacks %q", w)
		}
	}
}

// The MPass test plan is AGE's (mpass/integration-tests.md); MSign keeps
// TC_FUNCT_01–06 with TC_FUNCT_06's title corrected and a note saying so
// (msign/integration-development.md); MPower's cases say they are egovsetup's
// own (seed 000 repeats MSign's). Every plan comes in Romanian and English.
func TestTestPlans_MPassIntegrationTestsMSignIntegrationDevelopment(t *testing.T) {
	res, _ := buildExample(t, nil)
	ids := map[string][]string{"mpass": {"TC_FUNCT_01", "TC_FUNCT_05", "TC_SEC_01", "TC_SEC_02", "TC_SEC_03", "TC_SEC_04", "TC_SEC_05", "TC_SEC_06", "TC_SEC_07"},
		"msign":  {"TC_FUNCT_01", "TC_FUNCT_02", "TC_FUNCT_03", "TC_FUNCT_04", "TC_FUNCT_05", "TC_FUNCT_06"},
		"mpower": {"MPOWER_01", "MPOWER_02", "MPOWER_03"}}
	for svc, want := range ids {
		for _, lang := range []string{"ro", "en"} {
			plan := readPkg(t, res, TestPlanFile(svc, lang))
			for _, id := range want {
				if !strings.Contains(plan, "## "+id) && !strings.Contains(plan, "### "+id) {
					t.Errorf("%s.%s lacks %s", svc, lang, id)
				}
			}
		}
	}
	en, ro := readPkg(t, res, TestPlanFile("mpass", "en")), readPkg(t, res, TestPlanFile("mpass", "ro"))
	if strings.Contains(en, "MPASS_0") || strings.Contains(en, "TC_FUNCT_06") {
		t.Error("the MPass plan holds cases AGE does not publish")
	}
	for plan, w := range map[string]string{en: "All security test cases (TC_SEC_01–07) must pass before moving to production",
		ro: "Toate cazurile de securitate (TC_SEC_01–07) trebuie să treacă înainte de trecerea în producție"} {
		if !strings.Contains(plan, w) || !strings.Contains(plan, "docs/guides/mpass/integration-tests.md") {
			t.Errorf("MPass plan lacks %q or its source", w)
		}
	}
	msign := readPkg(t, res, TestPlanFile("msign", "en"))
	if !strings.Contains(msign, "## TC_FUNCT_06 — Check failed signature verification") || !strings.Contains(msign, "copy-paste slip") {
		t.Error("MSign TC_FUNCT_06: title not corrected or no note")
	}
	if !strings.Contains(readPkg(t, res, TestPlanFile("msign", "ro")), "## TC_FUNCT_06 — Verificarea unei semnături nevalide") {
		t.Error("MSign TC_FUNCT_06 (ro): title not corrected")
	}
	if !strings.Contains(readPkg(t, res, TestPlanFile("mpower", "en")), "These cases are egovsetup's own") ||
		!strings.Contains(readPkg(t, res, TestPlanFile("mpower", "ro")), "Cazurile de mai jos sunt ale egovsetup") {
		t.Error("the MPower plan does not say its cases are egovsetup's own")
	}
}

// The registration sheet holds every answer AGE's forms ask for, ready to copy.
func TestRegistrationSheet_ProcedureAndProcess2(t *testing.T) {
	res, leaf := buildExample(t, nil)
	a := exampleAnswers(t)
	sheet := readPkg(t, res, SheetFile)
	r := cert.NewReport(&cert.Loaded{Leaf: leaf}, cert.Options{Now: buildNow})
	for _, w := range []string{a.Organization.Name, a.Organization.IDNO, a.Organization.ContactName, a.Organization.ContactEmail,
		a.Organization.ContactPhone, a.System.Name, a.System.Description, a.Service.RO, a.Service.RU, a.Service.EN, a.Service.Description,
		"    " + a.MPass.LogoutRequestURL, "    Role", "    193.226.10.20\n", "    10.20.30.40 (VPN: VPN AGE – Primăria Exemplu)",
		"persoană fizică și juridică (ambele) / both natural and legal persons",
		"    " + r.SerialHex + "\n", "    " + r.SerialDecimal + "\n", r.NotAfter.Format("2006-01-02"),
		"Numărul de serie (hexazecimal) / Serial number (hexadecimal)", "LogoutResponse URL"} {
		if !strings.Contains(sheet, w) {
			t.Errorf("the sheet lacks %q", w)
		}
	}
	// Outside text is made safe: a control character in an answer is escaped.
	res2, _ := buildExample(t, func(a *Answers) { a.System.Other = "line\x1b[2Jtwo" })
	if s := readPkg(t, res2, SheetFile); strings.Contains(s, "\x1b") {
		t.Error("an escape sequence reached the sheet")
	}
}

// servicii@egov.md in Cc comes from the data file and can be dropped.
func TestCcIsOverridable(t *testing.T) {
	over := filepath.Join(t.TempDir(), "over.yaml")
	os.WriteFile(over, []byte("mailboxes:\n  registrations: \"\"\n"), 0o600)
	d, err := assets.Load(over)
	if err != nil {
		t.Fatal(err)
	}
	res, err := buildAt(t.TempDir(), Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow, Data: d}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := emltest.Read(t, res.Emails[0].File)
	if cc := m.Header.Get("Cc"); cc != "" || len(m.Cc) != 0 || res.Emails[0].Cc != "" {
		t.Errorf("Cc %q kept after the data file dropped it", cc)
	}
}

// A password in the MPass base URL of a data file (a test set-up behind basic
// authentication) never reaches the package: the test plans name MPass's URLs
// without it.
func TestPackageHidesPasswordInServiceURL(t *testing.T) {
	over := filepath.Join(t.TempDir(), "over.yaml")
	os.WriteFile(over, []byte("services:\n  mpass:\n    env:\n      test:\n        base: https://ion:s3cretPass@mpass.example.md\n"), 0o600)
	d, err := assets.Load(over)
	if err != nil {
		t.Fatal(err)
	}
	res, err := buildAt(t.TempDir(), Input{Answers: exampleAnswers(t), Cert: bare(goldenLeaf(t)), Now: buildNow, Data: d}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	filepath.WalkDir(res.Dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte("s3cretPass")) {
			t.Errorf("%s holds the URL's password", path)
		}
		seen = seen || bytes.Contains(b, []byte("ion:xxxxx@mpass.example.md"))
		return nil
	})
	if !seen {
		t.Error("no file names the MPass URL at all")
	}
}
