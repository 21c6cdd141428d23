package cert

import (
	"crypto/x509"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var noDigitalSignatureVerdict = Verdict{ID: "cert.no_digital_signature", Severity: checks.Warn, Remedy: "cert.no_digital_signature.remedy"}

// ruleDigitalSignature warns when a key usage is present and leaves out
// digitalSignature.
var ruleDigitalSignature = Rule{
	Name:     "digital_signature",
	About:    assets.Text{Key: "cert.rule.digital_signature"},
	Citation: "RFC 5280 §4.2.1.3",
	Verdicts: []Verdict{noDigitalSignatureVerdict},
	Judge: func(l *Loaded, _ Options) []checks.Check {
		ku := l.Leaf.KeyUsage
		if ku != 0 && ku&x509.KeyUsageDigitalSignature == 0 {
			return noDigitalSignatureVerdict.Emit()
		}
		return nil
	},
}
