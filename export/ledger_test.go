package export

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/emltest"
	"github.com/egovmd/egovsetup/internal/testpki"
)

var ledgerNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func entry(system, env, serial string, notAfter time.Time, built time.Time, services ...string) LedgerEntry {
	return LedgerEntry{SystemID: Slug(system), System: system, Env: env, Services: services, SerialHex: serial,
		SHA256: "SHA-" + serial, NotAfter: notAfter, Built: built}
}

// The days left and the levels at 120, 29 and -1 days, and the worst of them.
func TestStatusLevels(t *testing.T) {
	l := &Ledger{Entries: []LedgerEntry{
		entry("Alfa", "test", "0A", ledgerNow.AddDate(0, 0, 120), ledgerNow.AddDate(0, -1, 0), "mpass"),
		entry("Beta", "test", "0B", ledgerNow.AddDate(0, 0, 29), ledgerNow.AddDate(0, -1, 0), "msign"),
		entry("Gama", "production", "0C", ledgerNow.AddDate(0, 0, -1), ledgerNow.AddDate(0, -1, 0), "mpower"),
	}}
	rows := l.Status(ledgerNow, 30)
	want := []struct {
		system string
		days   int
		level  string
	}{{"Alfa", 120, LevelOK}, {"Beta", 29, LevelSoon}, {"Gama", -1, LevelExpired}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		if rows[i].System != w.system || rows[i].DaysLeft != w.days || rows[i].Level != w.level {
			t.Errorf("row %d = %s %d %s, want %s %d %s", i, rows[i].System, rows[i].DaysLeft, rows[i].Level, w.system, w.days, w.level)
		}
	}
	if got := Worst(rows[:1]); got != LevelOK {
		t.Errorf("worst of 120 days = %s", got)
	}
	if got := Worst(rows[:2]); got != LevelSoon {
		t.Errorf("worst of 120 and 29 days = %s", got)
	}
	if got := Worst(rows); got != LevelExpired {
		t.Errorf("worst with an expired one = %s", got)
	}
	// A longer window turns 120 days into "soon".
	if rows := l.Status(ledgerNow, 120); rows[0].Level != LevelSoon {
		t.Errorf("120 days within 120: %s", rows[0].Level)
	}
}

// The newest package naming a platform takes it over: a renewal replaces
// the old certificate's row; a platform added later with another
// certificate gets a row of its own.
func TestStatusNewestPackageWins(t *testing.T) {
	t0 := ledgerNow.AddDate(-2, 0, 0)
	old := entry("Alfa", "test", "01", ledgerNow.AddDate(0, 0, 10), t0, "mpass", "msign")
	renewal := entry("Alfa", "test", "02", ledgerNow.AddDate(2, 0, 0), ledgerNow, "mpass", "msign")
	renewal.Replaces = "01"
	prod := entry("Alfa", "production", "03", ledgerNow.AddDate(1, 0, 0), t0, "mpass")

	rows := (&Ledger{Entries: []LedgerEntry{old, prod, renewal}}).Status(ledgerNow, 30)
	if len(rows) != 2 || rows[0].SerialHex != "02" || rows[0].Env != "test" || rows[1].SerialHex != "03" {
		t.Fatalf("after the renewal: %+v", rows)
	}
	if strings.Join(rows[0].Services, ",") != "mpass,msign" {
		t.Errorf("services %v", rows[0].Services)
	}

	// MSign added later with another certificate: MPass keeps the first.
	msign := entry("Alfa", "test", "04", ledgerNow.AddDate(1, 0, 0), ledgerNow, "msign")
	rows = (&Ledger{Entries: []LedgerEntry{old, msign}}).Status(ledgerNow, 30)
	if len(rows) != 2 || rows[0].SerialHex != "01" || strings.Join(rows[0].Services, ",") != "mpass" ||
		rows[1].SerialHex != "04" || strings.Join(rows[1].Services, ",") != "msign" {
		t.Errorf("two certificates in one environment: %+v", rows)
	}
}

