package ui

import (
	"bytes"
	"crypto/x509"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/emltest"
	"github.com/egovmd/egovsetup/internal/testpki"
	"github.com/egovmd/egovsetup/steps"
)

const renewPassword = "pâș wörd"

// renewalPFX writes a .pfx (password renewPassword) of a certificate valid
// from notBefore to notAfter into dir and returns its certificate and path.
func renewalPFX(t *testing.T, dir, name string, notBefore, notAfter time.Time) (*x509.Certificate, string) {
	t.Helper()
	tmpl := testpki.LeafTemplate("registrul.example.md", storeNow)
	tmpl.NotBefore, tmpl.NotAfter = notBefore, notAfter
	ch := testpki.STISC(storeNow, tmpl)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, ch.PFX(testpki.Encoders["Modern2023"], renewPassword), 0o600); err != nil {
		t.Fatal(err)
	}
	return ch.Leaf.Cert, path
}

// renewalFixture is a known system, "registrul", registered for test with
// MPass and MSign by a certificate that expires in 20 days; its package
// was written by the wizard (every step done).
type renewalFixture struct {
	store *export.Store
	dir   string
	old   *x509.Certificate
	// oldPFX is the old certificate's file.
	oldPFX string
	out    string
}

func newRenewalFixture(t *testing.T) *renewalFixture {
	t.Helper()
	f := &renewalFixture{store: newConfig(t), dir: t.TempDir(), out: t.TempDir()}
	a, err := export.LoadAnswers(filepath.Join("..", "examples", "answers-msign-mpass-test.json"))
	if err != nil {
		t.Fatal(err)
	}
	a.Lang = "" // the language is the one the wizard starts in
	f.old, f.oldPFX = renewalPFX(t, f.dir, "old.pfx", storeNow.AddDate(-2, 0, 20), storeNow.AddDate(0, 0, 20))
	a.Certificate = export.NewCertificate(&cert.Loaded{Leaf: f.old, Path: f.oldPFX})
	built := storeNow.AddDate(-1, 0, 0)
	if err := f.store.Record(a, "registrul", "/srv/packages/registrul-test", built); err != nil {
		t.Fatal(err)
	}
	a.Record(export.Registration{Env: "test", SerialHex: cert.SerialHex(f.old), SHA256: cert.Fingerprint(f.old), Built: built,
		Package: "/srv/packages/registrul-test"})
	if err := f.store.SaveSystem("registrul", a); err != nil {
		t.Fatal(err)
	}
	f.progress(t, "")
	return f
}

// progress saves the system's progress: every step done, in lang.
func (f *renewalFixture) progress(t *testing.T, lang string) {
	t.Helper()
	done := []string{"services", "organization", "names", "certificate", "network", "mpass", "connectivity", "review", "package"}
	if err := saveProgress(f.store.SystemPath("registrul"), &steps.Progress{Completed: done, Lang: lang}); err != nil {
		t.Fatal(err)
	}
}

// open starts the wizard on the store and opens the system: the restart
// screen offers the renewal due second, under the preselected choice.
func (f *renewalFixture) open(t *testing.T, lang string, w, h int) *storeTest {
	t.Helper()
	st := startStore(t, lang, w, h)
	st.m.c.OutDir = f.out
	st.choose(0)
	return st
}

// waitSees waits until the screen shows text.
func (st *storeTest) waitSees(text string) {
	st.t.Helper()
	if !st.d.WaitFor(func() bool { return strings.Contains(st.screen(), text) }, 20*time.Second) {
		st.t.Fatalf("the screen never shows %q:\n%s", text, st.screen())
	}
}

// seesFlat checks the screen shows each text, wherever its lines wrap.
func (st *storeTest) seesFlat(texts ...string) {
	st.t.Helper()
	flat := strings.Join(strings.Fields(st.screen()), " ")
	for _, text := range texts {
		if !strings.Contains(flat, text) {
			st.t.Errorf("screen does not show %q:\n%s", text, st.screen())
		}
	}
}

