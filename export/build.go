package export

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Input is what a package is made from.
type Input struct {
	Answers *Answers
	Data    *assets.Data // nil: the embedded data
	// Cert is the certificate file loaded in this run, with its chain and
	// (from a .pfx) its key, so the package's certificate report is the
	// report of that file. Nil: the certificate the answers keep, whose
	// report then says the key match could not be checked again.
	Cert *cert.Loaded
	// Now is the build time (zero: time.Now()).
	Now time.Time
	// IdPCert is MPass's IdP signing certificate, when its metadata could be
	// fetched (FetchIdPCertificate); the package then holds it.
	IdPCert *x509.Certificate
	// HoldsKey reports whether data contains the private key (the caller,
	// who has the key in memory, supplies it). Every file is also scanned for
	// PRIVATE KEY markers whether or not this is set.
	HoldsKey func(data []byte) bool
	// AcceptFailures makes a package although the judgement fails; the
	// override is then recorded in README.txt, certificate/report.txt and
	// every e-mail, so AGE is not misled.
	AcceptFailures bool
}

// Options change how a package is written.
type Options struct {
	// Overwrite replaces an existing package of the same name.
	Overwrite bool
	// Context, when cancelled before the old package is replaced, stops the
	// build and leaves the old package as it was. Once the replacement has
	// begun it runs to its end.
	Context context.Context
}

// Result says what was written.
type Result struct {
	Dir    string  // the package folder
	Zip    string  // the .zip of it
	Emails []Email // one per recipient, in service order
	Files  []string
	// Record is the registration to keep in the answers (Answers.Record),
	// so production can refuse the certificate registered for test.
	Record Registration
}

// Email is one ready-to-send message.
type Email struct {
	To          string   `json:"to"`
	Cc          string   `json:"cc,omitempty"`
	Subject     string   `json:"subject"`
	File        string   `json:"file"` // path inside the package, e.g. email/01-support.msign@egov.md.eml
	Services    []string `json:"services"`
	Attachments []string `json:"attachments"`
}

// ExistsError means a package of the same name is already there.
type ExistsError struct {
	Path string
	// Missing is set when only half of a package is there: the folder
	// without its .zip, or the .zip without its folder.
	Missing string
}

func (e *ExistsError) Error() string { return e.In("en") }

// In renders the error in lang.
func (e *ExistsError) In(lang string) string {
	if e.Missing != "" {
		return assets.T(lang, "package.exists_half", "Dir", e.Path, "Missing", e.Missing)
	}
	return assets.T(lang, "package.exists_error", "Dir", e.Path)
}

// ErrKeyMaterial aborts a build whose files would hold private key material.
var ErrKeyMaterial error = keyMaterialError{}

type keyMaterialError struct{}

func (keyMaterialError) Error() string { return assets.T(assets.DefaultLang, "package.key_material") }

// In renders the error in lang.
func (keyMaterialError) In(lang string) string { return assets.T(lang, "package.key_material") }

// afterWrite, when set (tests), runs after each file is written into the
// temporary folder; an error aborts the build.
var afterWrite func(path string) error

// Package is a registration package made in memory: every file, the
// e-mails, the judgement it was made with and the registration to record.
type Package struct {
	// Name is the package folder's name (see Name).
	Name      string
	Judgement Judgement
	// Record is the registration this package makes; Write fills in where
	// it was written.
	Record Registration
	p      *pkg
}

// Files are the package's file names, slash-separated, sorted.
func (k *Package) Files() []string { return k.p.names() }

// File is the content of the named file (nil if there is none).
func (k *Package) File(name string) []byte { return k.p.files[name] }

