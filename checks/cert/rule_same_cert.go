package cert

import (
	"strings"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var sameAsTestVerdict = Verdict{ID: "cert.same_as_test", Severity: checks.Fail, Remedy: "cert.same_as_test.remedy"}

// ruleSameAsTest fails a production certificate that is the one already
// registered for the test environment.
var ruleSameAsTest = Rule{
	Name:  "same_as_test",
	About: assets.Text{Key: "cert.rule.same_as_test"},
	Citation: "egov4dev docs/guides/mpass/integration-development.md (\"Service test and production environments MUST use a different certificate\"); " +
		"egov4dev docs/guides/mpass/process2.md (note on certificates: reuse within one system and one environment)",
	Verdicts: []Verdict{sameAsTestVerdict},
	Judge: func(l *Loaded, opt Options) []checks.Check {
		if opt.production() && opt.TestSHA256 != "" && strings.EqualFold(opt.TestSHA256, Fingerprint(l.Leaf)) {
			return sameAsTestVerdict.Emit()
		}
		return nil
	},
}