// loadNew types the certificate's path, then, when asked, the password.
func (st *storeTest) loadNew(path string) {
	st.t.Helper()
	st.waitSees("Certificate file")
	// The field holds the file loaded before, if any: it is replaced.
	st.d.Keys("ctrl+u", path, "enter")
	st.waitSees("Password for " + filepath.Base(path))
	st.d.Keys(renewPassword, "enter")
}

// A certificate expiring in 20 days: the restart screen offers its renewal
// under its preselected choice; the new .pfx is loaded as at the certificate step (a wrong
// password asked again), judged, and the renewal package is written,
// recorded and kept in the system's answers.
// One scenario checked step by step: its many checks are its branches.
func TestRenewalInsideTheWizard(t *testing.T) {
	f := newRenewalFixture(t)
	newLeaf, newPFX := renewalPFX(t, f.dir, "new.pfx", storeNow.AddDate(0, 0, -1), storeNow.AddDate(2, 0, -1))
	oldSerial, newSerial := cert.SerialHex(f.old), cert.SerialHex(newLeaf)
	st := f.open(t, "en", 100, 40)
	st.sees("The package was written. What next?", "Renew the certificate for test")
	if sc := st.screen(); strings.Index(sc, "Register Registrul") > strings.Index(sc, "Renew the certificate for test") ||
		strings.Index(sc, "Renew the certificate for test") > strings.Index(sc, "New system") {
		t.Errorf("the renewal due is not the second choice:\n%s", sc)
	}
	st.d.Keys("down", "enter")
	st.waitSees("Certificate file")
	st.sees("Renewing the test certificate of Registrul autorizațiilor de construcție", "It replaces serial number "+oldSerial)
	st.d.Keys(newPFX, "enter")
	st.waitSees("Password for new.pfx")
	st.d.Keys("wrong", "enter")
	st.waitSees("The password is incorrect")
	st.d.Keys(renewPassword, "enter")
	st.waitSees("Write the renewal package")
	st.sees(newSerial)
	if strings.Contains(st.screen(), renewPassword) {
		t.Errorf("the password is shown:\n%s", st.screen())
	}
	st.d.Keys("enter")
	st.waitSees("The renewal package is generated")
	st.seesFlat("Serial number "+oldSerial+" is replaced with "+newSerial, "To support.mpass@egov.md (MPass)", "To support.msign@egov.md (MSign)")

	emls, _ := filepath.Glob(filepath.Join(f.out, "*-test-renewal-2026-11-22", "email", "*.eml"))
	if len(emls) != 2 {
		t.Fatalf("e-mails written: %v", emls)
	}
	for _, path := range emls {
		wantRenewalEmail(t, path, oldSerial, newSerial, newLeaf.Raw)
	}
	l, err := f.store.Ledger()
	if err != nil {
		t.Fatal(err)
	}
	rows := l.Status(storeNow, 30)
	if len(rows) != 1 || rows[0].SystemID != "registrul" || rows[0].Env != "test" || rows[0].SerialHex != newSerial {
		t.Errorf("registrations in force after the renewal: %+v", rows)
	}
	if e := l.Entries[len(l.Entries)-1]; e.SerialHex != newSerial || e.Replaces != oldSerial || e.Env != "test" || e.SystemID != "registrul" {
		t.Errorf("the renewal's ledger entry: %+v", e)
	}
	a, err := f.store.LoadSystem("registrul")
	if err != nil || a.Certificate.SerialHex() != newSerial || a.Registered[len(a.Registered)-1].SerialHex != newSerial {
		t.Errorf("the system's answers after the renewal: %v %+v", err, a)
	}

	// Enter: the restart screen again, which no longer says a renewal is due.
	st.d.Keys("enter")
	st.waitSees("The package was written. What next?")
	if strings.Contains(st.screen(), "expires on 2026-12-12") {
		t.Errorf("the old certificate is still named as due:\n%s", st.screen())
	}
}