// Build makes the registration package from in. It is pure: it reads the
// answers and changes nothing, neither the answers nor any file. The answers
// must be complete (*IncompleteError otherwise) and the judgement must pass
// unless in.AcceptFailures is set (*FailuresError otherwise). Write puts
// the package on disk; the caller records Result.Record in the answers.
func Build(in Input) (*Package, error) {
	d := in.Data
	if d == nil {
		d = assets.Embedded()
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	a := withCertificate(in.Answers, in.Cert)
	if errs := Validate(a, d); len(errs) > 0 {
		return nil, &IncompleteError{Errors: errs}
	}
	l := in.Cert
	if l == nil && !a.Certificate.SerialOnly {
		if _, err := a.Certificate.Parse(); err != nil {
			return nil, err
		}
		l = a.Certificate.Loaded()
	}
	j := Judge(a, l, d, in.Now)
	if j.Failed() && !in.AcceptFailures {
		return nil, &FailuresError{Judgement: j}
	}
	p := &pkg{a: a, d: d, loaded: l, rebuilt: in.Cert == nil, now: in.Now, demo: a.Certificate.Demo, judgement: j, files: map[string][]byte{}, idp: in.IdPCert}
	if l != nil {
		p.leaf = l.Leaf
	}
	if err := p.make(); err != nil {
		return nil, err
	}
	for _, name := range p.names() {
		if holdsKeyMaterial(p.files[name], in.HoldsKey) {
			return nil, ErrKeyMaterial
		}
	}
	k := &Package{Name: Name(a, in.Now, p.demo), Judgement: j, p: p}
	k.Record = Registration{Env: a.Env, SerialHex: a.Certificate.SerialHex(), SHA256: a.Certificate.SHA256(), Built: in.Now.UTC(), Package: k.Name}
	return k, nil
}

// withCertificate is a (never changed) or, when l is given, a copy of a
// that keeps l as its certificate.
func withCertificate(a *Answers, l *cert.Loaded) *Answers {
	if l == nil {
		return a
	}
	c := *a
	c.Certificate = NewCertificate(l)
	return &c
}

// Write puts the package into outDir: a folder named after the system,
// environment and date, and a .zip of it. It is made in a temporary folder
// beside the target and renamed into place, so a failure leaves nothing at
// the target.
func (k *Package) Write(outDir string, opt Options) (*Result, error) {
	res, err := k.p.write(outDir, opt)
	if err != nil {
		return nil, err
	}
	res.Record = k.Record
	res.Record.Package = res.Dir
	return res, nil
}

// Record keeps r in the answers: production then refuses the certificate
// registered for test.
func (a *Answers) Record(r Registration) { a.Registered = append(a.Registered, r) }

// holdsKeyMaterial is the scan every file written goes through: PEM
// private key markers, and the key itself as the caller (who has it in
// memory) recognises it with holds.
func holdsKeyMaterial(b []byte, holds func([]byte) bool) bool {
	return bytes.Contains(b, []byte("PRIVATE KEY")) || (holds != nil && holds(b))
}

// IncompleteError lists what the answers still lack.
type IncompleteError struct{ Errors []FieldError }

func (e *IncompleteError) Error() string {
	var s []string
	for _, f := range e.Errors {
		s = append(s, f.Error())
	}
	return "the answers are incomplete: " + strings.Join(s, "; ")
}

// In renders the error in lang, one field per line.
func (e *IncompleteError) In(lang string) string {
	var s []string
	for _, f := range e.Errors {
		s = append(s, "  "+f.In(lang))
	}
	return assets.T(lang, "package.incomplete") + "\n" + strings.Join(s, "\n")
}

// pkg is a package being made in memory.
type pkg struct {
	a    *Answers
	d    *assets.Data
	leaf *x509.Certificate
	// loaded is the certificate as loaded (with its chain and key when it
	// came from a file in this run); nil for a serial-only certificate.
	loaded *cert.Loaded
	// rebuilt: the certificate comes from the answers alone (no file, no key).
	rebuilt   bool
	now       time.Time
	demo      bool
	judgement Judgement
	idp       *x509.Certificate // MPass's IdP signing certificate, if fetched
	files     map[string][]byte
	emails    []Email
	// name and id, when set, replace the package's folder name and the
	// system ID its reminders give (renew.go).
	name, id string
}

func (p *pkg) add(name string, b []byte) { p.files[name] = b }

func (p *pkg) names() []string {
	var out []string
	for n := range p.files {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Name is the package folder's name: system, environment and date.
func Name(a *Answers, now time.Time, demo bool) string {
	n := fmt.Sprintf("%s-%s-%s", Slug(a.System.Name), a.Env, now.Format("2006-01-02"))
	if demo {
		n += "-DEMO"
	}
	return n
}

// Slug makes a file-name-safe form of s: ASCII letters, digits and dashes.
func Slug(s string) string {
	s = checks.RemoveDiacritics(s)
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 48 {
		out = strings.Trim(out[:48], "-")
	}
	if out == "" {
		out = "system"
	}
	if ReservedOnWindows(out) {
		// "con.cer" cannot be created or opened on Windows.
		out += "-system"
	}
	return out
}

// ReservedOnWindows reports whether Windows refuses name as a file name
// because it names a device: CON, PRN, AUX, NUL, COM0–9 and LPT0–9 (also
// with superscript digits), CONIN$ and CONOUT$, in any case, with any
// extension and with trailing dots or spaces ("con.txt", "Nul .", "lpt1.tar.gz").
func ReservedOnWindows(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.ToLower(strings.TrimRight(base, ". "))
	switch base {
	case "con", "prn", "aux", "nul", "conin$", "conout$":
		return true
	}
	for _, dev := range []string{"com", "lpt"} {
		if rest, ok := strings.CutPrefix(base, dev); ok {
			switch rest {
			case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
				return true
			}
		}
	}
	return false
}

// fileSafe keeps the characters of s that are safe in a file name on every
// system (letters, digits and . @ _ + -) and replaces the others with a dash.
func fileSafe(s string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(".@_+-", r):
			return r
		}
		return '-'
	}, s)
	if out = strings.Trim(out, ". "); out == "" {
		out = "mailbox"
	}
	return out
}

