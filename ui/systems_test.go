package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/drive"
	"github.com/egovmd/egovsetup/internal/testpki"
	"github.com/egovmd/egovsetup/steps"
)

var storeNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// storeTest is the wizard started as egovsetup starts it without
// --answers, on a config folder of the test's own.
type storeTest struct {
	shellTest
	store *export.Store
	sess  *session
	out   Outcome
}

// newConfig points the user's config folder at a new temporary folder and
// returns the store in it.
func newConfig(t *testing.T) *export.Store {
	t.Helper()
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", cfg)
	s, err := export.DefaultStore()
	if err != nil || !strings.HasPrefix(s.Dir, cfg) {
		t.Fatalf("store %v in %s: %v", s, cfg, err)
	}
	return s
}

// startStore starts the wizard on the config folder's store.
func startStore(t *testing.T, lang string, w, h int) *storeTest {
	t.Helper()
	o := Options{Lang: lang, Data: assets.Embedded(), Now: func() time.Time { return storeNow }}
	c, sess, first, out, err := prepare(o)
	if err != nil {
		t.Fatal(err)
	}
	c.Interfaces = func() []string { return nil }
	st := &storeTest{shellTest: shellTest{t: t, path: sess.path}, sess: sess, out: out}
	st.store, _ = export.DefaultStore()
	st.m = newModel(c, first, steps.WithRole(steps.First), 0, 0)
	st.m.notice = out.Notice
	st.d = drive.New(func(msg tea.Msg) tea.Cmd {
		next, cmd := st.m.Update(msg)
		st.m = next.(*model)
		return cmd
	}, func(msg tea.Msg) bool {
		if _, ok := msg.(tea.QuitMsg); ok {
			st.quit = true
			return true
		}
		return false
	})
	st.d.Send(tea.WindowSizeMsg{Width: w, Height: h})
	st.d.Run(st.m.Init())
	return st
}

// choose moves down n times on the first screen and presses enter, then
// waits for the choice to take effect.
func (st *storeTest) choose(n int) {
	st.t.Helper()
	was := st.m.resume
	for range n {
		st.d.Keys("down")
	}
	st.d.Keys("enter")
	st.d.WaitFor(func() bool { return st.m.resume != was }, 5*time.Second)
}

