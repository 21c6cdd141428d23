package ui

import (
	"encoding/json"
	"strings"

	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safefile"
	"github.com/egovmd/egovsetup/steps"
)

// progressSchema numbers the progress file's layout.
const progressSchema = 1

// maxProgressSize bounds the progress file read (it holds a few step IDs).
const maxProgressSize = 64 << 10

// progressFile is the progress file's content.
type progressFile struct {
	Schema int `json:"schema"`
	steps.Progress
}

// ProgressPath is where the wizard keeps its progress for the answers at
// path: beside them, answers.json → answers.progress.json.
func ProgressPath(path string) string {
	return strings.TrimSuffix(path, ".json") + ".progress.json"
}

// loadProgress reads the progress kept beside the answers at path. A missing
// or unreadable progress file means no progress: the answers are intact and
// the wizard only starts at its first step.
func loadProgress(path string) *steps.Progress {
	b, err := safefile.Read(ProgressPath(path), maxProgressSize)
	if err != nil {
		return &steps.Progress{}
	}
	var f progressFile
	if json.Unmarshal(b, &f) != nil {
		return &steps.Progress{}
	}
	return &f.Progress
}

// saveProgress writes p beside the answers at path.
func saveProgress(path string, p *steps.Progress) error {
	b, err := json.MarshalIndent(progressFile{Schema: progressSchema, Progress: *p}, "", "  ")
	if err != nil {
		return err
	}
	return export.WriteFileAtomic(ProgressPath(path), append(b, '\n'), 0o600)
}

// migrateProgress moves the progress older versions kept inside the answers
// (completed steps, language) to the progress file, once: the progress file,
// when it has any, wins. The answers lose the fields at their next save.
func migrateProgress(path string, a *export.Answers, p *steps.Progress) error {
	if len(a.Completed) == 0 && a.Lang == "" {
		return nil
	}
	if len(p.Completed) == 0 {
		p.Completed = a.Completed
	}
	if p.Lang == "" {
		p.Lang = a.Lang
	}
	a.Completed, a.Lang = nil, ""
	return saveProgress(path, p)
}

// saveAll writes the answers, then the progress beside them.
func saveAll(path string, a *export.Answers, p *steps.Progress) error {
	if err := export.SaveAnswers(path, a); err != nil {
		return err
	}
	return saveProgress(path, p)
}