// make renders every file of the package.
func (p *pkg) make() error {
	cerName, rep, err := p.makeCertificate()
	if err != nil {
		return err
	}
	data := p.templateData(rep, cerName)
	data.Override = p.override()
	if err := p.makeEmails(data, cerName); err != nil {
		return err
	}
	// The README names each e-mail's file and mailboxes, which come from the
	// data file: escaped like every other value it shows.
	for _, e := range p.emails {
		e.To, e.Cc, e.File = safetext.Line(e.To), safetext.Line(e.Cc), safetext.Line(e.File)
		data.Emails = append(data.Emails, e)
	}
	// The request letter: a .txt to read and a PDF to sign.
	if err := p.addLetter("request.tmpl", "request/solicitare-de-integrare", data); err != nil {
		return err
	}
	for _, f := range []struct{ tmpl, name string }{
		{"readme.tmpl", "README.txt"},
	} {
		b, err := render(f.tmpl, data)
		if err != nil {
			return err
		}
		p.add(f.name, b)
	}
	p.add(SheetFile, p.sheet(data))
	p.addReminders()
	// Test plans only for the test environment: AGE allows no tests on
	// production (mpass/integration-development.md, "System environments").
	if p.a.Env != assets.EnvProduction {
		for _, id := range p.services() {
			for _, lang := range []string{"ro", "en"} {
				b, err := render("testplan-"+id+"."+lang+".tmpl", data)
				if err != nil {
					return err
				}
				p.add(TestPlanFile(id, lang), b)
			}
		}
	}
	// The MPass kit and the libraries' configuration (export/metadata.go).
	if err := p.addKit(); err != nil {
		return err
	}
	reg, _ := json.MarshalIndent(p.registration(), "", "  ")
	p.add("registration.json", append(safetext.JSON(reg), '\n'))
	if len(p.a.Connectivity) > 0 {
		cj, _ := json.MarshalIndent(p.a.Connectivity, "", "  ")
		p.add("checks/connectivity.json", append(safetext.JSON(cj), '\n'))
		p.add("checks/connectivity.txt", p.connectivityText())
	}
	p.add("SHA256SUMS", p.sums())
	return nil
}

// override is what README.txt and every e-mail say about a package written
// past failing checks, in the languages they are written in (Romanian and
// English); "" when nothing fails.
func (p *pkg) override() string {
	if !p.judgement.Failed() {
		return ""
	}
	return safetext.Block(overrideText(p.judgement, "ro") + "\n\n" + overrideText(p.judgement, "en"))
}

// TestPlanFile is where the package keeps a service's test plan in lang.
func TestPlanFile(service, lang string) string { return "test-plan/" + service + "." + lang + ".md" }

// makeCertificate adds the .cer and its report: the judgement's report of
// the certificate as it was loaded (its chain and key match kept). A
// certificate named by its serial only (already registered with AGE) adds
// nothing: it returns "" and a nil report.
func (p *pkg) makeCertificate() (string, *cert.Report, error) {
	rep := p.judgement.Report
	if p.leaf == nil || rep == nil {
		return "", nil, nil
	}
	cerName := Slug(p.a.System.Name) + ".cer"
	if p.demo {
		cerName = Slug(p.a.System.Name) + "-DEMO.cer"
	}
	// Only the .cer: seed 002 (NOTĂ) tells the integrator never to send a
	// *.pem file, so the package holds none (`cert export --pem` writes one
	// for the user's own use).
	p.add("certificate/"+cerName, p.leaf.Raw)
	var txt bytes.Buffer
	if err := rep.WriteText(&txt, "en"); err != nil {
		return "", nil, err
	}
	if p.rebuilt {
		// Made again from the answers: the key was never kept.
		txt.WriteString("\n" + assets.T("en", "package.report.no_key") + "\n")
	}
	if p.judgement.Failed() {
		txt.WriteString("\n" + overrideText(p.judgement, "en") + "\n")
	}
	p.add("certificate/report.txt", txt.Bytes())
	js, _ := json.MarshalIndent(rep, "", "  ")
	p.add("certificate/report.json", append(safetext.JSON(js), '\n'))
	return cerName, rep, nil
}

