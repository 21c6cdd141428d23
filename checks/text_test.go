package checks

import (
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// TestRemoveDiacritics: accents, cedillas and commas below go; ASCII text,
// every character of it, comes back exactly as the full transform gives it.
func TestRemoveDiacritics(t *testing.T) {
	for in, want := range map[string]string{
		"Informației şi Tehnologiei":                 "Informatiei si Tehnologiei",
		"Î.S. „Centrul de Telecomunicații Speciale”": "I.S. „Centrul de Telecomunicatii Speciale”",
		"Ştefan Ţară":                                "Stefan Tara",
		"Агентство":                                  "Агентство",
		"plain ASCII.":                               "plain ASCII.",
		"":                                           "",
	} {
		if got := RemoveDiacritics(in); got != want {
			t.Errorf("RemoveDiacritics(%q) = %q, want %q", in, got, want)
		}
	}
	var all []byte
	for c := range 128 {
		all = append(all, byte(c))
	}
	full := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	want, _, _ := transform.String(full, string(all))
	if got := RemoveDiacritics(string(all)); got != want || got != string(all) {
		t.Errorf("ASCII: %q, the transform gives %q", got, want)
	}
}