// wantRenewalEmail checks a renewal e-mail: multipart, both serials in its
// subject and text, the new .cer attached byte for byte.
func wantRenewalEmail(t *testing.T, path, oldSerial, newSerial string, cer []byte) {
	t.Helper()
	m := emltest.Read(t, path)
	if !strings.HasPrefix(m.ContentType, "multipart/") || len(m.Attachments) != 1 {
		t.Fatalf("%s: Content-Type %q, %d attachments", path, m.ContentType, len(m.Attachments))
	}
	subject, body, attached := m.Subject, m.Text, m.Attachments[0].Data
	for _, serial := range []string{oldSerial, newSerial} {
		if !strings.Contains(subject, serial) || !strings.Contains(body, serial) {
			t.Errorf("%s does not name %s: %s\n%s", path, serial, subject, body)
		}
	}
	if !bytes.Equal(attached, cer) {
		t.Errorf("%s: the attachment is not the new .cer (%d bytes)", path, len(attached))
	}
}

// The old certificate itself, an expired one, and the certificate the same
// system uses on production are refused, each with its reason; nothing is
// written, and esc goes back to the restart screen.
func TestRenewalRefusesUnfitCertificates(t *testing.T) {
	f := newRenewalFixture(t)
	_, expired := renewalPFX(t, f.dir, "expired.pfx", storeNow.AddDate(-2, 0, 0), storeNow.AddDate(0, 0, -3))
	prodLeaf, prodPFX := renewalPFX(t, f.dir, "prod.pfx", storeNow.AddDate(0, -1, 0), storeNow.AddDate(2, 0, 0))
	prodAnswers := export.NewAnswers()
	prodAnswers.System.Name, prodAnswers.Env, prodAnswers.Services = "Registrul autorizațiilor de construcție", "production", []string{"msign"}
	prodAnswers.Certificate = export.NewCertificate(&cert.Loaded{Leaf: prodLeaf})
	if err := f.store.Record(prodAnswers, "registrul", "/srv/packages/registrul-production", storeNow.AddDate(0, 0, -10)); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ file, why string }{
		{f.oldPFX, "is the one registered now"},
		{expired, "Expired on 2026-11-19."},
		{prodPFX, "is already registered for this system on the production environment"},
	}
	st := f.open(t, "en", 100, 40)
	st.d.Keys("down", "enter")
	for _, c := range cases {
		st.loadNew(c.file)
		st.waitSees("Load another certificate")
		st.seesFlat(c.why, "Back, write nothing")
		if strings.Contains(st.screen(), "Write the renewal package") {
			t.Errorf("%s: the refused certificate can be written:\n%s", c.file, st.screen())
		}
		// "Load another certificate" is preselected.
		st.d.Keys("enter")
	}
	if entries, _ := os.ReadDir(f.out); len(entries) != 0 {
		t.Errorf("something was written: %v", entries)
	}
	st.waitSees("Certificate file")
	st.d.Keys("esc")
	st.waitSees("The package was written. What next?")
	if l, _ := f.store.Ledger(); len(l.Entries) != 2 {
		t.Errorf("the ledger changed: %+v", l.Entries)
	}
	// Back on the restart screen every choice works again: the third,
	// "Change the answers", opens the review (production is not offered:
	// the ledger has the system's production registration).
	st.seesFlat("Change the answers")
	if strings.Contains(st.screen(), "for production") && !strings.Contains(st.screen(), "Renew the certificate for production") {
		t.Errorf("production offered although registered:\n%s", st.screen())
	}
	st.d.Keys("down", "down", "enter")
	st.d.WaitFor(func() bool { return st.m.resume == nil }, 5*time.Second)
	if st.m.resume != nil || st.m.cur.Info().Role != steps.ReviewRole {
		t.Errorf("after the renewal, the restart screen's choice went elsewhere:\n%s", st.screen())
	}
}