// A platform added later by naming the certificate AGE already has (an
// entry with its serial alone, no fingerprint, no expiry) joins the row of
// that certificate: one row, both platforms, the expiry known, and one
// registration for a renewal to replace.
func TestStatusSerialOnlyEntryJoinsItsCertificate(t *testing.T) {
	t0 := ledgerNow.AddDate(-1, 0, 0)
	full := entry("Alfa", "test", "0A1B", ledgerNow.AddDate(0, 0, 10), t0, "mpass")
	named := entry("Alfa", "test", "0a1b", time.Time{}, t0.AddDate(0, 1, 0), "msign")
	named.SHA256 = ""
	rows := (&Ledger{Entries: []LedgerEntry{full, named}}).Status(ledgerNow, 30)
	if len(rows) != 1 || strings.Join(rows[0].Services, ",") != "mpass,msign" || !rows[0].NotAfter.Equal(full.NotAfter) {
		t.Fatalf("rows %+v", rows)
	}
	if _, cands := RenewalTarget(rows, "alfa", "test", "0A1B"); len(cands) != 1 {
		t.Errorf("a renewal of 0A1B has %d candidates", len(cands))
	}
}

// Three systems on two environments: one row each, by system then test
// before production.
func TestStatusThreeSystemsTwoEnvironments(t *testing.T) {
	var l Ledger
	for i, sys := range []string{"Gama", "Alfa", "Beta"} {
		for j, env := range []string{"production", "test"} {
			l.Add(entry(sys, env, fmt.Sprintf("%02X", i*2+j+1), ledgerNow.AddDate(0, 0, 100+i*10+j), ledgerNow, "mpass"))
		}
	}
	var got []string
	for _, r := range l.Status(ledgerNow, 30) {
		got = append(got, r.System+"/"+r.Env)
	}
	want := "Alfa/test Alfa/production Beta/test Beta/production Gama/test Gama/production"
	if strings.Join(got, " ") != want {
		t.Errorf("rows %v, want %s", got, want)
	}
}

// AGE's rule: one certificate per system and environment, reused by its
// platforms; never the same for test and production or for two systems.
func TestCheckCertificate(t *testing.T) {
	l := &Ledger{Entries: []LedgerEntry{entry("Alfa", "test", "01", ledgerNow, ledgerNow, "mpass")}}
	if u := l.CheckCertificate("alfa", "test", "01", "SHA-01"); !u.Registered || u.Conflict != nil {
		t.Errorf("same system and environment: %+v", u)
	}
	u := l.CheckCertificate("alfa", "production", "01", "SHA-01")
	var p *checks.Problem
	if err := u.ConflictError("alfa"); !errors.As(err, &p) || p.Text.Key != "ledger.other_env" {
		t.Errorf("production with the test certificate: %v", err)
	}
	if err := l.CheckCertificate("beta", "test", "01", "SHA-01").ConflictError("beta"); !errors.As(err, &p) || p.Text.Key != "ledger.other_system" {
		t.Errorf("another system: %v", err)
	}
	if u := l.CheckCertificate("alfa", "production", "09", "SHA-09"); u.Registered || u.Conflict != nil {
		t.Errorf("a new certificate: %+v", u)
	}
}

// Two writers at once both keep their entries, and the file stays 0600.
func TestUpdateLedgerConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "egovsetup", "ledger.json")
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			err := UpdateLedger(path, func(l *Ledger) error {
				l.Add(entry("Alfa", "test", fmt.Sprintf("%02X", i), ledgerNow, ledgerNow, "mpass"))
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	l, err := LoadLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 16 {
		t.Errorf("%d entries, want 16", len(l.Entries))
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v (%v)", fi.Mode(), err)
	}
}

// A damaged ledger is refused with its name and left as it is.
func TestDamagedLedgerIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.json")
	os.WriteFile(path, []byte(`{"schema": 1, "entries": [`), 0o600)
	err := UpdateLedger(path, func(l *Ledger) error { return nil })
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != `{"schema": 1, "entries": [` {
		t.Errorf("the damaged ledger was changed: %q", b)
	}
}

