package assets

import (
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// withCatalogues runs f with an empty catalogue cache and restores it after.
func withCatalogues(t *testing.T, f func()) {
	t.Helper()
	catsMu.Lock()
	saved := cats
	cats = map[string]*cat{}
	catsMu.Unlock()
	defer func() {
		catsMu.Lock()
		cats = saved
		catsMu.Unlock()
	}()
	f()
}

func loaded() map[string]bool {
	catsMu.Lock()
	defer catsMu.Unlock()
	out := map[string]bool{}
	for l := range cats {
		out[l] = true
	}
	return out
}

// TestOnlyNeededCataloguesParsed: a Russian message parses the Russian
// catalogue only; English is not parsed while Russian has every message.
func TestOnlyNeededCataloguesParsed(t *testing.T) {
	withCatalogues(t, func() {
		got := T("ru", "cli.flag.version")
		want, _ := Raw("ru", "cli.flag.version")
		if got != want {
			t.Fatalf("ru message %q, want %q", got, want)
		}
		if l := loaded(); l["en"] || l["ro"] || !l["ru"] {
			t.Fatalf("parsed catalogues %v, want ru only", l)
		}
	})
}

// TestMissingMessageFallsBackToEnglish: a message a translation lacks is
// shown in English, and only then is the English catalogue parsed.
func TestMissingMessageFallsBackToEnglish(t *testing.T) {
	withCatalogues(t, func() {
		b := i18n.NewBundle(language.Romanian)
		b.MustAddMessages(language.Romanian, &i18n.Message{ID: "only.ro", Other: "doar în română"})
		catsMu.Lock()
		cats["ro"] = &cat{localizer: i18n.NewLocalizer(b, "ro"), raw: map[string]string{"only.ro": "doar în română"}}
		catsMu.Unlock()

		if got := T("ro", "only.ro"); got != "doar în română" {
			t.Fatalf("own message: %q", got)
		}
		if loaded()["en"] {
			t.Fatal("English parsed although no message was missing")
		}
		want, _ := Raw("en", "cli.flag.version")
		if got := T("ro", "cli.flag.version"); got != want || want == "" {
			t.Fatalf("missing message: %q, want the English %q", got, want)
		}
		if got := T("ro", "no.such.key"); got != "no.such.key" {
			t.Fatalf("unknown key: %q", got)
		}
	})
}
