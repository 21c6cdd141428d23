package cert

import (
	"crypto/x509"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var (
	clientAuthVerdict        = Verdict{ID: "cert.client_auth", Severity: checks.Pass}
	noClientAuthMPassVerdict = Verdict{ID: "cert.no_client_auth_mpass", Severity: checks.Info}
	noClientAuthVerdict      = Verdict{ID: "cert.no_client_auth", Severity: checks.Fail, Remedy: "cert.no_client_auth.remedy"}
)

// ruleClientAuth judges whether the certificate may authenticate a TLS
// client, which MSign and MPower require.
var ruleClientAuth = Rule{
	Name:  "client_auth",
	About: assets.Text{Key: "cert.rule.client_auth"},
	Citation: "egov4dev docs/guides/msign/integration-development.md (\"Consumer registration and network access\"); " +
		"egov4dev docs/guides/mpower/integration-development.md (\"System registration and service access\"); RFC 5280 §4.2.1.12",
	Verdicts: []Verdict{clientAuthVerdict, noClientAuthMPassVerdict, noClientAuthVerdict},
	Judge: func(l *Loaded, opt Options) []checks.Check {
		if allowsClientAuth(l.Leaf) {
			return clientAuthVerdict.Emit()
		}
		need := chosenWhere(opt, func(s assets.Service) bool { return s.ClientAuth })
		if need == "" {
			return noClientAuthMPassVerdict.Emit()
		}
		return noClientAuthVerdict.Emit("Services", need)
	},
}

// allowsClientAuth: no extended key usage at all (any use), or one that
// names clientAuth or anyExtendedKeyUsage.
func allowsClientAuth(c *x509.Certificate) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageClientAuth || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}
