package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/emltest"
)

func wantLines(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// sheetOf reads the registration sheet of a built package.
func sheetOf(t *testing.T, res *Result) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(res.Dir, SheetFile))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func buildAnswers(t *testing.T, a *Answers) *Result {
	t.Helper()
	in := Input{Answers: a, Now: buildNow}
	if a.Certificate == nil || !a.Certificate.SerialOnly {
		in.Cert = bare(goldenLeaf(t))
	}
	res, err := buildAt(t.TempDir(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// AGE accepts the serial of a certificate already registered for the same
// system and environment instead of the .cer (egov4dev
// docs/guides/mpass/process2.md steps 4 and 8, docs/guides/msign/process.md
// step 3): the e-mails name the serial, attach nothing, and the package holds
// no .cer.
func TestSerialInsteadOfCertificateFile(t *testing.T) {
	a := exampleAnswers(t)
	a.Certificate = &Certificate{Serial: "4F00000000A1B2C3D4E5", SerialOnly: true}
	res := buildAnswers(t, a)
	for _, f := range res.Files {
		if strings.HasPrefix(f, "certificate/") || strings.HasSuffix(f, ".cer") || strings.HasSuffix(f, ".pem") {
			t.Errorf("the package holds %s", f)
		}
	}
	if len(res.Emails) != 2 {
		t.Fatalf("%d e-mails", len(res.Emails))
	}
	for _, e := range res.Emails {
		m := emltest.Read(t, e.File)
		if len(m.Attachments) != 0 || len(e.Attachments) != 0 {
			t.Errorf("%s: %d attachments in the file, %v in the result", e.To, len(m.Attachments), e.Attachments)
		}
		wantLines(t, e.To, m.Text,
			"Certificatul de autentificare este deja înregistrat la AGE pentru acest sistem informațional pe mediul de test, de aceea nu atașăm fișierul .cer:",
			"numărul de serie (hexazecimal): 4F00000000A1B2C3D4E5",
			"numărul de serie (zecimal): 373066952147396460795109",
			"The authentication certificate is already registered with AGE for this information system on the test environment, so no .cer file is attached:",
			"serial number (hexadecimal): 4F00000000A1B2C3D4E5")
		if strings.Contains(m.Text, "atașat):") || strings.Contains(m.Text, "SHA-256") {
			t.Errorf("%s: the body still speaks of an attached file:\n%s", e.To, m.Text)
		}
	}
	readme, _ := os.ReadFile(filepath.Join(res.Dir, "README.txt"))
	wantLines(t, "README", string(readme), "fără atașament (AGE are deja certificatul;\n     mesajele indică numărul de serie al acestuia, 4F00000000A1B2C3D4E5)",
		"with nothing attached (AGE already has the\n     certificate; the messages give its serial number, 4F00000000A1B2C3D4E5)")
	if strings.Contains(string(readme), "certificate/") {
		t.Errorf("the README lists a certificate/ folder the package does not have")
	}
	wantLines(t, "sheet", sheetOf(t, res), "niciunul: AGE are deja certificatul pentru acest sistem și mediu",
		"Numărul de serie (hexazecimal) / Serial number (hexadecimal)\n    4F00000000A1B2C3D4E5\n")
	if strings.Contains(sheetOf(t, res), "Amprenta SHA-256") {
		t.Error("the sheet lists fingerprint rows for a certificate it does not have")
	}
	if r := a.Registered[len(a.Registered)-1]; r.SerialHex != "4F00000000A1B2C3D4E5" || r.Env != "test" || r.SHA256 != "" {
		t.Errorf("registration recorded as %+v", r)
	}
}

// A serial already registered for test cannot serve production: the two
// environments use different certificates
// (docs/guides/mpass/integration-development.md).
func TestSerialOnlyRules(t *testing.T) {
	d := assets.Embedded()
	a := complete()
	a.Certificate = &Certificate{Serial: "4f:00 g1", SerialOnly: true}
	if got := fieldErrors(Validate(a, d)); !strings.Contains(got, "certificate: “g” at position 5 is not a hexadecimal digit") {
		t.Errorf("bad serial: %s", got)
	}
	a = complete()
	a.Env, a.TestingDone, a.TestedOn = "production", true, "2026-01-10"
	a.MPass.LogoutRequestURL, a.MPass.LogoutResponseURL = "https://portal.example.md/logout", "https://portal.example.md/logout"
	a.Registered = []Registration{{Env: "test", SerialHex: "4F00"}}
	a.Certificate = &Certificate{Serial: "4F00", SerialOnly: true}
	if got := fieldErrors(Validate(a, d)); !strings.Contains(got, "certificate: 4F00 is the certificate registered for the test environment") {
		t.Errorf("test serial for production: %s", got)
	}
	a.Certificate.Serial = "4F01"
	if got := fieldErrors(Validate(a, d)); got != "" {
		t.Errorf("a production serial refused: %s", got)
	}
}

func fieldErrors(errs []FieldError) string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

// Production e-mails say testing is done, and when (mpass/process2.md step 8).
func TestProductionEmailStatesTestingDate(t *testing.T) {
	a := exampleAnswers(t)
	a.Env, a.TestingDone, a.TestedOn = "production", true, "2026-11-20"
	res := buildAnswers(t, a)
	wantLines(t, "sheet", sheetOf(t, res), "Testarea pe mediul de test încheiată la / Testing on the test environment finished on\n    2026-11-20\n")
	for _, e := range res.Emails {
		wantLines(t, e.To, emltest.Read(t, e.File).Text,
			"Testarea pe mediul de test a fost încheiată la 2026-11-20; confirmăm configurarea pentru mediul de producție.",
			"Testing on the test environment was finished on 2026-11-20; we confirm the configuration for the production environment.")
	}
	a.TestedOn = ""
	if got := fieldErrors(Validate(a, assets.Embedded())); !strings.Contains(got, "tested_on: Enter the day testing was finished") {
		t.Errorf("production without a testing date: %s", got)
	}
	a.TestedOn = time.Now().AddDate(0, 0, 2).Format("2006-01-02")
	if got := fieldErrors(Validate(a, assets.Embedded())); !strings.Contains(got, "is after today") {
		t.Errorf("a testing date in the future: %s", got)
	}
}

// MPower: the endpoints AGE allows (AllowedEndpoints), ViewAllAuthorizations
// (docs/guides/mpower/security.md) and the MPass registration it needs
// (docs/guides/mpower/integration-development.md).
func TestMPowerEmail(t *testing.T) {
	a := exampleAnswers(t)
	a.Services = []string{"mpower"}
	a.MPower = MPower{Endpoints: []string{"/api/Authorization/check/Code-True-One", "/api/Authorization/file"}, ViewAllAuthorizations: true}
	res := buildAnswers(t, a)
	m := emltest.Read(t, res.Emails[0].File)
	if len(m.To) != 1 || m.To[0].Address != "suport.mpower@egov.md" {
		t.Errorf("To %v", m.To)
	}
	wantLines(t, "MPower e-mail", m.Text,
		"metodele API apelate de sistem (AllowedEndpoints):\n      /api/Authorization/check/Code-True-One\n      /api/Authorization/file\n",
		"(ViewAllAuthorizations): da",
		"ATENȚIE: sistemul nu este încă înregistrat în MPass, iar MPower îl cere",
		"API methods the system calls (AllowedEndpoints):",
		"(ViewAllAuthorizations): yes",
		"WARNING: the system is not yet registered in MPass, which MPower requires")
	readme, _ := os.ReadFile(filepath.Join(res.Dir, "README.txt"))
	wantLines(t, "README", string(readme), "Înregistrați\nmai întâi sistemul în MPass", "Register\nthe system in MPass first")
	wantLines(t, "sheet", sheetOf(t, res), "== MPower — acces / MPower — access ==",
		"(AllowedEndpoints)\n    /api/Authorization/check/Code-True-One\n    /api/Authorization/file\n",
		"(ViewAllAuthorizations)\n    da / yes\n", "Sistemul înregistrat în MPass / System registered in MPass\n    nu (MPower îl cere) / no (MPower requires it)\n")

	a.MPower.MPassRegistered, a.MPower.ViewAllAuthorizations = true, false
	res = buildAnswers(t, a)
	m = emltest.Read(t, res.Emails[0].File)
	wantLines(t, "MPower e-mail", m.Text, "sistemul este deja înregistrat în MPass", "nu, doar la cele ale prestatorului de servicii",
		"the system is already registered in MPass")
	if strings.Contains(m.Text, "ATENȚIE") {
		t.Errorf("warns though the system is registered in MPass")
	}

	// With MPass in the same request, its own e-mail goes to MPass and the
	// MPower one says so.
	a.Services = []string{"mpass", "mpower"}
	res = buildAnswers(t, a)
	m = emltest.Read(t, res.Emails[1].File)
	wantLines(t, "MPower e-mail", m.Text, "sistemul se înregistrează în MPass odată cu această cerere",
		"the system is being registered in MPass along with this request")
	if strings.Contains(m.Text, "ATENȚIE") || strings.Contains(m.Text, "WARNING") {
		t.Errorf("warns though MPass is requested too:\n%s", m.Text)
	}
	a.Services = []string{"mpower"}

	a.MPower.Endpoints = nil
	if got := fieldErrors(Validate(a, assets.Embedded())); !strings.Contains(got, "mpower.endpoints:") {
		t.Errorf("no endpoints accepted: %s", got)
	}
	a.MPower.Endpoints = []string{"/api/Other"}
	if got := fieldErrors(Validate(a, assets.Embedded())); !strings.Contains(got, "/api/Other") {
		t.Errorf("unknown endpoint accepted: %s", got)
	}
}

// Both environments' logout URLs and the custom attributes with their values
// go to MPass (mpass/process2.md step 3, mpass/integration-development.md).
func TestMPassEmailBothEnvironmentsAndCustomAttributes(t *testing.T) {
	a := exampleAnswers(t)
	a.Services = []string{"mpass"}
	a.MPass.Test = &LogoutURLs{Request: "https://localhost:5001/logout", Response: "https://localhost:5001/logout-done"}
	a.MPass.Production = &LogoutURLs{Request: "https://portal.example.md/logout", Response: "https://portal.example.md/logout"}
	a.MPass.LogoutRequestURL, a.MPass.LogoutResponseURL = a.MPass.Test.Request, a.MPass.Test.Response
	a.MPass.Attributes = []string{"NameIdentifier", "FirstName"}
	a.MPass.Custom = []CustomAttribute{{Name: "Role", Values: []string{"admin", "operator"}}}
	res := buildAnswers(t, a)
	wantLines(t, "sheet", sheetOf(t, res),
		"LogoutRequest URL, test environment\n    https://localhost:5001/logout\n",
		"LogoutResponse URL, production environment\n    https://portal.example.md/logout\n",
		"Atribute suplimentare, cu valorile lor / Custom attributes, with their values\n    Role: admin, operator\n")
	m := emltest.Read(t, res.Emails[0].File)
	wantLines(t, "MPass e-mail", m.Text,
		"  - adresa pentru LogoutRequest, mediul de test: https://localhost:5001/logout\n  - adresa pentru LogoutResponse, mediul de test: https://localhost:5001/logout-done\n  - adresa pentru LogoutRequest, mediul de producție: https://portal.example.md/logout\n",
		"atributele returnate după autentificare: NameIdentifier, FirstName\n  - atribute suplimentare, cu valorile pe care le pot lua:\n      Role: admin, operator\n",
		"LogoutResponse URL, production environment: https://portal.example.md/logout",
		"      Role: admin, operator")

	a.MPass.Production, a.MPass.ProductionLater = nil, true
	m = emltest.Read(t, buildAnswers(t, a).Emails[0].File)
	wantLines(t, "MPass e-mail", m.Text, "adresele pentru mediul de producție: le vom comunica ulterior", "production environment URLs: to follow")

	a.MPass.Production = &LogoutURLs{Request: "https://localhost/logout", Response: "https://localhost/logout"}
	a.MPass.Custom = []CustomAttribute{{Name: "Role"}}
	got := fieldErrors(Validate(a, assets.Embedded()))
	wantLines(t, "validation", got, "mpass.production.logout_request_url: localhost points to the machine itself",
		"mpass.custom_attributes: List the values Role may take")
}

// Public institutions need the system in the RSI (docs/platforms/procedure.md);
// private beneficiaries pay an annual fee per integrated system
// (docs/platforms/index.md, mpass/process2.md, msign/process.md).
func TestOrganizationTypeInEmailsAndReadme(t *testing.T) {
	a := exampleAnswers(t)
	a.Organization.Type = "private"
	res := buildAnswers(t, a)
	for _, e := range res.Emails {
		m := emltest.Read(t, e.File)
		wantLines(t, e.To, m.Text, "Tipul beneficiarului: persoană juridică de drept privat", "Beneficiary: private legal entity")
	}
	mpassMail := emltest.Read(t, res.Emails[0].File).Text
	wantLines(t, "MPass e-mail", mpassMail, "Luăm act de taxa anuală de utilizare MPass pentru acest sistem informațional: 10.800 lei.")
	if strings.Contains(mpassMail, "15.200") {
		t.Errorf("the MPass e-mail names MSign's fee")
	}
	wantLines(t, "sheet", sheetOf(t, res), "Tipul beneficiarului / Beneficiary type\n    persoană juridică de drept privat / private legal entity\n")
	readme, _ := os.ReadFile(filepath.Join(res.Dir, "README.txt"))
	wantLines(t, "README", string(readme), "Persoană juridică de drept privat: pentru fiecare sistem informațional integrat",
		"  MPass: 10.800 lei\n  MSign: 15.200 lei", "Private legal entity: an annual fee")

	a.Organization.Type = "public"
	res = buildAnswers(t, a)
	readme, _ = os.ReadFile(filepath.Join(res.Dir, "README.txt"))
	wantLines(t, "README", string(readme), "Registrul\nresurselor și sistemelor informaționale (RSI, https://rsi.gov.md)",
		"Register of Information\nResources and Systems (RSI, https://rsi.gov.md)")
	if m := emltest.Read(t, res.Emails[0].File).Text; strings.Contains(m, "taxa") || !strings.Contains(m, "Tipul beneficiarului: instituție publică") {
		t.Errorf("public institution e-mail:\n%s", m)
	}
	a.Organization.Type = "ngo"
	if got := fieldErrors(Validate(a, assets.Embedded())); !strings.Contains(got, "organization.type:") {
		t.Errorf("unknown type accepted: %s", got)
	}
}

// Answers written before these fields existed still load and build as before.
func TestOldAnswersStillLoad(t *testing.T) {
	old := `{"schema":1,"services":["mpass"],"env":"test",
	"organization":{"name":"Primăria Exemplu","idno":"1003600096694","contact_name":"Ion","contact_email":"ion@example.md","contact_phone":"+373 22 123 456"},
	"system":{"name":"Registrul","description":"Evidența"},
	"service":{"name_ro":"Registrul","name_ru":"Реестр","name_en":"Registry","description":"Permite depunerea online a cererilor."},
	"mpass":{"logout_request_url":"https://a.example.md/logout","logout_response_url":"https://a.example.md/logout","attributes":["NameIdentifier","Role"]}}`
	a, err := ParseAnswers([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	a.Certificate = &Certificate{Serial: "0A", SerialOnly: true}
	if got := fieldErrors(Validate(a, assets.Embedded())); got != "" {
		t.Errorf("old answers refused: %s", got)
	}
	m := emltest.Read(t, buildAnswers(t, a).Emails[0].File).Text
	wantLines(t, "MPass e-mail", m, "  - adresa pentru LogoutRequest: https://a.example.md/logout\n", "NameIdentifier, Role")
	if strings.Contains(m, "Tipul beneficiarului") || strings.Contains(m, "mediul de producție") {
		t.Errorf("old answers grew lines they have no data for:\n%s", m)
	}
}
