package cert

import (
	"bytes"
	"crypto/x509"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var (
	chainUncheckedVerdict  = Verdict{ID: "cert.chain_unchecked", Severity: checks.Warn, Remedy: "cert.chain_unchecked.remedy"}
	chainIncompleteVerdict = Verdict{ID: "cert.chain_incomplete", Severity: checks.Warn, Remedy: "cert.chain_incomplete.remedy"}
	chainCompleteVerdict   = Verdict{ID: "cert.chain_complete", Severity: checks.Pass}
)

// chainSignatureChecks bounds the signatures the chain rule checks: a real
// chain (leaf, one or two intermediates, root) needs a handful.
const chainSignatureChecks = 24

// ruleChain follows the leaf's issuers through the file's other
// certificates up to a self-signed root.
var ruleChain = Rule{
	Name:     "chain",
	About:    assets.Text{Key: "cert.rule.chain"},
	Citation: "RFC 8446 §4.4.2",
	Verdicts: []Verdict{chainUncheckedVerdict, chainIncompleteVerdict, chainCompleteVerdict},
	Judge: func(l *Loaded, _ Options) []checks.Check {
		if isSelfSigned(l.Leaf) || (!l.HasKey() && len(l.Chain) == 0) {
			return nil
		}
		w := newChainWalk(l)
		cur, n := l.Leaf, 0
		for !w.selfSigned(cur) {
			next, spent := w.parent(cur)
			if spent {
				return chainUncheckedVerdict.Emit()
			}
			if next == nil {
				return chainIncompleteVerdict.Emit("Issuer", cur.Issuer.String())
			}
			w.onPath[next] = true
			cur, n = next, n+1
		}
		return chainCompleteVerdict.Emit("Count", n)
	},
}

// chainWalk is the state of one walk up a chain. Candidates are found by
// name, and the walk checks at most chainSignatureChecks signatures, so no
// bundle, however built, makes it slow.
type chainWalk struct {
	bySubject map[string][]*x509.Certificate
	onPath    map[*x509.Certificate]bool
	left      int // signature checks left
}

func newChainWalk(l *Loaded) *chainWalk {
	w := &chainWalk{
		bySubject: make(map[string][]*x509.Certificate, len(l.Chain)),
		onPath:    map[*x509.Certificate]bool{l.Leaf: true},
		left:      chainSignatureChecks,
	}
	for _, ca := range l.Chain {
		w.bySubject[string(ca.RawSubject)] = append(w.bySubject[string(ca.RawSubject)], ca)
	}
	return w
}

// selfSigned reports whether c signs itself, counting the check.
func (w *chainWalk) selfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false // no signature to check
	}
	w.left -= 2
	return isSelfSigned(c)
}

// parent finds the certificate, not yet on the path, that signed cur (nil
// when the file has none); spent reports that the budget ran out first.
func (w *chainWalk) parent(cur *x509.Certificate) (next *x509.Certificate, spent bool) {
	for _, ca := range w.bySubject[string(cur.RawIssuer)] {
		if w.left <= 0 {
			return nil, true
		}
		if w.onPath[ca] {
			continue
		}
		if len(cur.AuthorityKeyId) > 0 && len(ca.SubjectKeyId) > 0 && !bytes.Equal(cur.AuthorityKeyId, ca.SubjectKeyId) {
			continue
		}
		w.left--
		if cur.CheckSignatureFrom(ca) == nil {
			return ca, false
		}
	}
	return nil, false
}
