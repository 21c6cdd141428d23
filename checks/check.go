// Package checks is egovsetup's pure logic: validators for what a user types,
// and the Check value every verdict is reported as. Its subpackages load and
// judge certificates (checks/cert) and test connectivity (checks/netcheck).
// Nothing here imports a user interface.
package checks

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Severity grades a verdict. Severities are ordered, best first:
// Pass < Info < Skip < Warn < Fail, so the worse of two is the greater. The
// zero value is no severity at all (an unset field), never a pass. In JSON
// and text a severity is its name: "pass", "info", "skip", "warn", "fail".
type Severity int8

// Severities, from best to worst. Skip marks a check that did not run because
// one it depends on failed.
const (
	Pass Severity = iota + 1
	Info
	Skip
	Warn
	Fail
)

// severityNames are the severities' names, indexed by value.
var severityNames = [...]string{Pass: "pass", Info: "info", Skip: "skip", Warn: "warn", Fail: "fail"}

// Severities lists every severity, best first.
func Severities() []Severity { return []Severity{Pass, Info, Skip, Warn, Fail} }

// Valid reports whether s is one of the five severities.
func (s Severity) Valid() bool { return s >= Pass && s <= Fail }

// String is the severity's name ("pass", ...; "" for the zero value).
func (s Severity) String() string {
	if !s.Valid() {
		return ""
	}
	return severityNames[s]
}

// Rank orders severities: Pass < Info < Skip < Warn < Fail (0 to 4; -1 for
// the zero value).
func (s Severity) Rank() int {
	if !s.Valid() {
		return -1
	}
	return int(s - Pass)
}

// ParseSeverity reads a severity's name.
func ParseSeverity(name string) (Severity, bool) {
	for _, s := range Severities() {
		if severityNames[s] == name {
			return s, true
		}
	}
	return 0, false
}

// MarshalText writes the severity's name; an unset severity is an error, so
// that no report claims a grade nobody gave.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("checks: no severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok {
		return fmt.Errorf("checks: unknown severity %q", b)
	}
	*s = v
	return nil
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
		worst = max(worst, c.Severity)
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

// Localize renders err in lang. An error that renders itself (an
// assets.Localizable, In(lang): a Problem, a FieldError, an ExistsError …)
// anywhere in the chain speaks for the whole error, in its own words, with
// its line breaks kept; anything else is its Error() string on one line.
// Either way every control character is escaped: an error's text may quote
// a file, a certificate or a server.
func Localize(err error, lang string) string {
	if err == nil {
		return ""
	}
	var l assets.Localizable
	if errors.As(err, &l) {
		return safetext.Block(l.In(lang))
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
func (s Severity) Word(lang string) string {
	switch s {
	case Pass:
		return assets.T(lang, "check.severity.pass")
	case Info:
		return assets.T(lang, "check.severity.info")
	case Skip:
		return assets.T(lang, "check.severity.skip")
	case Warn:
		return assets.T(lang, "check.severity.warn")
	case Fail:
		return assets.T(lang, "check.severity.fail")
	}
	return s.String() // "" for no severity
}

// Label is the mark and the word, padded so that messages line up.
func (s Severity) Label(lang string) string {
	w := s.Word(lang)
	pad := 8 - len([]rune(w))
	if pad < 0 {
		pad = 0
	}
	return s.Mark() + " " + w + strings.Repeat(" ", pad)
}
