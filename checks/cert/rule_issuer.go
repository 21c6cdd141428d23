package cert

import (
	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var (
	issuerSTISCVerdict             = Verdict{ID: "cert.issuer_stisc", Severity: checks.Pass}
	issuerAGETestVerdict           = Verdict{ID: "cert.issuer_age_test", Severity: checks.Info, Remedy: "cert.issuer_age_test.remedy"}
	issuerAGETestProductionVerdict = Verdict{ID: "cert.issuer_age_test_production", Severity: checks.Fail, Remedy: "cert.issuer_age_test_production.remedy"}
	selfSignedVerdict              = Verdict{ID: "cert.self_signed", Severity: checks.Fail, Remedy: "cert.self_signed.remedy"}
	selfSignedMPassVerdict         = Verdict{ID: "cert.self_signed_mpass", Severity: checks.Warn, Remedy: "cert.self_signed_mpass.remedy"}
	issuerUnknownMPassVerdict      = Verdict{ID: "cert.issuer_unknown_mpass", Severity: checks.Info}
	issuerUnknownVerdict           = Verdict{ID: "cert.issuer_unknown", Severity: checks.Warn, Remedy: "cert.issuer_unknown.remedy"}
)

// ruleIssuer judges who issued the certificate, for the chosen services and
// environment.
var ruleIssuer = Rule{
	Name:  "issuer",
	About: assets.Text{Key: "cert.rule.issuer"},
	Citation: "seed 002 §4; seed 000 (STISC's certificate); egov4dev docs/guides/mpass/integration-development.md (\"a self-signed or any existing certificate\"); " +
		"egov4dev docs/guides/msign/integration-development.md (\"Obtaining credentials\") and egov4dev docs/guides/mpower/security.md (STISC only)",
	Verdicts: []Verdict{issuerSTISCVerdict, issuerAGETestVerdict, issuerAGETestProductionVerdict,
		selfSignedVerdict, selfSignedMPassVerdict, issuerUnknownMPassVerdict, issuerUnknownVerdict},
	Judge: func(l *Loaded, opt Options) []checks.Check {
		c := l.Leaf
		strict := chosenWhere(opt, func(s assets.Service) bool { return !s.SelfSignedOK })
		switch issuerOf(c, opt.data()) {
		case "stisc":
			return issuerSTISCVerdict.Emit()
		case "age_test":
			if opt.production() {
				return issuerAGETestProductionVerdict.Emit()
			}
			return issuerAGETestVerdict.Emit()
		case "self":
			if strict != "" {
				return selfSignedVerdict.Emit("Services", strict)
			}
			return selfSignedMPassVerdict.Emit()
		}
		// MPass takes "any existing certificate"
		// (egov4dev docs/guides/mpass/integration-development.md).
		if strict == "" {
			return issuerUnknownMPassVerdict.Emit("Issuer", c.Issuer.String())
		}
		return issuerUnknownVerdict.Emit("Issuer", c.Issuer.String())
	},
}
