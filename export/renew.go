package export

import (
	"bytes"
	"cmp"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// RenewInput is what a renewal package is made from.
type RenewInput struct {
	// Answers are the system's answers: organization, contact, system. They
	// are not changed.
	Answers  *Answers
	SystemID string
	// Old is the registration being renewed: its environment, platforms,
	// serial and expiry.
	Old StatusRow
	// Leaf is the new certificate (public).
	Leaf *x509.Certificate
	// HoldsKey reports whether data contains the new certificate's private
	// key (the caller, who has it in memory, supplies it); every file is
	// also scanned for PRIVATE KEY markers.
	HoldsKey func(data []byte) bool
	// Registered: the new certificate is already registered for this
	// system and environment, so the e-mails name its serial and attach
	// nothing (mpass/process2.md steps 4 and 8).
	Registered bool
	Data       *assets.Data // nil: the embedded data
	Now        time.Time
}

// RenewalName is a renewal package's folder name.
func RenewalName(a *Answers, env string, now time.Time) string {
	return fmt.Sprintf("%s-%s-renewal-%s", Slug(a.System.Name), env, now.Format("2006-01-02"))
}

// Renew writes a renewal package into outDir (BuildRenewal, then
// Package.Write): whole or not at all, like a registration package. The
// returned entry is what the ledger records.
func Renew(outDir string, in RenewInput, opt Options) (*Result, LedgerEntry, error) {
	k, err := BuildRenewal(in)
	if err != nil {
		return nil, LedgerEntry{}, err
	}
	res, err := k.Write(outDir, opt)
	if err != nil {
		return nil, LedgerEntry{}, err
	}
	e, _ := EntryFor(k.p.a, in.SystemID, res.Dir, k.p.now)
	e.Replaces = in.Old.SerialHex
	return res, e, nil
}

// BuildRenewal makes a renewal package in memory: for each mailbox of the
// platforms that use the old certificate one e-mail asking AGE to replace
// serial X (expiring D) with serial Y, the new .cer attached (or named by
// its serial when AGE already has it), the updated registration sheet, the
// reminders for the new certificate and SHA256SUMS. Like Build it changes
// nothing; the answers it is made from are not changed.
func BuildRenewal(in RenewInput) (*Package, error) {
	d := in.Data
	if d == nil {
		d = assets.Embedded()
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	if assets.EnvKey(in.Old.Env) == "" {
		// The ledger is a file anyone may edit: an environment that is
		// neither test nor production would name the package's folder.
		return nil, checks.Problemf("answers.unknown_env", "Env", in.Old.Env)
	}
	a := *in.Answers
	a.Env, a.Services = in.Old.Env, slices.Clone(in.Old.Services)
	a.Certificate = &Certificate{DER: bytes.Clone(in.Leaf.Raw)}
	p := &pkg{a: &a, d: d, leaf: in.Leaf, now: in.Now, files: map[string][]byte{},
		name: RenewalName(&a, a.Env, in.Now), id: in.SystemID}
	if in.Registered {
		// AGE has it: the e-mails name its serial and the package holds no .cer.
		a.Certificate.SerialOnly, a.Certificate.Serial, p.leaf = true, cert.SerialHex(in.Leaf), nil
	} else {
		p.judgement.Report = cert.NewReport(&cert.Loaded{Leaf: in.Leaf}, cert.Options{Now: in.Now, Data: d})
	}
	if err := p.makeRenewal(in.Old); err != nil {
		return nil, err
	}
	for _, name := range p.names() {
		if holdsKeyMaterial(p.files[name], in.HoldsKey) {
			return nil, ErrKeyMaterial
		}
	}
	k := &Package{Name: p.name, p: p}
	k.Record = Registration{Env: a.Env, SerialHex: a.Certificate.SerialHex(), SHA256: a.Certificate.SHA256(), Built: in.Now.UTC(), Package: k.Name}
	return k, nil
}

// renewalData is what the renewal e-mail template sees.
type renewalData struct {
	docData
	OldSerial, OldExpires string
}

// makeRenewal renders every file of a renewal package.
func (p *pkg) makeRenewal(old StatusRow) error {
	cerName, rep, err := p.makeCertificate()
	if err != nil {
		return err
	}
	data := p.templateData(rep, cerName)
	if rep == nil {
		// Named by its serial: the validity is still known from the file.
		c := p.a.Certificate.Facts()
		data.Cert.NotBefore, data.Cert.NotAfter = c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02")
	}
	oldExpires := "—"
	if !old.NotAfter.IsZero() {
		oldExpires = old.NotAfter.UTC().Format("2006-01-02")
	}
	order, by := p.recipients()
	for i, to := range order {
		rd := renewalData{docData: *data, OldSerial: safetext.Line(old.SerialHex), OldExpires: oldExpires}
		rd.setServices(p.d, by[to])
		body, err := render("renewal-email.tmpl", &rd)
		if err != nil {
			return err
		}
		subject := fmt.Sprintf("Înlocuirea certificatului / Certificate replacement: %s — %s, mediul de %s / %s environment: %s → %s",
			rd.System.Name, rd.ServiceList, rd.EnvRO, rd.EnvEN, rd.OldSerial, rd.Cert.SerialHex)
		eml, err := p.message(to, subject, body, cerName, i)
		if err != nil {
			return err
		}
		file := fmt.Sprintf("email/%02d-%s.eml", i+1, fileSafe(to))
		p.add(file, eml)
		attached := []string{}
		if cerName != "" {
			attached = []string{cerName}
		}
		p.emails = append(p.emails, Email{To: to, Cc: p.cc(to), Subject: subject, File: file, Services: by[to], Attachments: attached})
	}
	p.add(SheetFile, p.sheet(data))
	p.add("README.txt", p.renewalReadme(data, old, oldExpires))
	p.addReminders()
	reg, _ := json.MarshalIndent(p.registration(), "", "  ")
	p.add("registration.json", append(safetext.JSON(reg), '\n'))
	p.add("SHA256SUMS", p.sums())
	return nil
}

// renewalReadme is the renewal package's README.txt: what replaces what,
// and the steps, in Romanian and English. Every value is escaped.
func (p *pkg) renewalReadme(d *docData, old StatusRow, oldExpires string) []byte {
	var b bytes.Buffer
	id := cmp.Or(p.id, Slug(p.a.System.Name))
	oldSerial := safetext.Line(old.SerialHex)
	fmt.Fprintf(&b, "PACHET DE REÎNNOIRE A CERTIFICATULUI / CERTIFICATE RENEWAL PACKAGE\n%s — mediul de %s / %s environment — %s\n\n",
		d.System.Name, d.EnvRO, d.EnvEN, d.ServicesEN)
	fmt.Fprintf(&b, "Numărul de serie %s (expiră la %s) se înlocuiește cu %s (valabil până la %s).\n", oldSerial, oldExpires, d.Cert.SerialHex, d.Cert.NotAfter)
	fmt.Fprintf(&b, "Serial number %s (expires on %s) is replaced with %s (valid until %s).\n\n", oldSerial, oldExpires, d.Cert.SerialHex, d.Cert.NotAfter)
	b.WriteString("1. Trimiteți fiecare mesaj (deschideți fișierul .eml în programul de e-mail):\n   Send each message (open the .eml file in your mail program):\n")
	for _, e := range p.emails {
		fmt.Fprintf(&b, "     %s — %s\n", safetext.Line(e.File), safetext.Line(strings.Join(e.Services, ", ")))
	}
	fmt.Fprintf(&b, "2. Notați trimiterea și confirmarea AGE / Record when it is sent and when AGE confirms it:\n"+
		"     egovsetup status --sent %[1]s/%[2]s\n     egovsetup status --confirmed %[1]s/%[2]s\n", id, d.Env)
	fmt.Fprintf(&b, "3. Importați %[1]s în calendar: memento-uri cu 60 și 30 de zile înainte de expirare.\n"+
		"   Import %[1]s into your calendar: reminders 60 and 30 days before expiry.\n\n", RemindersFile)
	// Seed 002, NOTĂ: the private key files nobody is sent.
	fmt.Fprintf(&b, "Cheia privată (fișierele %[1]s) nu se trimite niciodată.\nThe private key (files %[1]s) is never sent.\n", d.NeverSend)
	return b.Bytes()
}

// RenewalCheck is the judgement of a renewal's new certificate.
type RenewalCheck struct {
	// Report holds the certificate's card and every verdict, judged for the
	// platforms and environment of the registration it replaces.
	Report *cert.Report
	// Registered: AGE already has the certificate for this system and
	// environment (the e-mails then name its serial, see RenewInput).
	Registered bool
}

// UnfitError refuses a new certificate that fails a verdict: Failing are
// the verdicts that fail.
type UnfitError struct {
	Serial  string
	Failing []checks.Check
}

func (e *UnfitError) Error() string { return e.In("en") }

// In says, in lang, that the certificate cannot be registered.
func (e *UnfitError) In(lang string) string {
	return assets.T(lang, "renew.unfit", "Serial", e.Serial)
}

// CheckRenewal judges the new certificate l that is to replace the
// registration old of system systemID: not the old certificate, fit for
// the platforms and the environment (checks/cert verdicts; *UnfitError),
// and allowed by AGE's rule on ledger (Ledger.CertificateRule). egovsetup
// renew and the wizard's renewal both judge with it. The check is returned
// whatever the verdict, so its card can be shown.
func CheckRenewal(ledger *Ledger, systemID string, old StatusRow, l *cert.Loaded, d *assets.Data, now time.Time) (RenewalCheck, error) {
	serial, sha := cert.SerialHex(l.Leaf), cert.Fingerprint(l.Leaf)
	rc := RenewalCheck{Report: cert.NewReport(l, cert.Options{Services: old.Services, Env: old.Env, Now: now, Data: d})}
	if strings.EqualFold(serial, old.SerialHex) || (old.SHA256 != "" && strings.EqualFold(sha, old.SHA256)) {
		return rc, checks.Problemf("cli.renew.same_cert", "Serial", serial)
	}
	if rc.Report.Worst() == checks.Fail {
		var failing []checks.Check
		for _, v := range rc.Report.Verdicts {
			if v.Severity == checks.Fail {
				failing = append(failing, v)
			}
		}
		return rc, &UnfitError{Serial: serial, Failing: failing}
	}
	use, err := ledger.CertificateRule(systemID, old.Env, &Certificate{DER: bytes.Clone(l.Leaf.Raw)})
	rc.Registered = use.Registered
	return rc, err
}

// RenewalTarget picks the registration a renewal replaces among rows (the
// registrations in force): the system's in env, and when it has several
// certificates there, the one with serial old. It returns every candidate
// when the choice is not clear.
func RenewalTarget(rows []StatusRow, systemID, env, old string) (StatusRow, []StatusRow) {
	var cands []StatusRow
	for _, r := range rows {
		if r.SystemID == systemID && r.Env == env && (old == "" || strings.EqualFold(r.SerialHex, old)) {
			cands = append(cands, r)
		}
	}
	if len(cands) == 1 {
		return cands[0], cands
	}
	return StatusRow{}, cands
}

// Renewed updates the system's answers after a renewal for env: the
// package is remembered, and when the answers are those of env, the new
// certificate replaces the old one in them.
func (a *Answers) Renewed(e LedgerEntry, c *Certificate) {
	a.Record(Registration{Env: e.Env, SerialHex: e.SerialHex, SHA256: e.SHA256, Built: e.Built, Package: e.Package})
	if a.Env == e.Env {
		cc := *c
		a.Certificate = &cc
	}
}
