package export

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
)

const requestPDF = "request/solicitare-de-integrare.pdf"

func readPackageFile(t *testing.T, res *Result, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfHex is a PDF text string as gopdf writes it in the information
// dictionary: UTF-16BE in hex after the FEFF mark.
func pdfHex(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return "<FEFF" + strings.ToUpper(hex.EncodeToString(b)) + ">"
}

var pageRe = regexp.MustCompile(`/Type /Page\s`)

// checkPDFStructure checks what a reader relies on: every cross-reference
// offset points at its object, startxref at the table.
func checkPDFStructure(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatalf("not a complete PDF: starts %q", b[:min(len(b), 10)])
	}
	i := bytes.LastIndex(b, []byte("startxref\n"))
	num, _, _ := strings.Cut(string(b[i+len("startxref\n"):]), "\n")
	start, err := strconv.Atoi(num)
	if err != nil || !bytes.HasPrefix(b[start:], []byte("xref\n")) {
		t.Fatalf("startxref %q does not point at the cross-reference table", num)
	}
	lines := strings.Split(string(b[start:i]), "\n")
	obj := 0
	for _, ln := range lines[2:] {
		if !strings.HasSuffix(ln, " n ") {
			continue
		}
		obj++
		off, _ := strconv.Atoi(ln[:10])
		if want := strconv.Itoa(obj) + " 0 obj\n"; !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("object %d: the cross-reference table points at %q", obj, b[off:min(len(b), off+12)])
		}
	}
	if obj < 5 {
		t.Errorf("only %d objects in the cross-reference table", obj)
	}
}

// The request PDF of a three-service package: one A4 page, fonts embedded,
// metadata and language set, no scripts, a sound file structure.
func TestRequestPDF(t *testing.T) {
	res, _ := buildExample(t, nil)
	a := exampleAnswers(t)
	b := readPackageFile(t, res, requestPDF)
	checkPDFStructure(t, b)
	if n := len(pageRe.FindAll(b, -1)); n != 1 {
		t.Errorf("%d pages, want 1 for three services", n)
	}
	if n := bytes.Count(b, []byte("/FontFile2 ")); n != 2 {
		t.Errorf("%d embedded TrueType fonts (/FontFile2), want 2 (regular and bold)", n)
	}
	if !bytes.Contains(b, []byte("/MediaBox [ 0 0 595.28 841.89 ]")) && !bytes.Contains(b, []byte("595.28")) {
		t.Error("the page is not A4 (595.28 × 841.89 pt)")
	}
	for _, bad := range []string{"/JS", "/JavaScript", "/AA", "/OpenAction", "/Launch", "/AcroForm"} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("the PDF holds %s", bad)
		}
	}
	for _, want := range []string{
		"/Lang (ro-MD)",
		"/Author " + pdfHex(a.Organization.Name),
		"/Title " + pdfHex("Solicitare de integrare — "+a.System.Name),
		"/CreationDate(D:20261122103000+00'00')",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the PDF lacks %s", want)
		}
	}
	if bytes.Contains(b, []byte("PRIVATE KEY")) {
		t.Error("the PDF holds key material")
	}
}