// The single answers file of earlier versions becomes the system's file,
// byte for byte; its packages go to the ledger; the old file stays; the
// same content is not migrated twice; a changed one is, to a new file.
// One scenario checked step by step: its many checks are its branches.
func TestMigrateOldAnswers(t *testing.T) {
	s := &Store{Dir: filepath.Join(t.TempDir(), "egovsetup")}
	a := exampleAnswers(t)
	leaf := goldenLeaf(t)
	a.Certificate = NewCertificate(&cert.Loaded{Leaf: leaf})
	a.Registered = []Registration{{Env: "test", SerialHex: cert.SerialHex(leaf), SHA256: cert.Fingerprint(leaf), Built: buildNow, Package: "/pkg/one"}}
	if err := SaveAnswers(filepath.Join(s.Dir, "answers.json"), a); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(filepath.Join(s.Dir, "answers.json"))

	m, err := s.Migrate()
	if err != nil || m == nil {
		t.Fatalf("Migrate: %v %v", m, err)
	}
	id := Slug(a.System.Name)
	if m.To != s.SystemPath(id) || m.Recorded != 1 {
		t.Errorf("migration %+v", m)
	}
	if b, err := os.ReadFile(m.To); err != nil || !bytes.Equal(b, old) {
		t.Errorf("the system's file is not the old answers byte for byte (%v)", err)
	}
	if b, err := os.ReadFile(m.From); err != nil || !bytes.Equal(b, old) {
		t.Errorf("the old file was changed or removed (%v)", err)
	}
	l, _ := s.Ledger()
	rows := l.Status(buildNow, 30)
	if len(rows) != 1 || rows[0].SystemID != id || rows[0].SerialHex != cert.SerialHex(leaf) || !rows[0].NotAfter.Equal(leaf.NotAfter) ||
		strings.Join(rows[0].Services, ",") != strings.Join(a.Services, ",") {
		t.Errorf("ledger after migration: %+v", rows)
	}
	if m, err := s.Migrate(); m != nil || err != nil {
		t.Errorf("second Migrate: %+v %v", m, err)
	}
	systems, err := s.Systems(buildNow, 30)
	if err != nil || len(systems) != 1 || systems[0].Name != a.System.Name || !systems[0].Expires.Equal(leaf.NotAfter) {
		t.Errorf("Systems: %+v %v", systems, err)
	}

	// An older egovsetup wrote the old file again: migrated to a new file.
	a.Organization.ContactPhone = "+373 22 000 000"
	SaveAnswers(filepath.Join(s.Dir, "answers.json"), a)
	m, err = s.Migrate()
	if err != nil || m == nil || m.To != s.SystemPath(id+"-2") || m.Recorded != 0 {
		t.Errorf("changed old file: %+v %v", m, err)
	}
	if got, _ := s.LoadSystem(id); got == nil || got.Organization.ContactPhone == a.Organization.ContactPhone {
		t.Errorf("the first system's answers were overwritten")
	}
}

// No old answers file: nothing to do.
func TestMigrateNothing(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	if m, err := s.Migrate(); m != nil || err != nil {
		t.Errorf("%+v %v", m, err)
	}
}

// The .ics parses with an iCalendar parser: two events 60 and 30 days before
// expiry, each with an alarm, naming system, environment, serial and the
// renewal command; TEXT escaping and folding round-trip a hostile name.
// One scenario checked step by step: its many checks are its branches.
func TestRemindersParse(t *testing.T) {
	notAfter := time.Date(2028, 10, 22, 12, 0, 0, 0, time.UTC)
	name := "Registrul; autorizațiilor, \\ de construcție \u202e x\nBcc: y"
	r := Reminder{SystemID: "registrul", System: name, Env: "production", SerialHex: "0123ABCD", NotAfter: notAfter, Now: buildNow}
	b := r.ICS()
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(line) > 75 || strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d is %d octets or holds a bare line break: %q", i+1, len(line), line)
		}
	}
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := cal.Props.Text(ical.PropVersion); v != "2.0" {
		t.Errorf("VERSION %q", v)
	}
	if p, _ := cal.Props.Text(ical.PropProductID); p == "" {
		t.Error("no PRODID")
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events", len(events))
	}
	uids := map[string]bool{}
	for i, ev := range events {
		start, err := ev.DateTimeStart(time.UTC)
		if want := notAfter.AddDate(0, 0, -ReminderDays[i]).Truncate(24 * time.Hour); err != nil || !start.Equal(want) {
			t.Errorf("event %d starts %v (%v), want %v", i, start, err, want)
		}
		uid, _ := ev.Props.Text(ical.PropUID)
		uids[uid] = true
		if st, err := ev.Props.DateTime(ical.PropDateTimeStamp, time.UTC); err != nil || !st.Equal(buildNow) {
			t.Errorf("DTSTAMP %v %v", st, err)
		}
		summary, _ := ev.Props.Text(ical.PropSummary)
		desc, err := ev.Props.Text(ical.PropDescription)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Registrul; autorizațiilor, \\ de construcție \\u202e x\\x0aBcc: y", "0123ABCD", "producție",
			"production", "2028-10-22", "egovsetup renew --system registrul --env production NEW.pfx"} {
			if !strings.Contains(desc, want) {
				t.Errorf("event %d: DESCRIPTION lacks %q:\n%s", i, want, desc)
			}
		}
		if !strings.Contains(summary, fmt.Sprintf("%d", ReminderDays[i])) || !strings.Contains(summary, "Registrul; autorizațiilor,") {
			t.Errorf("SUMMARY %q", summary)
		}
		alarms := ev.Children
		if len(alarms) != 1 || alarms[0].Name != ical.CompAlarm || alarms[0].Props.Get(ical.PropTrigger) == nil {
			t.Errorf("event %d: alarms %+v", i, alarms)
		}
	}
	if len(uids) != 2 {
		t.Errorf("UIDs not unique: %v", uids)
	}
}

