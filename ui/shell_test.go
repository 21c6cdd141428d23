package ui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/drive"
	"github.com/egovmd/egovsetup/steps"
)

type shellTest struct {
	t    *testing.T
	m    *model
	d    *drive.Driver
	path string
	quit bool
}

// newShellTest starts the shell on answers a; steps listed in a.Completed
// (the field older versions kept progress in) start as done.
func newShellTest(t *testing.T, a *export.Answers, resume bool) *shellTest {
	t.Helper()
	p := &steps.Progress{Lang: a.Lang, Completed: a.Completed}
	a.Completed, a.Lang = nil, ""
	return newShellTestWith(t, a, p, resume)
}

func newShellTestWith(t *testing.T, a *export.Answers, p *steps.Progress, resume bool) *shellTest {
	t.Helper()
	path := filepath.Join(t.TempDir(), "egovsetup", "answers.json")
	c := &steps.Context{
		Answers:    a,
		Progress:   p,
		Data:       assets.Embedded(),
		Lang:       "en",
		Now:        func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) },
		Interfaces: func() []string { return nil },
	}
	c.Save = func() error { return saveAll(path, a, p) }
	var r *resumeScreen
	if resume {
		r = newResumeScreen(c, &session{path: path})
	}
	st := &shellTest{t: t, path: path}
	st.m = newModel(c, r, steps.WithRole(steps.First), 0, 0)
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
	st.d.Send(tea.WindowSizeMsg{Width: 100, Height: 40})
	st.d.Run(st.m.Init())
	return st
}

func (st *shellTest) screen() string { return ansi.Strip(st.m.View().Content) }

func (st *shellTest) sees(texts ...string) {
	st.t.Helper()
	s := st.screen()
	for _, text := range texts {
		if !strings.Contains(s, text) {
			st.t.Errorf("screen does not show %q:\n%s", text, s)
		}
	}
}

func TestShellWalksOnlyTheStepsTheServicesNeed(t *testing.T) {
	st := newShellTest(t, export.NewAnswers(), false)
	st.sees("egovsetup", "●  Step 1: Services  next: Organization", "Which platforms will the system use?")
	// MPower only: no MPass step; the network step stays (MPower needs IPs).
	st.d.Keys("down", "down", "space", "enter", "enter")
	st.sees("egovsetup · MPower · test", "✓●○○○○○○○  Step 2 of 9: Organization", "next: Service names, Certificate, Network, MPower, Con")
	for _, line := range strings.Split(st.screen(), "\n") {
		if strings.Contains(line, "next:") && strings.Contains(line, "MPass") {
			t.Errorf("the MPass step is listed for MPower only:\n%s", st.screen())
		}
	}
	// The answers were saved when the step was done, privately.
	fi, err := os.Stat(st.path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("answers file: %v %v", fi, err)
	}
	a, _ := export.LoadAnswers(st.path)
	if !loadProgress(st.path).IsCompleted("services") || a.Services[0] != "mpower" {
		t.Errorf("saved answers: %+v", a)
	}
	// shift+tab on the first field goes back to the previous step.
	st.d.Keys("shift+tab")
	st.sees("Step 1 of 9: Services")
}

func TestShellQuitKeepsWhatWasTyped(t *testing.T) {
	a := export.NewAnswers()
	a.Services = []string{"mpass"}
	a.Complete("services")
	st := newShellTest(t, a, false)
	st.m.open(steps.Organization{})
	st.d.Keys("Agenția de Guvernare Electronică", "esc")
	// The screen holds typing: esc asks first, and staying is the default.
	st.sees("Quit the wizard?", "[Stay]")
	st.d.Keys("enter")
	if st.quit {
		t.Fatal("enter on the question's default quit")
	}
	st.sees("Agenția de Guvernare Electronică")
	st.d.Keys("esc", "left", "enter")
	if !st.quit || !st.m.quitting {
		t.Fatal("esc, then quit, did not quit")
	}
	saved, err := export.LoadAnswers(st.path)
	if err != nil {
		t.Fatal(err)
	}
	progress := loadProgress(st.path)
	if saved.Organization.Name != "Agenția de Guvernare Electronică" || progress.IsCompleted("organization") {
		t.Errorf("saved: %+v completed %v", saved.Organization, progress.Completed)
	}
	// A new run offers to resume at the unfinished step.
	again := newShellTestWith(t, saved, progress, true)
	again.sees("Continue where you stopped?", "Resume at “Organization”")
	again.d.Keys("enter")
	again.sees("Step 2 of 8: Organization", "Agenția de Guvernare Electronică")
}

