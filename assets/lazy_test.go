package assets

import (
	"strings"
	"testing"
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
		catsMu.Lock()
		cats["ro"] = &cat{lang: "ro", entries: map[string]any{"only.ro": "doar în română"}}
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

// TestEveryMessageMakesATemplate: messages become templates only when first
// rendered, so every message of every catalogue is made into one here; a
// broken template or plural map fails the test rather than a user's run.
func TestEveryMessageMakesATemplate(t *testing.T) {
	for _, l := range Languages {
		if err := catalogue(l).check(); err != nil {
			t.Error(err)
		}
	}
}

// TestMessageMadeOnFirstUse: rendering one message adds that message alone to
// the language's templates, and a message without placeholders needs none.
func TestMessageMadeOnFirstUse(t *testing.T) {
	withCatalogues(t, func() {
		c := catalogue("en")
		if got, want := T("en", "cli.flag.version"), c.entries["cli.flag.version"]; got != want {
			t.Fatalf("plain message %q, want %q", got, want)
		}
		if c.localizer != nil {
			t.Fatal("templates set up for a message without placeholders")
		}
		got := T("en", "cli.flag.help", "Command", "inspect")
		if !strings.Contains(got, "inspect") {
			t.Fatalf("cli.flag.help = %q, want the command name in it", got)
		}
		if len(c.added) != 1 {
			t.Fatalf("%d messages made into templates, want 1", len(c.added))
		}
	})
}