// renewalFixture is a system registered on test for MPass and MSign with
// one certificate, and a new certificate to replace it.
func renewalFixture(t *testing.T) (*Answers, StatusRow, *x509.Certificate) {
	t.Helper()
	a := exampleAnswers(t)
	oldLeaf := goldenLeaf(t)
	tmpl := testpki.LeafTemplate("system.example.md", buildNow)
	tmpl.SerialNumber = big.NewInt(0x7e57_0002) // never the golden certificate's
	newLeaf := testpki.STISC(buildNow, tmpl).Leaf.Cert
	old := StatusRow{SystemID: "registrul", System: a.System.Name, Env: "test", Services: []string{"mpass", "msign"},
		SerialHex: cert.SerialHex(oldLeaf), SHA256: cert.Fingerprint(oldLeaf), NotAfter: oldLeaf.NotAfter}
	return a, old, newLeaf
}

// A renewal package parsed back: one e-mail per platform that used the old
// certificate, each naming both serials, with the new .cer attached; the
// sheet and the reminders give the new serial; SHA256SUMS holds.
// One scenario checked step by step: its many checks are its branches.
func TestRenewalPackageParsesBack(t *testing.T) {
	a, old, leaf := renewalFixture(t)
	newSerial := cert.SerialHex(leaf)
	res, e, err := Renew(t.TempDir(), RenewInput{Answers: a, SystemID: "registrul", Old: old, Leaf: leaf, Now: buildNow}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(res.Dir) != RenewalName(a, "test", buildNow) || e.Replaces != old.SerialHex || e.SerialHex != newSerial ||
		strings.Join(e.Services, ",") != "mpass,msign" || e.Package != res.Dir {
		t.Errorf("result %s, entry %+v", res.Dir, e)
	}
	if len(res.Emails) != 2 || res.Emails[0].To != "support.mpass@egov.md" || res.Emails[1].To != "support.msign@egov.md" {
		t.Fatalf("e-mails %+v", res.Emails)
	}
	for _, em := range res.Emails {
		wantRenewalEmail(t, em.File, a, old, leaf)
	}
	oldExpires := old.NotAfter.Format("2006-01-02")
	sheet, _ := os.ReadFile(filepath.Join(res.Dir, SheetFile))
	ics, _ := os.ReadFile(filepath.Join(res.Dir, RemindersFile))
	unfolded := strings.ReplaceAll(string(ics), "\r\n ", "")
	if !strings.Contains(string(sheet), newSerial) || strings.Contains(string(sheet), old.SerialHex) || !strings.Contains(unfolded, newSerial) {
		t.Errorf("the sheet or the reminders do not give the new serial alone")
	}
	if cer, err := os.ReadFile(filepath.Join(res.Dir, "certificate", Slug(a.System.Name)+".cer")); err != nil || !bytes.Equal(cer, leaf.Raw) {
		t.Errorf("certificate file: %v", err)
	}
	readme, _ := os.ReadFile(filepath.Join(res.Dir, "README.txt"))
	for _, want := range []string{"Numărul de serie " + old.SerialHex + " (expiră la " + oldExpires + ") se înlocuiește cu " + newSerial,
		"email/01-support.mpass@egov.md.eml — mpass", "email/02-support.msign@egov.md.eml — msign", "egovsetup status --sent registrul/test"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.txt lacks %q:\n%s", want, readme)
		}
	}
	verifySums(t, res.Dir)
}

