// Package checks is egovsetup's pure logic: validators for what a user types,
// and the Check value every verdict is reported as. Its subpackages load and
// judge certificates (checks/cert) and test connectivity (checks/netcheck).
// Nothing here imports a user interface.
package checks

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Severity grades a verdict.
type Severity string

// Severities, from best to worst. Skip marks a check that did not run because
// one it depends on failed.
const (
	Pass Severity = "pass"
	Info Severity = "info"
	Skip Severity = "skip"
	Warn Severity = "warn"
	Fail Severity = "fail"
)

// Rank orders severities: Pass < Info < Skip < Warn < Fail.
func (s Severity) Rank() int {
	switch s {
	case Pass:
		return 0
	case Info:
		return 1
	case Skip:
		return 2
	case Warn:
		return 3
	case Fail:
		return 4
	}
	return -1
}

// Check is one verdict: what was checked (ID), how it came out (Severity), a
// one-line Message and, when something is to be done, a Remedy. Message and
// Remedy are catalogue texts, so a Check reads in any language.
type Check struct {
	ID       string
	Severity Severity
	Message  assets.Text
	Remedy   assets.Text
}

// checkJSON is the language-neutral form of a Check: English text.
type checkJSON struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Remedy   string   `json:"remedy,omitempty"`
}

// MarshalJSON writes the check with its texts in English.
func (c Check) MarshalJSON() ([]byte, error) {
	return json.Marshal(checkJSON{c.ID, c.Severity, c.Message.String(), c.Remedy.String()})
}

// Worst returns the most severe severity in list (Pass for an empty list).
func Worst(list []Check) Severity {
	worst := Pass
	for _, c := range list {
		if c.Severity.Rank() > worst.Rank() {
			worst = c.Severity
		}
	}
	return worst
}

// Problem is an error that carries a catalogue text, so a message can be shown
// in the user's language. Error() gives the English text.
type Problem struct {
	Text assets.Text
	Err  error // an underlying cause, if any
}

// Problemf makes a Problem from a key and placeholder name/value pairs.
func Problemf(key string, kv ...any) *Problem {
	return &Problem{Text: assets.Msg(key, kv...)}
}

// Wrap returns a Problem that also wraps cause (for errors.Is / errors.As).
func (p *Problem) Wrap(cause error) *Problem {
	p.Err = cause
	return p
}

func (p *Problem) Error() string { return p.Text.String() }

// In renders the problem in lang (so a Problem can be a placeholder value).
func (p *Problem) In(lang string) string { return p.Text.In(lang) }
func (p *Problem) Unwrap() error         { return p.Err }

// Localize renders err in lang: a Problem (anywhere in the chain) in its own
// words, anything else as its Error() string with every control character
// escaped — an error's text may quote a file, a certificate or a server. An
// error that renders itself (a Localizable) keeps its line breaks.
func Localize(err error, lang string) string {
	if err == nil {
		return ""
	}
	var p *Problem
	if errors.As(err, &p) {
		return p.Text.In(lang)
	}
	if _, ok := err.(assets.Localizable); ok {
		return safetext.Block(err.Error())
	}
	return safetext.Line(err.Error())
}

// Mark is the severity's one-character mark in plain text.
func (s Severity) Mark() string {
	switch s {
	case Pass:
		return "✓"
	case Info:
		return "i"
	case Warn:
		return "!"
	case Fail:
		return "✗"
	}
	return "-"
}

// Word is the severity's name in lang, for plain-text reports.
func (s Severity) Word(lang string) string { return assets.T(lang, "check.severity."+string(s)) }

// Label is the mark and the word, padded so that messages line up.
func (s Severity) Label(lang string) string {
	w := s.Word(lang)
	pad := 8 - len([]rune(w))
	if pad < 0 {
		pad = 0
	}
	return s.Mark() + " " + w + strings.Repeat(" ", pad)
}