// The same answers and build time give the same PDF, byte for byte.
func TestRequestPDFDeterministic(t *testing.T) {
	r1, _ := buildExample(t, nil)
	r2, _ := buildExample(t, nil)
	if !bytes.Equal(readPackageFile(t, r1, requestPDF), readPackageFile(t, r2, requestPDF)) {
		t.Error("two builds of the same answers gave different PDFs")
	}
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// The text extracted from the PDF is the letter, in reading order, with
// Romanian diacritics (ș ț with comma below) and the Cyrillic name intact.
func TestRequestPDFText(t *testing.T) {
	res, _ := buildExample(t, nil)
	a := exampleAnswers(t)
	got := pdftotext(t, readPackageFile(t, res, requestPDF))
	flat := strings.Join(strings.Fields(got), " ")
	order := []string{
		a.Organization.Name,
		"IDNO: " + a.Organization.IDNO,
		"Nr. ________ din",
		"Cu privire la integrarea sistemului informațional",
		"Prin prezenta, solicităm integrarea sistemului informațional „" + a.System.Name + "”",
		"cu serviciile electronice guvernamentale MPass, MSign și MPower",
		"Datele solicitării:",
		"1. Denumirea instituției sau companiei care solicită integrarea:",
		"4. Descrierea succintă a sistemului/produsului informațional:",
		"6. Serviciile solicitate:",
		"- MPass (autentificare și control al accesului)",
		"- MPower",
		a.Service.RO,
		a.Service.RU,
		a.Service.EN,
		"Persoana de contact: " + a.Organization.ContactName,
		"Cu respect,",
		"Conducătorul instituției (sau persoana împuternicită expres):",
		"Numele, prenumele:",
		"Funcția:",
		"Semnătura:",
		"Data:",
		"L.Ș.",
	}
	at := 0
	for _, w := range order {
		i := strings.Index(flat[at:], w)
		if i < 0 {
			if strings.Contains(flat, w) {
				t.Errorf("%q is out of reading order in the extracted text", w)
			} else {
				t.Errorf("the extracted text lacks %q", w)
			}
			continue
		}
		at += i + len(w)
	}
	for _, w := range []string{"Instituția Publică", "«Agenția de Guvernare Electronică»", "mun. Chișinău, Republica Moldova"} {
		if !strings.Contains(flat, w) {
			t.Errorf("the addressee lacks %q", w)
		}
	}
	if !strings.ContainsAny(a.Service.RU, "абвгдежзийклмнопрстуфхцчшщъыьэюя") {
		t.Fatalf("the example's Russian name %q is not Cyrillic", a.Service.RU)
	}
	if strings.ContainsAny(got, "şţŞŢ") {
		t.Error("the extracted text has ş or ţ with cedilla; Romanian takes ș ț with comma below")
	}
	for _, r := range "ășțîâȘȚ" {
		if r != 'Ș' && r != 'Ț' && !strings.ContainsRune(got, r) {
			t.Errorf("the extracted text lacks %q", r)
		}
	}
}

// The .txt and the PDF are one letter: every word of the .txt is in the
// PDF's text, in the same order.
func TestRequestTextAndPDFAgree(t *testing.T) {
	res, _ := buildExample(t, nil)
	pdf := strings.Fields(pdftotext(t, readPackageFile(t, res, requestPDF)))
	txt := strings.Fields(string(readPackageFile(t, res, "request/solicitare-de-integrare.txt")))
	at := 0
	for _, w := range txt {
		if strings.Trim(w, "_") == "" {
			continue // a line to fill in: drawn, not typed, in the PDF
		}
		i := at
		for i < len(pdf) && pdf[i] != w {
			i++
		}
		if i == len(pdf) {
			t.Fatalf("the .txt has %q (after %q) which the PDF lacks in that order", w, strings.Join(pdf[max(0, at-5):at], " "))
		}
		at = i + 1
	}
}

// One page, looked at: pdftoppm renders it (when installed) as an image
// that is mostly white with dark text, not blank.
func TestRequestPDFRenders(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	res, _ := buildExample(t, nil)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "letter.pdf")
	os.WriteFile(pdf, readPackageFile(t, res, requestPDF), 0o644)
	out, err := exec.Command("pdftoppm", "-gray", "-r", "20", pdf, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.pgm"))
	if len(pages) != 1 {
		t.Fatalf("pdftoppm rendered %d pages, want 1", len(pages))
	}
	img, _ := os.ReadFile(pages[0])
	dark := 0
	for _, c := range img[len(img)*3/4:] {
		if c < 128 {
			dark++
		}
	}
	if dark == 0 {
		t.Error("the rendered page has nothing on it")
	}
	if len(out) > 0 {
		t.Errorf("pdftoppm complained: %s", out)
	}
}

// Hostile answers: a name with no space to break at, control characters,
// a character the font lacks, a long description. The PDF is still made
// and sound; nothing panics; long text flows onto a second page.
func TestRequestPDFHostile(t *testing.T) {
	res, _ := buildExample(t, func(a *Answers) {
		a.System.Name = strings.Repeat("Registrulautorizațiilor", 8) + "\x1e\x1b[31m\u202e漢"
		a.System.Other = "rândul unu\n\trândul doi\x1e\n" + strings.Repeat("un rând\n", 40)
	})
	b := readPackageFile(t, res, requestPDF)
	checkPDFStructure(t, b)
	if n := len(pageRe.FindAll(b, -1)); n < 2 {
		t.Errorf("%d pages for a letter longer than a page", n)
	}
	txt := string(readPackageFile(t, res, "request/solicitare-de-integrare.txt"))
	if strings.ContainsAny(txt, "\x1e\x1b\u202e") {
		t.Errorf("the .txt holds raw control characters: %q", txt)
	}
	got := pdftotext(t, b)
	// A character the font lacks shows as "?", never as nothing.
	if !strings.Contains(got, `\x1b[31m\u202e?`) || !strings.Contains(got, "rândul doi") {
		t.Errorf("the escaped name or the other information is missing from the PDF's text:\n%s", got)
	}
}

func TestParseLetterRejectsMalformed(t *testing.T) {
	for _, in := range []string{"text before\n\x1epara\nx\n", "\x1enosuchblock\nx\n"} {
		if _, err := parseLetter([]byte(in)); err == nil {
			t.Errorf("parseLetter(%q) accepted it", in)
		}
	}
	l, err := parseLetter([]byte("\n\x1epara\nUnu.\n\n\n\x1eitem\n1. Titlu:\nvaloare\n\nrândul doi\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := "Unu.\n\n1. Titlu:\n   valoare\n\n   rândul doi\n"
	if got := string(l.text()); got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
}

func TestWithCatalogEntriesRefusesOtherPDFs(t *testing.T) {
	for _, in := range []string{"", "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "1 0 obj\n<<\n  /Type /Catalog\n>>\n"} {
		if _, err := withCatalogEntries([]byte(in), "/Lang (ro-MD)"); err == nil {
			t.Errorf("withCatalogEntries(%q) accepted it", in)
		}
	}
}

// A longer but ordinary letter still fits one page: three services, a
// description at its 200-character limit, three lines of other information.
func TestRequestPDFOnePageForLongerAnswers(t *testing.T) {
	res, _ := buildExample(t, func(a *Answers) {
		a.System.Description = strings.Repeat("Sistemul gestionează cererile și autorizațiile. ", 5)[:199]
		a.System.Other = "Integrarea este realizată de SRL Dezvoltator Exemplu, care răspunde de mentenanța sistemului; " +
			"mediul de test rulează în centrul de date al primăriei, iar mediul de producție în cloudul guvernamental MCloud."
	})
	if n := len(pageRe.FindAll(readPackageFile(t, res, requestPDF), -1)); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
}

// BenchmarkRequestPDF measures setting the request letter as a PDF (font
// parsing and subsetting included).
func BenchmarkRequestPDF(b *testing.B) {
	a := exampleAnswers(b)
	leaf := goldenLeaf(b)
	p := &pkg{a: a, d: assets.Embedded(), leaf: leaf, now: buildNow, files: map[string][]byte{}}
	rep := cert.NewReport(&cert.Loaded{Leaf: leaf, Format: "der"}, cert.Options{Now: buildNow, Data: p.d})
	data := p.templateData(rep, "x.cer")
	raw, err := render("request.tmpl", data)
	if err != nil {
		b.Fatal(err)
	}
	l, err := parseLetter(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.pdf(pdfInfo{Author: "x", Created: buildNow}); err != nil {
			b.Fatal(err)
		}
	}
}
