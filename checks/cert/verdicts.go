package cert

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
	"time"
	"unicode"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// Rule is one verdict about a certificate: an ID, what it checks, where the
// requirement comes from, and the function that judges. Rules is the one list
// every verdict comes from; add the next one there.
type Rule struct {
	ID          string
	Description string
	Citation    string
	Run         func(in *input) []checks.Check
}

// input is what a rule sees.
type input struct {
	l   *Loaded
	c   *x509.Certificate
	opt Options
	now time.Time
	r   *Report
}

// verdict builds a check whose message is the catalogue key "cert.<id>" and
// whose remedy, when the catalogue has one, is "cert.<id>.remedy".
func verdict(id string, sev checks.Severity, kv ...any) []checks.Check {
	c := checks.Check{ID: "cert." + id, Severity: sev, Message: assets.Msg("cert."+id, kv...)}
	if assets.Has(assets.DefaultLang, "cert."+id+".remedy") {
		c.Remedy = assets.Msg("cert."+id+".remedy", kv...)
	}
	return []checks.Check{c}
}

// Rules are all certificate verdicts, in the order they are shown.
var Rules = []Rule{
	{ID: "demo", Description: "The built-in demonstration certificate is never to be registered.",
		Run: func(in *input) []checks.Check {
			if in.l.Demo {
				return verdict("demo", checks.Warn)
			}
			return nil
		}},
	{ID: "validity", Description: "The certificate is valid now and for long enough to register it.",
		Citation: "RFC 5280 §4.1.2.5",
		Run: func(in *input) []checks.Check {
			days := in.r.DaysLeft
			switch {
			case in.now.Before(in.c.NotBefore):
				return verdict("not_yet_valid", checks.Fail, "Date", in.c.NotBefore.UTC().Format("2006-01-02 15:04 MST"))
			case in.now.After(in.c.NotAfter):
				return verdict("expired", checks.Fail, "Date", in.c.NotAfter.UTC().Format("2006-01-02"), "Count", -days)
			case days <= 30:
				return verdict("expires_soon", checks.Warn, "Count", days, "Date", in.c.NotAfter.UTC().Format("2006-01-02"))
			case days <= 90:
				return verdict("expires_90", checks.Info, "Count", days, "Date", in.c.NotAfter.UTC().Format("2006-01-02"))
			}
			return verdict("valid", checks.Pass, "Count", days, "Date", in.c.NotAfter.UTC().Format("2006-01-02"))
		}},
	{ID: "key_size", Description: "RSA keys have at least 2048 bits, EC keys at least 256.",
		Citation: "NIST SP 800-131A; STISC issues RSA 2048",
		Run: func(in *input) []checks.Check {
			typ, bits := in.r.KeyType, in.r.KeyBits
			if typ != "RSA" && !strings.HasPrefix(typ, "ECDSA") && typ != "Ed25519" {
				// DSA and any other algorithm: not a weak key, a key type
				// the platforms do not take.
				return verdict("key_unsupported", checks.Fail, "Type", typ)
			}
			weak := (typ == "RSA" && bits < 2048) || (strings.HasPrefix(typ, "ECDSA") && bits < 256)
			if weak {
				return verdict("key_weak", checks.Fail, "Type", typ, "Bits", bits)
			}
			return verdict("key_ok", checks.Pass, "Type", typ, "Bits", bits)
		}},
	{ID: "key_rsa_mpass", Description: "AGE's MPass library signs SAML requests with an RSA key only: another key type chosen for MPass is a warning.",
		Citation: "Egov.Integrations.MPass.Saml, src/Egov.Integrations.MPass.Saml/MPassSamlProtocolMessage.cs (SignAndEncode: RSA, RSA-SHA256)",
		Run: func(in *input) []checks.Check {
			if in.r.KeyType == "RSA" {
				return nil
			}
			if names := chosenWhere(in.opt, func(s assets.Service) bool { return s.RSAOnly }); names != "" {
				return verdict("key_not_rsa_mpass", checks.Warn, "Type", in.r.KeyType, "Services", names)
			}
			return nil
		}},
	{ID: "signature", Description: "The leaf is not signed with MD5 or SHA-1.",
		Citation: "CA/Browser Forum BR §7.1.3",
		Run: func(in *input) []checks.Check {
			switch in.c.SignatureAlgorithm {
			case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
				return verdict("sig_weak", checks.Fail, "Algorithm", in.c.SignatureAlgorithm.String())
			case x509.UnknownSignatureAlgorithm:
				return verdict("sig_unknown", checks.Warn)
			}
			return verdict("sig_ok", checks.Pass, "Algorithm", in.c.SignatureAlgorithm.String())
		}},
	{ID: "client_auth", Description: "MSign and MPower authenticate the system by TLS client certificate: the EKU must allow clientAuth.",
		Citation: "PRODUCT.md, Endpoints; RFC 5280 §4.2.1.12",
		Run: func(in *input) []checks.Check {
			has := len(in.c.ExtKeyUsage) == 0 && len(in.c.UnknownExtKeyUsage) == 0
			for _, u := range in.c.ExtKeyUsage {
				if u == x509.ExtKeyUsageClientAuth || u == x509.ExtKeyUsageAny {
					has = true
				}
			}
			if has {
				return verdict("client_auth", checks.Pass)
			}
			need := needsClientAuth(in.opt)
			if need == "" {
				return verdict("no_client_auth_mpass", checks.Info)
			}
			return verdict("no_client_auth", checks.Fail, "Services", need)
		}},
	{ID: "digital_signature", Description: "The key usage allows digitalSignature, which TLS client authentication and SAML signing use.",
		Citation: "RFC 5280 §4.2.1.3",
		Run: func(in *input) []checks.Check {
			if in.c.KeyUsage != 0 && in.c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
				return verdict("no_digital_signature", checks.Warn)
			}
			return nil
		}},
	{ID: "is_ca", Description: "A system certificate is an end-entity certificate, not a CA. A self-signed certificate made with `openssl req -x509` carries CA:TRUE by default; AGE's MPass guide accepts a self-signed certificate (mpass/integration-development.md \"Service registration\"), so there it is a note, not a failure.",
		Citation: "RFC 5280 §4.2.1.9; mpass/integration-development.md (MPass accepts a self-signed certificate)",
		Run: func(in *input) []checks.Check {
			if !in.c.IsCA {
				return nil
			}
			d := in.opt.data()
			// The certificate of a recognised authority (STISC's or AGE's
			// test root) picked instead of the system's own.
			if !isSelfSigned(in.c) || namedIssuer(in.c.Subject, d) != "" {
				return verdict("is_ca", checks.Fail)
			}
			// Self-signed and CA:TRUE: the issuer verdict already fails it for
			// the services that refuse self-signed certificates.
			if chosenWhere(in.opt, func(s assets.Service) bool { return !s.SelfSignedOK }) == "" {
				return verdict("is_ca_self_signed", checks.Info)
			}
			return nil
		}},
	{ID: "issuer", Description: "System certificates are issued by STISC (CTS until 2018); AGE's test PKI is for the test environment only. MPass also accepts a self-signed certificate; MSign and MPower accept only STISC's.",
		Citation: "seed 002 §4; mpass/integration-development.md (\"a self-signed or any existing certificate\"); msign/integration-development.md and mpower/security.md (STISC only); pki.cts.md (CTS, STISC's former name)",
		Run: func(in *input) []checks.Check {
			switch issuerOf(in.c, in.opt.data()) {
			case "stisc":
				return verdict("issuer_stisc", checks.Pass)
			case "age_test":
				if in.opt.production() {
					return verdict("issuer_age_test_production", checks.Fail)
				}
				return verdict("issuer_age_test", checks.Info)
			case "self":
				if strict := chosenWhere(in.opt, func(s assets.Service) bool { return !s.SelfSignedOK }); strict != "" {
					return verdict("self_signed", checks.Fail, "Services", strict)
				}
				return verdict("self_signed_mpass", checks.Warn)
			}
			// MPass takes "any existing certificate" (mpass/integration-development.md).
			if chosenWhere(in.opt, func(s assets.Service) bool { return !s.SelfSignedOK }) == "" {
				return verdict("issuer_unknown_mpass", checks.Info, "Issuer", in.c.Issuer.String())
			}
			return verdict("issuer_unknown", checks.Warn, "Issuer", in.c.Issuer.String())
		}},
	{ID: "chain", Description: "A file with a private key carries the intermediates the TLS handshake sends.",
		Citation: "RFC 8446 §4.4.2",
		Run: func(in *input) []checks.Check {
			if isSelfSigned(in.c) || (!in.l.HasKey() && len(in.l.Chain) == 0) {
				return nil
			}
			// A real chain is a few certificates long. Candidates are found by
			// name, and the walk checks at most chainSignatureChecks
			// signatures, so no bundle, however built, makes it slow.
			bySubject := make(map[string][]*x509.Certificate, len(in.l.Chain))
			for _, ca := range in.l.Chain {
				bySubject[string(ca.RawSubject)] = append(bySubject[string(ca.RawSubject)], ca)
			}
			onPath := map[*x509.Certificate]bool{in.c: true}
			left := chainSignatureChecks
			selfSigned := func(c *x509.Certificate) bool {
				if !bytes.Equal(c.RawIssuer, c.RawSubject) {
					return false // no signature to check
				}
				left -= 2
				return isSelfSigned(c)
			}
			cur, n := in.c, 0
			for !selfSigned(cur) {
				var next *x509.Certificate
				for _, ca := range bySubject[string(cur.RawIssuer)] {
					if left <= 0 {
						return verdict("chain_unchecked", checks.Warn)
					}
					if onPath[ca] {
						continue
					}
					if len(cur.AuthorityKeyId) > 0 && len(ca.SubjectKeyId) > 0 && !bytes.Equal(cur.AuthorityKeyId, ca.SubjectKeyId) {
						continue
					}
					left--
					if cur.CheckSignatureFrom(ca) == nil {
						next = ca
						break
					}
				}
				if next == nil {
					return verdict("chain_incomplete", checks.Warn, "Issuer", cur.Issuer.String())
				}
				onPath[next] = true
				cur, n = next, n+1
			}
			return verdict("chain_complete", checks.Pass, "Count", n)
		}},
	{ID: "key_match", Description: "The private key in the file belongs to the certificate.",
		Run: func(in *input) []checks.Check {
			if in.l.KeyMismatch {
				return verdict("key_mismatch", checks.Fail)
			}
			return nil
		}},
	{ID: "same_as_test", Description: "Production uses a different certificate from the test registration.",
		Citation: "mpass/integration-development.md (\"Service test and production environments MUST use a different certificate\"); mpass/process2.md, note on certificates (reuse within one system and one environment)",
		Run: func(in *input) []checks.Check {
			if in.opt.production() && in.opt.TestSHA256 != "" && strings.EqualFold(in.opt.TestSHA256, in.r.SHA256) {
				return verdict("same_as_test", checks.Fail)
			}
			return nil
		}},
}