// services are the chosen services in the data's order.
func (p *pkg) services() []string {
	var out []string
	for _, id := range p.d.Order {
		if p.a.Has(id) {
			out = append(out, id)
		}
	}
	return out
}

// registration is the answers as the package keeps them: no progress
// bookkeeping, nothing secret (the answers never hold a secret).
func (p *pkg) registration() *Answers {
	r := *p.a
	r.Schema = SchemaVersion
	r.Completed = nil
	r.Updated = p.now.UTC()
	if r.Certificate != nil {
		c := *r.Certificate
		c.File = ""
		r.Certificate = &c
	}
	return &r
}

// sums is SHA256SUMS in the format `sha256sum -c` reads.
func (p *pkg) sums() []byte {
	var b bytes.Buffer
	for _, n := range p.names() {
		if n == "SHA256SUMS" {
			continue
		}
		h := sha256.Sum256(p.files[n])
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(h[:]), n)
	}
	return b.Bytes()
}

// connectivityText is checks/connectivity.txt, in English like the
// other reports.
func (p *pkg) connectivityText() []byte {
	var b bytes.Buffer
	WriteConnectivity(&b, p.a.Connectivity, p.a, "en")
	return b.Bytes()
}

// write puts the files in a temporary folder beside the target, zips them,
// and puts both in place (see replace.go for how a replacement stays whole
// if the program is killed). Temporary folders of stopped builds are dealt
// with first. An error from the file system names the folder.
func (p *pkg) write(outDir string, opt Options) (*Result, error) {
	if outDir == "" {
		outDir = "."
	}
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := p.writeIn(ctx, outDir, opt.Overwrite)
	var l assets.Localizable
	if err != nil && !errors.As(err, &l) {
		return nil, checks.Problemf("package.write_failed", "Dir", outDir, "Err", err).Wrap(err)
	}
	return res, err
}

func (p *pkg) writeIn(ctx context.Context, outDir string, overwrite bool) (*Result, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	Recover(outDir)
	name := Name(p.a, p.now, p.demo)
	if p.name != "" {
		name = p.name
	}
	target := filepath.Join(outDir, name)
	zipPath := target + ".zip"
	if err := notThere(target, zipPath, overwrite); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(outDir, "."+name+tmpMarker)
	if err != nil {
		return nil, err
	}
	unlock := lock(tmp)
	defer os.RemoveAll(tmp) // after a replacement it holds the old package
	defer unlock()
	if err := p.writeFiles(ctx, filepath.Join(tmp, name)); err != nil {
		return nil, err
	}
	if err := p.zip(filepath.Join(tmp, name+".zip"), name); err != nil {
		return nil, err
	}
	pause("written")
	if err := ctx.Err(); err != nil {
		return nil, err // stopped before anything was replaced
	}
	// From here on the replacement runs to its end, whatever the context.
	if err := swapIn(tmp, name, target); err != nil {
		return nil, err
	}
	res := &Result{Dir: target, Zip: zipPath, Files: p.names()}
	for _, e := range p.emails {
		e.File = filepath.Join(target, filepath.FromSlash(e.File))
		res.Emails = append(res.Emails, e)
	}
	return res, nil
}

// notThere refuses, unless overwrite is set, a package already at target
// (its folder, its .zip, or half of them).
func notThere(target, zipPath string, overwrite bool) error {
	dirThere, zipThere := exists(target), exists(zipPath)
	if !(dirThere || zipThere) || overwrite {
		return nil
	}
	e := &ExistsError{Path: target}
	switch {
	case !zipThere:
		e.Missing = zipPath
	case !dirThere:
		e.Path, e.Missing = zipPath, target
	}
	return e
}

// writeFiles writes every file of the package under dir, stopping when ctx is.
func (p *pkg) writeFiles(ctx context.Context, dir string) error {
	for _, n := range p.names() {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, p.files[n], 0o644); err != nil {
			return err
		}
		if afterWrite != nil {
			if err := afterWrite(path); err != nil {
				return err
			}
		}
	}
	return nil
}

// zip writes the package as a .zip with the folder at its top.
func (p *pkg) zip(path, name string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, n := range p.names() {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/" + n, Method: zip.Deflate, Modified: p.now})
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write(p.files[n]); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
