package cert

import (
	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var demoVerdict = Verdict{ID: "cert.demo", Severity: checks.Warn, Remedy: "cert.demo.remedy"}

// ruleDemo marks egovsetup's own demonstration certificate.
var ruleDemo = Rule{
	Name:     "demo",
	About:    assets.Text{Key: "cert.rule.demo"},
	Citation: "none at AGE: egovsetup's own demonstration certificate (egovsetup --demo)",
	Verdicts: []Verdict{demoVerdict},
	Judge: func(l *Loaded, _ Options) []checks.Check {
		if l.Demo {
			return demoVerdict.Emit()
		}
		return nil
	},
}
