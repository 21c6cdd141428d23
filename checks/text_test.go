package checks

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// TestRemoveDiacritics: accents, cedillas and commas below go; every
// character of ASCII, and text in any script, marks and bytes that are not
// UTF-8 included, comes back as x/text's transform chain NFD, remove Mn, NFC
// gives it.
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
	for _, s := range []string{
		string(all),
		"Î.S. „Centrul de Telecomunicații Speciale” şi Întreprinderea de Stat",
		"Ёлка, йогурт, Агентство Электронного Управления",
		"ȩ́ ạ̊ ṩ Ångström Å ﬁ क़ 한국어 日本語",
		"́ leading mark, trailing mark é",
		"bad ÿþ bytes â cut Ì Ã",
		strings.Repeat("ț", 3000) + "x",
	} {
		want, _, err := transform.String(full, s)
		if err != nil {
			t.Fatal(err)
		}
		if got := RemoveDiacritics(s); got != want {
			t.Errorf("RemoveDiacritics(%q) = %q, the transform gives %q", s, got, want)
		}
	}
}

// TestRemoveDiacriticsMixed: strings drawn at random from letters, marks,
// Hangul, ligatures and stray bytes read as the transform chain reads them.
func TestRemoveDiacriticsMixed(t *testing.T) {
	pieces := []string{"a", "e", "I", "ș", "ş", "ț", "ţ", "ă", "â", "î", "й", "ё", "\u0301", "\u0327", "\u0306",
		"\u0323", "한", "\u1100", "\u1161", "\ufb01", "\u212b", " ", ".", "\xff", "\xe2\x82", "\xcc", "\x81"}
	full := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		want, _, err := transform.String(full, s)
		if err != nil {
			t.Fatal(err)
		}
		if got := RemoveDiacritics(s); got != want {
			t.Fatalf("RemoveDiacritics(%q) = %q, the transform gives %q", s, got, want)
		}
	}
}
