package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/internal/emltest"
)

// other is "other information" of several lines, some indented (with
// spaces and with a tab).
const other = "Servere:\n  - app1.exemplu.md\n  - app2.exemplu.md\n\tPortul: 443"

// Multi-line other information keeps its line breaks and indentation in the
// e-mails (the decoded text part), in the letter's .txt and in its PDF.
func TestOtherInformationKeepsItsLines(t *testing.T) {
	res, _ := buildExample(t, func(a *Answers) { a.System.Other = other })
	for _, e := range res.Emails {
		body := emltest.Read(t, e.File).Text
		for _, w := range []string{"Alte informații: " + other + "\n", "Other information: " + other + "\n"} {
			if !strings.Contains(body, w) {
				t.Errorf("%s does not keep the lines of %q:\n%s", e.File, w, body)
			}
		}
	}
	txt := readPkg(t, res, "request/solicitare-de-integrare.txt")
	want := "5. Alte informații/date relevante:\n   Servere:\n     - app1.exemplu.md\n     - app2.exemplu.md\n   \tPortul: 443\n"
	if !strings.Contains(txt, want) {
		t.Errorf("the letter does not keep the lines:\n%s", txt)
	}
	sheet := readPkg(t, res, SheetFile)
	if want := "Alte informații / Other information\n    Servere:\n      - app1.exemplu.md\n      - app2.exemplu.md\n    \tPortul: 443\n"; !strings.Contains(sheet, want) {
		t.Errorf("the registration sheet does not keep the lines:\n%s", sheet)
	}
	// In the PDF each line is its own row; the indented ones start to the
	// right of "Servere:", the tab as far as four spaces.
	pdf := pdftotextLayout(t, readPackageFile(t, res, requestPDF))
	col := func(word string) int {
		m := regexp.MustCompile(`(?m)^(.*?)` + regexp.QuoteMeta(word)).FindStringSubmatch(pdf)
		if m == nil {
			t.Fatalf("the PDF lacks %q:\n%s", word, pdf)
		}
		return len([]rune(m[1]))
	}
	head, one, two, port := col("Servere:"), col("- app1.exemplu.md"), col("- app2.exemplu.md"), col("Portul: 443")
	if one <= head || two != one || port <= head {
		t.Errorf("columns: Servere %d, app1 %d, app2 %d, Portul %d:\n%s", head, one, two, port, pdf)
	}
}

// A single line of other information reads as before, after its label.
func TestOtherInformationOneLine(t *testing.T) {
	res, _ := buildExample(t, func(a *Answers) { a.System.Other = "Un singur rând." })
	body := emltest.Read(t, res.Emails[0].File).Text
	if !strings.Contains(body, "Alte informații: Un singur rând.\n") {
		t.Errorf("body:\n%s", body)
	}
}

// pdftotextLayout is the PDF's text laid out as on the page.
func pdftotextLayout(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
