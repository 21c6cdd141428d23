package cert

import (
	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var keyNotRSAMPassVerdict = Verdict{ID: "cert.key_not_rsa_mpass", Severity: checks.Warn, Remedy: "cert.key_not_rsa_mpass.remedy"}

// ruleKeyRSAMPass warns when a key other than RSA is meant for MPass.
var ruleKeyRSAMPass = Rule{
	Name:     "key_rsa_mpass",
	About:    assets.Text{Key: "cert.rule.key_rsa_mpass"},
	Citation: "Egov.Integrations.MPass.Saml src/Egov.Integrations.MPass.Saml/MPassSamlProtocolMessage.cs (SignAndEncode: RSA, RSA-SHA256)",
	Verdicts: []Verdict{keyNotRSAMPassVerdict},
	Judge: func(l *Loaded, opt Options) []checks.Check {
		typ, _ := keyInfo(l.Leaf)
		if typ == "RSA" {
			return nil
		}
		if names := chosenWhere(opt, func(s assets.Service) bool { return s.RSAOnly }); names != "" {
			return keyNotRSAMPassVerdict.Emit("Type", typ, "Services", names)
		}
		return nil
	},
}