// The renewal screens fit 80x24 in every language: lines wrap, nothing runs
// off the screen.
func TestRenewalScreensAt80x24(t *testing.T) {
	f := newRenewalFixture(t)
	_, newPFX := renewalPFX(t, f.dir, "new.pfx", storeNow.AddDate(0, 0, -1), storeNow.AddDate(2, 0, -1))
	want := map[string][]string{
		"en": {"Renew the certificate for test", "Renewing the test certificate", "Write the renewal package", "The renewal package is generated"},
		"ro": {"Reînnoiți certificatul pentru mediul de test", "Reînnoirea certificatului sistemului", "Generați pachetul de reînnoire", "Pachetul de reînnoire a fost generat"},
		"ru": {"Продлить сертификат (среда: тестовая)", "Продление сертификата системы", "Создать пакет продления", "Пакет продления создан"},
	}
	for _, lang := range []string{"en", "ro", "ru"} {
		os.RemoveAll(f.out)
		os.MkdirAll(f.out, 0o700)
		f.progress(t, lang)
		st := f.open(t, lang, 80, 24)
		w := want[lang]
		st.sees(w[0])
		fits(t, lang, st.screen())
		st.d.Keys("down", "enter")
		st.waitSees(w[1])
		fits(t, lang, st.screen())
		st.d.Keys(newPFX, "enter")
		st.waitSees(assets.T(lang, "certstep.password", "File", "new.pfx"))
		st.d.Keys(renewPassword, "enter")
		st.waitSees(w[2])
		fits(t, lang, st.screen())
		st.d.Keys("enter")
		st.waitSees(w[3])
		fits(t, lang, st.screen())
		// Written once: the next language writes it again in a clean folder,
		// after the ledger forgets it.
		f.store.UpdateLedger(func(l *export.Ledger) error { l.Entries = l.Entries[:1]; return nil })
	}
}

// fits checks that screen fits a terminal of 80x24.
func fits(t *testing.T, lang, screen string) {
	t.Helper()
	for i, line := range strings.Split(screen, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("%s: line %d is %d wide:\n%s", lang, i, w, screen)
		}
	}
	if n := strings.Count(screen, "\n") + 1; n > 24 {
		t.Errorf("%s: %d lines on a 24-line terminal:\n%s", lang, n, screen)
	}
}

// byteReader hands out one byte at a time, as typed answers arrive, so no
// prompt reads ahead into the next one's answer.
type byteReader struct{ r io.Reader }

func (b *byteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return b.r.Read(p[:1])
}

// The line-by-line wizard offers the renewal on its restart question too:
// a refused certificate is explained, the new one written; then the
// question comes again and its other choices work.
func TestRenewalAccessible(t *testing.T) {
	f := newRenewalFixture(t)
	newLeaf, newPFX := renewalPFX(t, f.dir, "new.pfx", storeNow.AddDate(0, 0, -1), storeNow.AddDate(2, 0, -1))
	o := Options{Lang: "en", Data: assets.Embedded(), Now: func() time.Time { return storeNow }, Accessible: true, OutDir: f.out}
	c, _, first, _, err := prepare(o)
	if err != nil {
		t.Fatal(err)
	}
	// The system; the renewal; the old certificate, refused; another: the
	// new one, written; then "Change the answers" (the third choice, the
	// renewal no longer due last).
	in := strings.Join([]string{"1", "2", f.oldPFX, renewPassword, "y", newPFX, renewPassword, "y", "3"}, "\n") + "\n"
	var out strings.Builder
	start, err := askResume(t.Context(), c, &byteReader{strings.NewReader(in)}, &out, first)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if start == nil || start.Info().Role != steps.ReviewRole {
		t.Errorf("after the renewal the wizard starts at %v", start)
	}
	flat := strings.Join(strings.Fields(out.String()), " ")
	// The questions' descriptions are said too: where the systems are kept,
	// and which package was written and which certificate is due.
	for _, want := range []string{"Which system?", "The systems prepared on this machine", "The package was written. What next?",
		"renew it with the choice below", "Renew the certificate for test", "Renewing the test certificate of Registrul",
		"is the one registered now", "The renewal package is generated", "To support.msign@egov.md (MSign)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the dialogue lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), renewPassword) {
		t.Error("the password is echoed")
	}
	if a, err := f.store.LoadSystem("registrul"); err != nil || a.Certificate.SerialHex() != cert.SerialHex(newLeaf) {
		t.Errorf("the system's answers: %v %+v", err, a)
	}
}

