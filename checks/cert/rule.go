package cert

//go:generate go test -run ^TestREADMEVerdictsAreTheRegistry$ -update-readme .

import (
	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// Verdict is one outcome a rule may report. Its ID is also the catalogue key
// of its message, written out in full where the verdict is declared so that a
// search for the key finds the rule.
type Verdict struct {
	ID       string          `json:"id"`
	Severity checks.Severity `json:"severity"`
	// Remedy is the catalogue key of what to do about it ("" when there is
	// nothing to do).
	Remedy string `json:"remedy,omitempty"`
}

// Emit is the verdict as a check, its message and remedy filled with kv
// (placeholder name/value pairs).
func (v Verdict) Emit(kv ...any) []checks.Check {
	c := checks.Check{ID: v.ID, Severity: v.Severity, Message: assets.Msg(v.ID, kv...)}
	if v.Remedy != "" {
		c.Remedy = assets.Msg(v.Remedy, kv...)
	}
	return []checks.Check{c}
}

// Rule is one judgement about a certificate: its name, what it checks, where
// the requirement comes from (a seed, one of AGE's egov4dev documents, AGE's
// libraries, an RFC or another published standard), the verdicts it may
// report and the function that judges. Judge reads the loaded file and the
// options only, and reports only its declared verdicts (a test holds every
// rule to that).
type Rule struct {
	Name string `json:"name"`
	// About says what the rule checks: a catalogue message, so that
	// egovsetup cert rules reads in the user's language.
	About assets.Text `json:"-"`
	// Description is About in words, filled in by RulesIn.
	Description string                                      `json:"description"`
	Citation    string                                      `json:"citation"`
	Verdicts    []Verdict                                   `json:"verdicts"`
	Judge       func(l *Loaded, opt Options) []checks.Check `json:"-"`
}

// registry is every certificate rule, in the order their verdicts are shown.
// Each lives in its own file, rule_<name>.go (same_as_test in
// rule_same_cert.go: a name ending in _test.go is a test file); add the
// next one here.
var registry = []Rule{
	ruleDemo,
	ruleValidity,
	ruleKeySize,
	ruleKeyRSAMPass,
	ruleSignature,
	ruleClientAuth,
	ruleDigitalSignature,
	ruleIsCA,
	ruleIssuer,
	ruleChain,
	ruleKeyMatch,
	ruleSameAsTest,
}

// Rules returns the registry: every rule, in the order their verdicts are
// shown, described in English. The slice is a copy.
func Rules() []Rule { return RulesIn(assets.DefaultLang) }

// RulesIn is Rules with each rule's description in lang.
func RulesIn(lang string) []Rule {
	out := append([]Rule(nil), registry...)
	for i := range out {
		out[i].Description = out[i].About.In(lang)
	}
	return out
}

// judge runs every rule over l for opt, in order.
func judge(l *Loaded, opt Options) []checks.Check {
	opt.Now = opt.now() // one instant for every rule
	var out []checks.Check
	for _, r := range registry {
		out = append(out, r.Judge(l, opt)...)
	}
	return out
}
