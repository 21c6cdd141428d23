package checks

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// RemoveDiacritics strips accents and cedillas/commas below: "Informației
// şi" becomes "Informatiei si". For comparing names and making file names.
func RemoveDiacritics(s string) string {
	if isASCII(s) {
		// Nothing to decompose or remove: the transform would give s back,
		// after allocating its buffers.
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
