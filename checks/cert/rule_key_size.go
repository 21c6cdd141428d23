package cert

import (
	"strings"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var (
	keyUnsupportedVerdict = Verdict{ID: "cert.key_unsupported", Severity: checks.Fail, Remedy: "cert.key_unsupported.remedy"}
	keyWeakVerdict        = Verdict{ID: "cert.key_weak", Severity: checks.Fail, Remedy: "cert.key_weak.remedy"}
	keyOKVerdict          = Verdict{ID: "cert.key_ok", Severity: checks.Pass}
)

// ruleKeySize judges the public key's type and size.
var ruleKeySize = Rule{
	Name:     "key_size",
	About:    assets.Text{Key: "cert.rule.key_size"},
	Citation: "NIST SP 800-131A; seed 002 §4 (STISC issues the system certificate)",
	Verdicts: []Verdict{keyUnsupportedVerdict, keyWeakVerdict, keyOKVerdict},
	Judge: func(l *Loaded, _ Options) []checks.Check {
		typ, bits := keyInfo(l.Leaf)
		ec := strings.HasPrefix(typ, "ECDSA")
		if typ != "RSA" && !ec && typ != "Ed25519" {
			// DSA and any other algorithm: not a weak key, a key type the
			// platforms do not take.
			return keyUnsupportedVerdict.Emit("Type", typ)
		}
		if (typ == "RSA" && bits < 2048) || (ec && bits < 256) {
			return keyWeakVerdict.Emit("Type", typ, "Bits", bits)
		}
		return keyOKVerdict.Emit("Type", typ, "Bits", bits)
	},
}
