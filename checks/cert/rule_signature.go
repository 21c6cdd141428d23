package cert

import (
	"crypto/x509"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var (
	sigWeakVerdict    = Verdict{ID: "cert.sig_weak", Severity: checks.Fail, Remedy: "cert.sig_weak.remedy"}
	sigUnknownVerdict = Verdict{ID: "cert.sig_unknown", Severity: checks.Warn, Remedy: "cert.sig_unknown.remedy"}
	sigOKVerdict      = Verdict{ID: "cert.sig_ok", Severity: checks.Pass}
)

// ruleSignature judges the algorithm the issuer signed the leaf with.
var ruleSignature = Rule{
	Name:     "signature",
	About:    assets.Text{Key: "cert.rule.signature"},
	Citation: "CA/Browser Forum Baseline Requirements §7.1.3; RFC 6151 (MD5); RFC 9155 (SHA-1)",
	Verdicts: []Verdict{sigWeakVerdict, sigUnknownVerdict, sigOKVerdict},
	Judge: func(l *Loaded, _ Options) []checks.Check {
		alg := l.Leaf.SignatureAlgorithm
		switch alg {
		case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
			return sigWeakVerdict.Emit("Algorithm", alg.String())
		case x509.UnknownSignatureAlgorithm:
			return sigUnknownVerdict.Emit()
		}
		return sigOKVerdict.Emit("Algorithm", alg.String())
	},
}
