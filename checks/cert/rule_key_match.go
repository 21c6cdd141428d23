package cert

import (
	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var keyMismatchVerdict = Verdict{ID: "cert.key_mismatch", Severity: checks.Fail, Remedy: "cert.key_mismatch.remedy"}

// ruleKeyMatch fails a file whose private key belongs to none of its
// certificates.
var ruleKeyMatch = Rule{
	Name:     "key_match",
	About:    assets.Text{Key: "cert.rule.key_match"},
	Citation: "RFC 8446 §4.4.3 (the TLS client proves the certificate's key by signing with it)",
	Verdicts: []Verdict{keyMismatchVerdict},
	Judge: func(l *Loaded, _ Options) []checks.Check {
		if l.KeyMismatch {
			return keyMismatchVerdict.Emit()
		}
		return nil
	},
}
