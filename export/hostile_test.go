package export

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/emltest"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// A package built from answers whose fields hold terminal escapes, for a
// certificate whose names hold them too, has no raw control character in any
// text file: README, report, letter, test plans, checks, and the e-mails'
// decoded headers and bodies. Escaped forms are there instead. (Line breaks
// in one-line fields are refused by Validate; the free-form fields and the
// kept connectivity results carry them.)
func TestHostileAnswersLeaveNoRawControls(t *testing.T) {
	h := strings.ReplaceAll(testpki.Hostile, "\r", "") // one line
	a := exampleAnswers(t)
	a.Services = []string{"mpass", "msign", "mpower"}
	a.MPower.Endpoints = []string{"/api/Authorization/file"}
	a.Organization.Name = "Primăria " + h
	a.Organization.ContactName = `Ion "x" <attacker@example.com>, ` + h
	a.System.Name = "Registrul " + h
	a.System.Description = "Descriere " + h
	a.System.Other = "Rândul unu\nrândul doi\r " + h
	a.Service.RO = "Serviciu " + h
	a.Service.EN = "Service " + h
	a.Service.Description = "Descriere " + h
	a.Network.IPs[1].VPN = "VPN " + h
	a.Connectivity = []ConnectivityResult{{Service: "msign", Env: "test", Target: "host" + h + ":443", ID: "http",
		Severity: checks.Fail, Message: assets.Msg("connectivity.kept_text", "Text", "answer "+h+"\r\n✓ All checks passed"),
		Remedy: assets.Msg("connectivity.kept_text", "Text", "remedy "+h)}}
	leaf := testpki.HostileChain(buildNow).Leaf.Cert
	res, err := buildAt(t.TempDir(), Input{Answers: a, Cert: bare(leaf), Now: buildNow}, Options{})
	if err != nil {
		t.Fatal(err)
	}

	texts := map[string]string{}
	err = filepath.WalkDir(res.Dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(res.Dir, p)
		switch filepath.Ext(p) {
		case ".cer", ".pem":
			return nil
		case ".eml":
			m := emltest.Read(t, p)
			texts[rel+" (headers)"], texts[rel+" (body)"] = emailHeaders(t, p, m), m.Text
			return nil
		case ".ics":
			// CRLF ends each content line (RFC 5545 §3.1); a calendar shows
			// the values of the unfolded lines.
			b, err := os.ReadFile(p)
			texts[rel] = strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n ", ""), "\r\n", "\n")
			return err
		case ".pdf":
			// What a PDF shows is its text, extracted (when pdftotext is there).
			if _, err := exec.LookPath("pdftotext"); err == nil {
				out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
				texts[rel+" (text)"] = strings.Join(strings.Fields(string(out)), " ")
				return err
			}
			return nil
		}
		b, err := os.ReadFile(p)
		texts[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"README.txt", "certificate/report.txt", "certificate/report.json",
		"request/solicitare-de-integrare.txt", "registration.json", "checks/connectivity.txt", TestPlanFile("msign", "en"), TestPlanFile("msign", "ro"), SheetFile} {
		if _, ok := texts[want]; !ok {
			t.Errorf("no %s in the package", want)
		}
	}
	for name, s := range texts {
		if bad := testpki.RawControls([]byte(s)); len(bad) > 0 {
			t.Errorf("%s holds raw control characters %v", name, bad)
		}
	}
	// registration.json keeps the exact answers (escaped as JSON).
	var reg Answers
	if err := json.Unmarshal([]byte(texts["registration.json"]), &reg); err != nil ||
		reg.Organization.Name != a.Organization.Name || reg.System.Other != a.System.Other || reg.Network.IPs[1].VPN != a.Network.IPs[1].VPN {
		t.Errorf("registration.json does not hold the exact answers (%v): %+v", err, reg.Organization)
	}
	esc := `\x1b]0;pwned\x07\x1b[2J\x08\u009b2J\u202eevil`
	for name, want := range map[string][]string{
		"README.txt":                                {"Registrul " + esc},
		"request/solicitare-de-integrare.txt":       {"Primăria " + esc, "Rândul unu\n   rândul doi\\x0d " + esc},
		"certificate/report.txt":                    {`CN=CN \x1b]0\;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`},
		"certificate/report.json":                   {`CN=CN \u001b]0\\;pwned\u0007\u001b[2J\r\b\u009b2J\u202eevil`},
		"checks/connectivity.txt":                   {"host" + esc + ":443", "answer " + esc + `\x0d\x0a✓ All checks passed`, "remedy " + esc},
		"email/01-support.mpass@egov.md.eml (body)": {"Primăria " + esc, "Serviciu " + esc, `Ion "x" <attacker@example.com>, ` + esc},
		"email/02-support.msign@egov.md.eml (body)": {"VPN " + esc},
		"email/01-support.mpass@egov.md.eml (headers)": {"Subject: Înregistrare serviciu / Service registration: Registrul " + esc,
			`From: Ion "x" <attacker@example.com>, ` + esc + " <ion.popescu@primaria-exemplu.md>"},
	} {
		for _, w := range want {
			if !strings.Contains(texts[name], w) {
				t.Errorf("%s does not show %q:\n%s", name, w, texts[name])
			}
		}
	}
	if pdf, ok := texts["request/solicitare-de-integrare.pdf (text)"]; ok {
		for _, w := range []string{"Primăria " + esc, "Rândul unu rândul doi\\x0d " + esc} {
			if !strings.Contains(pdf, w) {
				t.Errorf("the request PDF does not show %q:\n%s", w, pdf)
			}
		}
	}
}

// emailHeaders is an .eml's headers, decoded one per line as "Key: value",
// From as "name <address>". It fails on a header the package never writes
// (one injected through a value).
func emailHeaders(t *testing.T, path string, m *emltest.Message) string {
	t.Helper()
	var hdr strings.Builder
	for k, vs := range m.Decoded {
		switch k {
		case "Bcc", "X-Injected":
			t.Errorf("%s: a value from the answers started a header %s", path, k)
		}
		for _, v := range vs {
			if k == "From" {
				if len(m.From) != 1 {
					t.Errorf("%s: From %q is not one address", path, m.Header.Get("From"))
				} else {
					v = m.From[0].Name + " <" + m.From[0].Address + ">"
				}
			}
			hdr.WriteString(k + ": " + v + "\n")
		}
	}
	return hdr.String()
}
