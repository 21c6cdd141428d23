package cert

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
	"unicode"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// Helpers the rules share: which chosen services a property concerns, and
// who issued a certificate.

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