func TestShellStartAfreshKeepsABackup(t *testing.T) {
	a := export.NewAnswers()
	a.Services = []string{"msign"}
	a.Complete("services")
	st := newShellTest(t, a, true)
	if err := st.m.c.Save(); err != nil {
		t.Fatal(err)
	}
	st.d.Keys("down", "down", "enter")
	// The choice travels through the form's commands: under load they may
	// take longer than the driver's quiet time.
	st.d.WaitFor(func() bool { return st.m.resume == nil }, 5*time.Second)
	st.sees("●  Step 1: Services  next: Organization")
	if len(st.m.c.Answers.Services) != 0 {
		t.Errorf("answers not fresh: %v", st.m.c.Answers.Services)
	}
	if _, err := os.Stat(st.path + ".bak"); err != nil {
		t.Errorf("no backup: %v", err)
	}
}

func TestShellSwitchesLanguageOnTheFirstScreen(t *testing.T) {
	st := newShellTest(t, export.NewAnswers(), false)
	st.d.Keys("space", "ctrl+l")
	st.sees("Ce platforme va folosi sistemul?", "ieșire (răspunsurile se păstrează)")
	st.d.Keys("ctrl+l")
	st.sees("Какие платформы будет использовать система?")
	// The choice made before switching is still there, and the language is kept.
	if st.m.c.Progress.Lang != "ru" || len(st.m.c.Answers.Services) != 1 {
		t.Errorf("lang %q services %v", st.m.c.Progress.Lang, st.m.c.Answers.Services)
	}
}

func TestShellReturnsToReviewAfterAnEdit(t *testing.T) {
	a := export.NewAnswers()
	a.Services = []string{"msign"}
	for _, id := range []string{"services", "organization", "names", "certificate", "network", "connectivity"} {
		a.Complete(id)
	}
	st := newShellTest(t, a, false)
	review, _ := steps.Find("review")
	st.d.Run(st.m.open(review))
	st.d.Send(steps.GotoMsg{ID: "names"})
	st.sees("Step 3 of 8: Service names")
	st.d.Send(steps.DoneMsg{})
	st.sees("Step 7 of 8: Review")
}

func TestUnreadableDefaultAnswersAreMovedAsideUnderAFreeName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "answers.json")
	os.WriteFile(path, []byte("garbage"), 0o600)
	os.WriteFile(path+".unreadable", []byte("an earlier one"), 0o600)
	a, progress, notice, err := loadAnswers(path, "en", false)
	if err != nil || a == nil || len(progress.Completed) > 0 {
		t.Fatalf("loadAnswers: %v %v %v", a, progress, err)
	}
	if !strings.Contains(notice, "could not be read") || !strings.Contains(notice, path+".unreadable.2") {
		t.Errorf("notice: %q", notice)
	}
	if b, _ := os.ReadFile(path + ".unreadable"); string(b) != "an earlier one" {
		t.Errorf("the earlier file set aside now holds %q", b)
	}
	if b, _ := os.ReadFile(path + ".unreadable.2"); string(b) != "garbage" {
		t.Errorf("the unreadable answers were not kept: %q", b)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("the unreadable file is still at %s: %v", path, err)
	}

	// The notice is on the first screen, and goes once a step is done.
	st := newShellTest(t, export.NewAnswers(), false)
	st.m.notice = notice
	st.m.layout()
	st.sees("! The saved answers in", "Which platforms will the system use?")
	if flat := strings.Join(strings.Fields(st.screen()), ""); !strings.Contains(flat, "answers.json.unreadable.2andthewizardstartsafresh") {
		t.Errorf("the screen does not say where the answers went:\n%s", st.screen())
	}
	st.d.Keys("space", "enter", "enter")
	if strings.Contains(st.screen(), "The saved answers in") {
		t.Errorf("the notice stays after the first step:\n%s", st.screen())
	}
}

func TestNamedFileThatIsNotAnswersIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("my notes"), 0o644)
	for _, path := range []string{notes, dir} {
		_, err := Run(t.Context(), Options{AnswersPath: path, Lang: "en", In: strings.NewReader(""), Out: io.Discard})
		if err == nil || !errors.Is(err, export.ErrNotAnswers) {
			t.Errorf("%s: %v, want a refusal", path, err)
		}
	}
	if b, _ := os.ReadFile(notes); string(b) != "my notes" {
		t.Errorf("notes now hold %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files appeared beside the notes: %v", entries)
	}
}