// wantRenewalEmail checks a renewal e-mail: both serials in its subject,
// the old one's expiry, the new one and the attachment's name in its text,
// and the new .cer attached in base64, byte for byte.
func wantRenewalEmail(t *testing.T, file string, a *Answers, old StatusRow, leaf *x509.Certificate) {
	t.Helper()
	newSerial := cert.SerialHex(leaf)
	oldExpires := old.NotAfter.Format("2006-01-02")
	m := emltest.Read(t, file)
	if len(m.Attachments) != 1 || m.Attachments[0].Encoding != "base64" {
		t.Fatalf("%s: attachments %d, want one in base64", file, len(m.Attachments))
	}
	subject, body, attached, name := m.Subject, m.Text, m.Attachments[0].Data, m.Attachments[0].FileName
	if !strings.Contains(subject, old.SerialHex) || !strings.Contains(subject, newSerial) {
		t.Errorf("%s: subject %q lacks a serial", file, subject)
	}
	for _, want := range []string{"numărul de serie " + old.SerialHex + " (hexazecimal), expiră la " + oldExpires,
		"certificatul nou: numărul de serie " + newSerial, "serial " + old.SerialHex + " (hexadecimal), expires on " + oldExpires,
		"fișierul " + name + " atașat", a.Organization.Name} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: body lacks %q", filepath.Base(file), want)
		}
	}
	if !bytes.Equal(attached, leaf.Raw) {
		t.Errorf("%s: the attachment is not the new .cer", file)
	}
}

// A new certificate AGE already has for the system and environment is
// named by its serial: no attachment, no .cer.
func TestRenewalSerialOnly(t *testing.T) {
	a, old, leaf := renewalFixture(t)
	res, _, err := Renew(t.TempDir(), RenewInput{Answers: a, SystemID: "registrul", Old: old, Leaf: leaf, Registered: true, Now: buildNow}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, em := range res.Emails {
		m := emltest.Read(t, em.File)
		if len(m.Attachments) != 0 || len(em.Attachments) != 0 || !strings.Contains(m.Text, "numărul de serie (hexazecimal): "+cert.SerialHex(leaf)) ||
			!strings.Contains(m.Text, "deja înregistrat") {
			t.Errorf("%s: %d attachments, body:\n%s", em.File, len(m.Attachments), m.Text)
		}
	}
	for _, f := range res.Files {
		if strings.HasSuffix(f, ".cer") {
			t.Errorf("the package holds %s", f)
		}
	}
}

// verifySums checks every line of SHA256SUMS against the files.
func verifySums(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sum, name, _ := strings.Cut(line, "  ")
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || fmt.Sprintf("%x", sha256.Sum256(data)) != sum {
			t.Errorf("SHA256SUMS: %s does not match (%v)", name, err)
		}
	}
}

// BenchmarkStatus: the status of a ledger of 10,000 packages (50 years of
// 100 systems renewing every two years on two environments, built often).
func BenchmarkStatus(b *testing.B) {
	var l Ledger
	for i := range 10000 {
		sys := fmt.Sprintf("System %d", i%100)
		env := []string{"test", "production"}[(i/100)%2]
		l.Entries = append(l.Entries, entry(sys, env, fmt.Sprintf("%04X", i), ledgerNow.AddDate(0, 0, i%800-100),
			ledgerNow.Add(time.Duration(i)*time.Hour), "mpass", "msign"))
	}
	b.ReportAllocs()
	for b.Loop() {
		if rows := l.Status(ledgerNow, 30); len(rows) != 200 {
			b.Fatalf("%d rows", len(rows))
		}
	}
}

// A registration whose environment was edited by hand in the ledger
// ("../../x", an escape sequence) is no environment AGE has: its renewal is
// refused with the answers' own message, and nothing is written, inside
// the output folder or beside it.
func TestRenewalRefusesAnUnknownEnvironment(t *testing.T) {
	a, old, leaf := renewalFixture(t)
	for _, env := range []string{"../../x", "/../../x", "test\x1b[31m", ""} {
		root := t.TempDir()
		out := filepath.Join(root, "a", "b", "out")
		os.MkdirAll(out, 0o700)
		old.Env = env
		_, _, err := Renew(out, RenewInput{Answers: a, SystemID: "registrul", Old: old, Leaf: leaf, Now: buildNow}, Options{})
		var p *checks.Problem
		if !errors.As(err, &p) || p.Text.Key != "answers.unknown_env" {
			t.Errorf("env %q: %v", env, err)
		} else if msg := checks.Localize(err, "en"); len(testpki.RawControls([]byte(msg))) > 0 {
			t.Errorf("env %q: the message holds raw controls: %q", env, msg)
		}
		filepath.WalkDir(root, func(path string, d fs.DirEntry, _ error) error {
			if path != root && !strings.HasPrefix(out, path) {
				t.Errorf("env %q: %s written", env, path)
			}
			return nil
		})
	}
}