// With two certificates in force on test (MPass and MSign on one, MPower on
// the other), the renewal asks which one the new certificate replaces.
func TestRenewalAsksWhichCertificateWhenSeveral(t *testing.T) {
	f := newRenewalFixture(t)
	other, _ := renewalPFX(t, f.dir, "mpower.pfx", storeNow.AddDate(-1, 0, 0), storeNow.AddDate(1, 0, 0))
	a := export.NewAnswers()
	a.System.Name, a.Env, a.Services = "Registrul autorizațiilor de construcție", "test", []string{"mpower"}
	a.Certificate = export.NewCertificate(&cert.Loaded{Leaf: other})
	if err := f.store.Record(a, "registrul", "/srv/packages/registrul-mpower", storeNow.AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	st := f.open(t, "en", 100, 40)
	st.d.Keys("down", "enter")
	st.waitSees("This system uses several certificates on the test environment")
	st.sees(cert.SerialHex(f.old), "MPass, MSign · expires on 2026-12-12", cert.SerialHex(other), "MPower · expires on 2027-11-22")
	if strings.Contains(st.screen(), "It replaces") {
		t.Errorf("the registration replaced is named before it is chosen:\n%s", st.screen())
	}
	st.d.Keys("down", "enter")
	st.waitSees("Certificate file")
	st.seesFlat("It replaces serial number " + cert.SerialHex(other) + " (MPower)")
	// Back from the file field: the choice again.
	st.d.Keys("shift+tab")
	st.waitSees("This system uses several certificates on the test environment")
}

// A system whose registration only the ledger records — its answers were
// kept before a package was built from a copy of them, and no step is
// marked done — opens on the restart question all the same, which offers
// the renewal due.
func TestRenewalOfferedForASystemOnlyTheLedgerRegisters(t *testing.T) {
	f := newRenewalFixture(t)
	a, err := f.store.LoadSystem("registrul")
	if err != nil {
		t.Fatal(err)
	}
	a.Registered = nil
	if err := f.store.SaveSystem("registrul", a); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(ProgressPath(f.store.SystemPath("registrul"))); err != nil {
		t.Fatal(err)
	}
	st := f.open(t, "en", 100, 40)
	st.waitSees("Renew the certificate for test")
}

// A ledger that cannot be read (edited by hand into broken JSON) hides no
// system: the list still offers each one, and says the expiry dates and
// renewals are not known.
func TestDamagedLedgerLeavesTheSystemsListed(t *testing.T) {
	f := newRenewalFixture(t)
	if err := os.WriteFile(f.store.LedgerPath(), []byte(`{"schema": 1, "entries": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	st := startStore(t, "en", 100, 40)
	st.seesFlat("Registrul autorizațiilor de construcție", "New system", "expiry dates and renewals are not shown")
}

// A registration whose environment the ledger names wrongly (edited by
// hand) is not offered for renewal: only test and production are.
func TestRenewalNotOfferedForAnUnknownEnvironment(t *testing.T) {
	f := newRenewalFixture(t)
	err := f.store.UpdateLedger(func(l *export.Ledger) error {
		e := l.Entries[0]
		e.Env, e.SerialHex, e.SHA256 = "staging\x1b[31m", "0BAD", ""
		l.Entries = append(l.Entries, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := f.open(t, "en", 100, 40)
	st.waitSees("Renew the certificate for test")
	if sc := st.screen(); strings.Contains(sc, "staging") {
		t.Errorf("the renewal of an unknown environment is offered:\n%s", sc)
	}
}
