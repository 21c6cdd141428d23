package checks

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// RemoveDiacritics strips accents and cedillas/commas below: "Informației
// şi" becomes "Informatiei si". For comparing names and making file names.
//
// It decomposes s (NFD), drops the nonspacing marks (Unicode category Mn)
// and composes what is left (NFC). A byte that is not UTF-8 becomes U+FFFD,
// so that no run of such bytes can turn into a character whose mark escaped
// removal.
func RemoveDiacritics(s string) string {
	if isASCII(s) {
		// Nothing to decompose or remove.
		return s
	}
	d := norm.NFD.String(s)
	kept := make([]byte, 0, len(d))
	for i := 0; i < len(d); {
		r, n := utf8.DecodeRuneInString(d[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			kept = utf8.AppendRune(kept, utf8.RuneError)
		case !unicode.Is(unicode.Mn, r):
			kept = append(kept, d[i:i+n]...)
		}
		i += n
	}
	return norm.NFC.String(string(kept))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
