package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/steps"
)

// Answers saved by an older version hold the progress (completed steps,
// language) inside: it moves beside them once, and nothing is lost.
func TestProgressInOldAnswersMovesBesideThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answers.json")
	old := export.NewAnswers()
	old.Services = []string{"msign"}
	old.Organization.Name = "Agenția de Guvernare Electronică"
	old.Completed = []string{"services", "organization"}
	old.Lang = "ro"
	if err := export.SaveAnswers(path, old); err != nil {
		t.Fatal(err)
	}

	a, p, _, err := loadAnswers(path, "en", true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Completed, []string{"services", "organization"}) || p.Lang != "ro" {
		t.Errorf("progress read from the old answers: %+v", p)
	}
	if a.Organization.Name != "Agenția de Guvernare Electronică" || len(a.Completed) != 0 || a.Lang != "" {
		t.Errorf("answers after the move: name %q completed %v lang %q", a.Organization.Name, a.Completed, a.Lang)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "answers.progress.json")); err != nil {
		t.Errorf("no progress file beside the answers: %v", err)
	}

	savedWithoutProgress(t, path, a, p)
}

// savedWithoutProgress saves, then checks the progress is out of the answers
// and a new run still resumes where the old one stopped, in its language.
func savedWithoutProgress(t *testing.T, path string, a *export.Answers, p *steps.Progress) {
	t.Helper()
	if err := saveAll(path, a, p); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), `"completed"`) || strings.Contains(string(raw), `"lang"`) {
		t.Errorf("the answers still hold the progress:\n%s", raw)
	}
	a, p, _, err := loadAnswers(path, "en", true)
	if err != nil || a.Organization.Name != "Agenția de Guvernare Electronică" {
		t.Fatalf("answers: %+v %v", a, err)
	}
	if !slices.Equal(p.Completed, []string{"services", "organization"}) || p.Lang != "ro" {
		t.Errorf("progress after the move: %+v", p)
	}
}

// A broken progress file costs the place in the wizard, never the answers.
func TestUnreadableProgressKeepsTheAnswers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answers.json")
	a := export.NewAnswers()
	a.System.Name = "Registrul"
	if err := export.SaveAnswers(path, a); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ProgressPath(path), []byte("{not json"), 0o600)
	got, p, notice, err := loadAnswers(path, "en", true)
	if err != nil || got.System.Name != "Registrul" || len(p.Completed) != 0 || notice != "" {
		t.Errorf("answers %+v progress %+v notice %q err %v", got.System, p, notice, err)
	}
}
