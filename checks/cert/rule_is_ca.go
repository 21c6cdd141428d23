package cert

import (
	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var (
	isCAVerdict           = Verdict{ID: "cert.is_ca", Severity: checks.Fail, Remedy: "cert.is_ca.remedy"}
	isCASelfSignedVerdict = Verdict{ID: "cert.is_ca_self_signed", Severity: checks.Info}
)

// ruleIsCA judges a leaf marked CA:TRUE.
var ruleIsCA = Rule{
	Name:     "is_ca",
	About:    assets.Text{Key: "cert.rule.is_ca"},
	Citation: "RFC 5280 §4.2.1.9; egov4dev docs/guides/mpass/integration-development.md (\"Service registration\": a self-signed certificate is accepted)",
	Verdicts: []Verdict{isCAVerdict, isCASelfSignedVerdict},
	Judge: func(l *Loaded, opt Options) []checks.Check {
		c := l.Leaf
		if !c.IsCA {
			return nil
		}
		// The certificate of a recognised authority (STISC's or AGE's test
		// root) picked instead of the system's own.
		if !isSelfSigned(c) || namedIssuer(c.Subject, opt.data()) != "" {
			return isCAVerdict.Emit()
		}
		// Self-signed and CA:TRUE: the issuer rule already fails it for the
		// services that refuse self-signed certificates.
		if chosenWhere(opt, func(s assets.Service) bool { return !s.SelfSignedOK }) == "" {
			return isCASelfSignedVerdict.Emit()
		}
		return nil
	},
}