// system saves answers for a system in the store, with progress.
func system(t *testing.T, s *export.Store, id, name, env string, services []string, completed ...string) *export.Answers {
	t.Helper()
	a := export.NewAnswers()
	a.System.Name, a.Env, a.Services = name, env, services
	a.Organization.Name = "Organizația " + name
	if err := s.SaveSystem(id, a); err != nil {
		t.Fatal(err)
	}
	if len(completed) > 0 {
		if err := saveProgress(s.SystemPath(id), &steps.Progress{Completed: completed}); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// record puts a package of the system in the ledger.
func record(t *testing.T, s *export.Store, id, name, env string, services []string, serial string, days int) {
	t.Helper()
	err := s.UpdateLedger(func(l *export.Ledger) error {
		l.Add(export.LedgerEntry{SystemID: id, System: name, Env: env, Services: services, SerialHex: serial,
			SHA256: strings.Repeat(serial[:2], 32), NotBefore: storeNow.AddDate(-1, 0, 0),
			NotAfter: storeNow.AddDate(0, 0, days), Built: storeNow.AddDate(0, -2, 0), Package: "/tmp/" + id + "-" + env})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// threeSystems fills the store: one registered on test and production, one
// whose certificate expires in 20 days, one without a package yet.
func threeSystems(t *testing.T, s *export.Store) {
	t.Helper()
	system(t, s, "registrul-a", "Registrul A", "production", []string{"msign"}, "services", "organization")
	record(t, s, "registrul-a", "Registrul A", "test", []string{"msign"}, "AA01", 400)
	record(t, s, "registrul-a", "Registrul A", "production", []string{"msign"}, "AA02", 500)
	system(t, s, "portal-b", "Portal B", "test", []string{"mpass"}, "services", "organization", "names")
	record(t, s, "portal-b", "Portal B", "test", []string{"mpass"}, "BB01", 20)
	system(t, s, "serviciu-c", "Serviciu C", "test", []string{"mpower"})
}

func TestFirstScreenListsTheSystemsOfThisMachine(t *testing.T) {
	s := newConfig(t)
	threeSystems(t, s)
	st := startStore(t, "en", 100, 40)
	st.sees("Which system?",
		"Portal B", "test · MPass · certificate expires 2026-12-12, in 20 days",
		"Registrul A", "test, production · MSign · certificate valid until 2027-12-27",
		"Serviciu C", "test · MPower · no package yet",
		"New system")
	// Listed by name, the new system last.
	sc := st.screen()
	if !(strings.Index(sc, "Portal B") < strings.Index(sc, "Registrul A") &&
		strings.Index(sc, "Registrul A") < strings.Index(sc, "Serviciu C") && strings.Index(sc, "Serviciu C") < strings.Index(sc, "New system")) {
		t.Errorf("the list is out of order:\n%s", sc)
	}
	if strings.Contains(sc, ".progress") {
		t.Errorf("a progress file is listed as a system:\n%s", sc)
	}
}

func TestChoosingASystemResumesItsAnswers(t *testing.T) {
	s := newConfig(t)
	threeSystems(t, s)
	st := startStore(t, "en", 100, 40)
	st.choose(1) // Registrul A
	st.sees("Continue where you stopped?", "Answers for Registrul A are saved in")
	if flat := strings.Join(strings.Fields(st.screen()), ""); !strings.Contains(flat, filepath.Join("systems", "registrul-a.json")) {
		t.Errorf("the screen does not name the system's file:\n%s", st.screen())
	}
	st.d.Keys("enter")
	st.d.WaitFor(func() bool { return st.m.resume == nil }, 5*time.Second)
	st.sees("egovsetup · MSign · production", "Service names")
	if st.m.c.Answers.Organization.Name != "Organizația Registrul A" {
		t.Errorf("the answers of another system: %+v", st.m.c.Answers.Organization)
	}
	// What is done next is saved in that system's file, not elsewhere.
	st.m.c.Answers.Service.EN = "Register A"
	st.m.save()
	if a, err := s.LoadSystem("registrul-a"); err != nil || a.Service.EN != "Register A" {
		t.Errorf("the system's file: %+v %v", a, err)
	}
	// A system with no progress opens at the first step.
	st2 := startStore(t, "en", 100, 40)
	st2.choose(2) // Serviciu C
	st2.d.WaitFor(func() bool { return st2.m.resume == nil }, 5*time.Second)
	st2.sees("Which platforms will the system use?", "egovsetup · MPower · test")
}

func TestNewSystemStartsEmptyAndIsNamedAfterTheSystem(t *testing.T) {
	s := newConfig(t)
	threeSystems(t, s)
	st := startStore(t, "en", 100, 40)
	st.choose(3) // New system
	st.d.WaitFor(func() bool { return st.m.resume == nil }, 5*time.Second)
	st.sees("Which platforms will the system use?")
	if a := st.m.c.Answers; len(a.Services) != 0 || a.System.Name != "" || a.Organization.Name != "" {
		t.Fatalf("the new system's answers are not empty: %+v", a)
	}
	st.d.Keys("space", "enter", "enter")
	// Saved before it has a name under a provisional ID…
	if _, err := s.LoadSystem("system"); err != nil {
		t.Fatalf("the new system's answers were not saved: %v", err)
	}
	// …and under its name once it has one; the provisional file is gone.
	st.m.c.Answers.System.Name = "Registrul Nou"
	st.m.save()
	if a, err := s.LoadSystem("registrul-nou"); err != nil || a.System.Name != "Registrul Nou" || len(a.Services) != 1 {
		t.Errorf("registrul-nou.json: %+v %v", a, err)
	}
	for _, gone := range []string{s.SystemPath("system"), ProgressPath(s.SystemPath("system"))} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", gone, err)
		}
	}
	if !loadProgress(s.SystemPath("registrul-nou")).IsCompleted("services") {
		t.Error("the progress did not move with the answers")
	}
	// The other systems are untouched: four now.
	list, _ := s.Systems(storeNow, 30)
	if len(list) != 4 {
		t.Errorf("%d systems, want 4: %+v", len(list), list)
	}
}

// With no system yet, the wizard starts a new one at once.
func TestNoSystemsStartsANewOne(t *testing.T) {
	newConfig(t)
	st := startStore(t, "en", 100, 40)
	if st.m.resume != nil {
		t.Fatalf("a first screen on an empty machine:\n%s", st.screen())
	}
	st.sees("Which platforms will the system use?")
}

func TestSingleAnswersFileIsMigratedToOneSystem(t *testing.T) {
	s := newConfig(t)
	old := export.NewAnswers()
	old.System.Name = "Sistemul Vechi"
	old.Services = []string{"msign"}
	old.Organization.Name = "Primăria Veche"
	leaf := testpki.STISC(storeNow, nil).Leaf.Cert
	old.Certificate = export.NewCertificate(&cert.Loaded{Leaf: leaf})
	old.Registered = []export.Registration{{Env: "test", SerialHex: cert.SerialHex(leaf), SHA256: cert.Fingerprint(leaf), Built: storeNow.AddDate(0, -1, 0), Package: "/tmp/old-pkg"}}
	until := "certificate valid until " + leaf.NotAfter.Local().Format("2006-01-02")
	oldPath := filepath.Join(s.Dir, "answers.json")
	if err := export.SaveAnswers(oldPath, old); err != nil {
		t.Fatal(err)
	}
	saveProgress(oldPath, &steps.Progress{Completed: []string{"services", "organization"}})
	before, _ := os.ReadFile(oldPath)

	st := startStore(t, "en", 100, 40)
	st.sees("are now the", "Sistemul Vechi", "test · MSign · "+until)
	st.choose(0)
	st.sees("The package was written. What next?")
	if a := st.m.c.Answers; a.Organization.Name != "Primăria Veche" || len(a.Registered) != 1 {
		t.Errorf("migrated answers lost something: %+v", a)
	}
	// The old file is left as it was; a second start migrates nothing again.
	if after, _ := os.ReadFile(oldPath); string(after) != string(before) {
		t.Error("the old answers file was changed")
	}
	again := startStore(t, "en", 100, 40)
	if again.out.Notice != "" {
		t.Errorf("migrated twice: %q", again.out.Notice)
	}
	if list, _ := s.Systems(storeNow, 30); len(list) != 1 {
		t.Errorf("%d systems after two starts, want 1", len(list))
	}
}

// Once the package is written, starting again says so and offers the
// production registration of the same system or a new system; the step
// already done is not offered twice under two names.
func TestRestartAfterThePackageOffersProductionOrANewSystem(t *testing.T) {
	s := newConfig(t)
	done := []string{"services", "organization", "names", "certificate", "network", "connectivity", "review", "package"}
	a := system(t, s, "portal-b", "Portal B", "test", []string{"msign"}, done...)
	a.Certificate = export.SerialCertificate("BB01")
	a.Registered = []export.Registration{{Env: "test", SerialHex: "BB01", Built: storeNow.AddDate(0, 0, -3), Package: "/work/out/portal-b-test"}}
	s.SaveSystem("portal-b", a)
	record(t, s, "portal-b", "Portal B", "test", []string{"msign"}, "BB01", 12)
	for _, lang := range []string{"en", "ro", "ru"} {
		restartScreenAt80x24(t, lang)
	}
	// Production: the same system, the environment changed, the test
	// certificate dropped; the first step confirms the tests.
	st := startStore(t, "en", 100, 40)
	st.choose(0)
	st.choose(0)
	st.d.WaitFor(func() bool { return st.m.resume == nil }, 5*time.Second)
	c := st.m.c
	if c.Answers.Env != "production" || c.Answers.Certificate != nil || c.Answers.Organization.Name != "Organizația Portal B" {
		t.Errorf("production answers: env %q cert %v org %q", c.Answers.Env, c.Answers.Certificate, c.Answers.Organization.Name)
	}
	if c.Progress.IsCompleted("certificate") || c.Progress.IsCompleted("package") || !c.Progress.IsCompleted("organization") {
		t.Errorf("progress for production: %v", c.Progress.Completed)
	}
	st.sees("egovsetup · MSign · production", "Step 1 of 8: Services")
	if st.sess.id != "portal-b" {
		t.Errorf("production went to system %q", st.sess.id)
	}

	// A new system (after the renewal of the certificate expiring in 12
	// days): empty answers in a new file; Portal B is kept.
	st = startStore(t, "en", 100, 40)
	st.choose(0)
	st.choose(2)
	st.d.WaitFor(func() bool { return st.m.resume == nil }, 5*time.Second)
	if st.m.c.Answers.System.Name != "" || st.sess.id == "portal-b" {
		t.Errorf("new system: %q in %s", st.m.c.Answers.System.Name, st.sess.id)
	}
	if b, err := s.LoadSystem("portal-b"); err != nil || len(b.Registered) != 1 {
		t.Errorf("Portal B after a new system: %+v %v", b, err)
	}
}

// restartScreenAt80x24 checks the restart screen of Portal B, whose test
// package was written, in lang on a terminal of 80x24.
func restartScreenAt80x24(t *testing.T, lang string) {
	t.Helper()
	st := startStore(t, lang, 80, 24)
	st.choose(0)
	sc := st.screen()
	want := map[string][]string{
		"en": {"The package was written. What next?", "The test package for Portal B was written on 2026-11-19",
			"Renew the certificate for test", "Register Portal B for production", "New system", "Change the answers and write the test package again",
			"The test certificate BB01 expires on 2026-12-04"},
		"ro": {"Pachetul a fost generat. Ce urmează?", "Reînnoiți certificatul pentru mediul de test", "Înregistrați Portal B pentru producție", "Sistem nou",
			"Certificatul BB01 pentru mediul de test expiră la 2026-12-04"},
		"ru": {"Пакет создан. Что дальше?", "Продлить сертификат (среда: тестовая)", "Зарегистрировать «Portal B» в рабочей среде", "Новая система",
			"Сертификат BB01 (среда: тестовая) истекает 2026-12-04"},
	}[lang]
	st.sees(want...)
	if flat := strings.Join(strings.Fields(strings.ReplaceAll(sc, "┃", "")), " "); !strings.Contains(flat, map[string]string{
		"en": "renew it with the choice below", "ro": "reînnoiți-l cu alegerea de mai jos", "ru": "продлите его, выбрав вариант ниже"}[lang]) {
		t.Errorf("%s: the renewal due does not point at its choice:\n%s", lang, sc)
	}
	for _, dup := range []string{"Resume at", "Review all answers", "Continuați de la", "Продолжить с шага"} {
		if strings.Contains(sc, dup) {
			t.Errorf("%s: the restart screen offers %q:\n%s", lang, dup, sc)
		}
	}
	for i, line := range strings.Split(sc, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Errorf("%s: line %d is %d wide:\n%s", lang, i, w, sc)
		}
	}
	if n := strings.Count(sc, "\n") + 1; n > 24 {
		t.Errorf("%s: %d lines on a 24-line terminal", lang, n)
	}
}

// The systems list shows names from the answers files made safe.
func TestSystemsListEscapesNames(t *testing.T) {
	s := newConfig(t)
	system(t, s, "evil", "Evil\x1b[2J\u202eName", "test", []string{"msign"})
	st := startStore(t, "en", 100, 40)
	raw := st.m.View().Content
	if strings.Contains(raw, "\x1b[2J") || strings.Contains(raw, "\u202e") {
		t.Errorf("the name reaches the terminal raw: %q", raw)
	}
	st.sees(`Evil\x1b[2J`)
}

// A system registered for production in the ledger — its answers kept by
// egovsetup build from the test package's file, say — is not offered the
// production registration again.
func TestRestartOffersNoProductionWhenTheLedgerHasIt(t *testing.T) {
	s := newConfig(t)
	a := system(t, s, "portal-b", "Portal B", "test", []string{"mpass"})
	a.Registered = []export.Registration{{Env: "test", SerialHex: "BB01", Built: storeNow.AddDate(0, 0, -3), Package: "/work/out/portal-b-test"}}
	s.SaveSystem("portal-b", a)
	record(t, s, "portal-b", "Portal B", "test", []string{"mpass"}, "BB01", 300)
	st := startStore(t, "en", 100, 40)
	st.choose(0)
	st.sees("The package was written. What next?", "Renew the certificate for test", "Register Portal B for production")
	record(t, s, "portal-b", "Portal B", "production", []string{"mpass"}, "BB02", 500)
	st = startStore(t, "en", 100, 40)
	st.choose(0)
	st.sees("Renew the certificate for production")
	if strings.Contains(st.screen(), "Register Portal B for production") {
		t.Errorf("production is offered although the ledger has it:\n%s", st.screen())
	}
}