// chainSignatureChecks bounds the signatures the chain verdict checks: a
// real chain (leaf, one or two intermediates, root) needs a handful.
const chainSignatureChecks = 24

// needsClientAuth names the chosen services that need TLS client
// authentication ("" when none does).
func needsClientAuth(opt Options) string {
	return chosenWhere(opt, func(s assets.Service) bool { return s.ClientAuth })
}

// chosenWhere names the chosen services (all when none is chosen) for which
// want holds, joined with ", " ("" when none).
func chosenWhere(opt Options, want func(assets.Service) bool) string {
	d := opt.data()
	var names []string
	for _, s := range d.Ordered() {
		chosen := len(opt.Services) == 0
		for _, id := range opt.Services {
			if id == s.ID {
				chosen = true
			}
		}
		if chosen && want(s) {
			names = append(names, s.Name)
		}
	}
	return strings.Join(names, ", ")
}

// issuerOf recognises who issued c: "stisc", "age_test", "self" or "".
func issuerOf(c *x509.Certificate, d *assets.Data) string {
	if isSelfSigned(c) {
		return "self"
	}
	return namedIssuer(c.Issuer, d)
}

// namedIssuer recognises an authority by its distinguished name: "stisc",
// "age_test" or "". An organisation matches when it contains a listed name as
// whole words (so "I.S. Centrul de Telecomunicații Speciale" matches
// "Centrul de Telecomunicații Speciale"); a common name matches exactly.
func namedIssuer(n pkix.Name, d *assets.Data) string {
	for _, id := range []string{"stisc", "age_test"} {
		is, ok := d.Issuers[id]
		if !ok {
			continue
		}
		for _, o := range n.Organization {
			for _, want := range is.Organizations {
				if w := fold(want); w != "" && strings.Contains(" "+fold(o)+" ", " "+w+" ") {
					return id
				}
			}
		}
		for _, want := range is.CommonNames {
			if fold(n.CommonName) == fold(want) {
				return id
			}
		}
	}
	return ""
}

// fold compares names regardless of case, diacritics (ș, ş and s match) and
// punctuation.
func fold(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return ' '
		}
		return r
	}, checks.RemoveDiacritics(s))
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
