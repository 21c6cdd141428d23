package assets

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A message states a fact about AGE's procedure when its English text names
// AGE, STISC or a platform (or cites a document) and says what is accepted,
// required, allowed, registered or paid. Such a message carries a
// "# Source: …" comment directly above its key, naming a seed (seed 000,
// seed 002 §N) or one of AGE's developer documents (egov4dev docs/…).
var (
	factMarker = regexp.MustCompile(`\b(AGE|STISC|CTS|MPass|MSign|MPower)\b|egov\.md|\.md\b|§`)
	ruleWord   = regexp.MustCompile(`(?i)\b(accepts?|only|must|needs?|requires?|allows?|refuses?|forbids?|fee|free of charge|never|before|registered)\b`)
)

// Messages the rule above matches that state no fact of AGE's: they are
// about networking in general or about egovsetup itself.
var notFacts = map[string]string{
	"package.demo":                "egovsetup's own DEMO marking",
	"net.tcp.proxy_failed.remedy": "the user's own proxy",
	"net.tls.timeout.remedy":      "a firewall or proxy on the user's side",
	"net.mtls.not_asked.remedy":   "TLS inspection in general",
}

// Where a Source comment may point: the seeds, AGE's developer documents,
// AGE's libraries, a standard, or an honest "none at AGE".
var sourceForm = regexp.MustCompile(`seed 00[02]\b|egov4dev docs/|Egov\.Integrations\.|RFC \d+|State Register|none at AGE`)

// The egov4dev documents a Source comment may name (egov-moldova/egov4dev,
// docs/platforms and docs/guides/{mpass,msign,mpower}).
var egov4devDocs = []string{
	"docs/platforms/index.md", "docs/platforms/procedure.md",
	"docs/guides/mpass/index.md", "docs/guides/mpass/process2.md",
	"docs/guides/mpass/integration-development.md", "docs/guides/mpass/integration-tests.md",
	"docs/guides/mpass/api-reference.md",
	"docs/guides/msign/process.md", "docs/guides/msign/integration-development.md",
	"docs/guides/msign/api-reference.md",
	"docs/guides/mpower/integration-development.md", "docs/guides/mpower/security.md",
	"docs/guides/mpower/api-reference.md",
}

var docPath = regexp.MustCompile(`docs/[a-z0-9/_-]+\.md`)

// catalogueComments maps each top-level key of a catalogue to its English
// text (plural forms joined) and the comment directly above it.
func catalogueComments(data []byte) (texts, comments map[string]string, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, err
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("not a mapping")
	}
	m := doc.Content[0]
	texts, comments = map[string]string{}, map[string]string{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		text := v.Value
		if v.Kind == yaml.MappingNode {
			var forms []string
			for j := 1; j < len(v.Content); j += 2 {
				forms = append(forms, v.Content[j].Value)
			}
			text = strings.Join(forms, " ")
		}
		texts[k.Value] = text
		// A comment separated from the key by a blank line belongs to the
		// section, not to the key: keep only the lines right above it.
		head := k.HeadComment
		if j := strings.LastIndex(head, "\n\n"); j >= 0 {
			head = head[j+2:]
		}
		comments[k.Value] = head
	}
	return texts, comments, nil
}

func sourceOf(comment string) string {
	for _, line := range strings.Split(comment, "\n") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(line), "# Source: "); ok {
			return s
		}
	}
	return ""
}

// unsourcedFacts lists the keys whose English text states a fact about AGE
// without a Source comment.
func unsourcedFacts(texts, comments map[string]string) []string {
	var out []string
	for k, v := range texts {
		if _, ok := notFacts[k]; ok {
			continue
		}
		if factMarker.MatchString(v) && ruleWord.MatchString(v) && sourceOf(comments[k]) == "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func catalogueSources(t *testing.T, lang string) (texts, comments map[string]string) {
	t.Helper()
	data, err := catalogueBytes(lang)
	if err != nil {
		t.Fatal(err)
	}
	texts, comments, err = catalogueComments(data)
	if err != nil {
		t.Fatalf("%s.yaml: %v", lang, err)
	}
	return texts, comments
}

// Every message that states a fact about AGE's procedure names its source
// (seed 002, seed 000 or egov4dev docs/…), and the Romanian and Russian
// catalogues carry the same Source comment above the same key.
func TestFactMessagesCiteTheirSource(t *testing.T) {
	texts, comments := catalogueSources(t, "en")
	for _, k := range unsourcedFacts(texts, comments) {
		t.Errorf("en.yaml: %s states a fact about AGE but has no \"# Source:\" comment above it: %q", k, texts[k])
	}
	sourced := 0
	for k, c := range comments {
		src := sourceOf(c)
		if src == "" {
			continue
		}
		sourced++
		if !sourceForm.MatchString(src) {
			t.Errorf("en.yaml: the source of %s names no seed, egov4dev document or standard: %q", k, src)
		}
		for _, p := range docPath.FindAllString(src, -1) {
			if !slices.Contains(egov4devDocs, p) {
				t.Errorf("en.yaml: the source of %s names %s, which is not one of AGE's documents egovsetup follows", k, p)
			}
		}
	}
	if sourced < 100 {
		t.Errorf("only %d messages in en.yaml cite a source", sourced)
	}
	for _, lang := range Languages[1:] {
		_, other := catalogueSources(t, lang)
		for k, c := range comments {
			if want, got := sourceOf(c), sourceOf(other[k]); want != got {
				t.Errorf("%s.yaml: %s has source %q, en.yaml has %q", lang, k, got, want)
			}
		}
		for k, c := range other {
			if sourceOf(c) != "" && sourceOf(comments[k]) == "" {
				t.Errorf("%s.yaml: %s has a source that en.yaml lacks", lang, k)
			}
		}
	}
}

// The rule catches a fact without a source, and accepts it with one; a
// comment left above a section does not count for the key under it.
func TestUnsourcedFactsRule(t *testing.T) {
	cat := []byte(`# --- wizard ---

plain.prompt: "Where should the package be written?"
fact.bare: "MSign accepts calls only from registered addresses."
# Source: seed 002 §5
fact.sourced: "AGE needs the certificate as a .cer."
fact.plural:
  one: "{{.Count}} day: MPower requires a STISC certificate."
  other: "{{.Count}} days: MPower requires a STISC certificate."
`)
	texts, comments, err := catalogueComments(cat)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := unsourcedFacts(texts, comments), []string{"fact.bare", "fact.plural"}; !slices.Equal(got, want) {
		t.Errorf("unsourced facts = %v, want %v", got, want)
	}
	if got := sourceOf(comments["plain.prompt"]); got != "" {
		t.Errorf("the section comment counted as the source of plain.prompt: %q", got)
	}
}

// Messages checked against AGE's documents, each with its source.
func TestMessagesAgreeWithAGEDocs(t *testing.T) {
	cases := []struct {
		key, source string
		has, lacks  []string
	}{
		// AGE's guides name no key type: the RSA/EC rule is egovsetup's own.
		{"cert.key_unsupported", "none at AGE", []string{"egovsetup accepts only RSA", "AGE's guides name no key type"},
			[]string{"AGE's platforms do not accept"}},
		// "please generate a self-signed or provide any existing certificate".
		{"cert.is_ca_self_signed", "mpass/integration-development.md", []string{"AGE's MPass guide accepts a self-signed certificate"},
			[]string{"MPass only checks"}},
		// MSign asks for "a certificate for authentication" from STISC; no
		// document says which key usages STISC's certificates carry.
		{"cert.no_client_auth.remedy", "msign/integration-development.md", []string{"certificate for authentication", "clientAuth"},
			[]string{"STISC's system certificates carry"}},
		// A local development machine, http://localhost in AGE's examples.
		{"mpass.test.logout_request.description", "mpass/integration-development.md", []string{"localhost address is accepted, over http too"}, nil},
		{"validate.url.not_https", "mpass/api-reference.md", []string{"http is accepted only for localhost on the test environment"}, nil},
		// Seed 002 §1 (10 working days), §3 (30 days); mpass/process2.md (7 working days).
		{"package.next_steps", "seed 002 §1 (10 working days)", []string{"at most 7 working days", "10 working days", "30 days"}, nil},
		// The example institution is not AGE (AGE never requests its own integration).
		{"org.name.placeholder", "", nil, []string{"Guvernare Electronică"}},
	}
	texts, comments := catalogueSources(t, "en")
	for _, c := range cases {
		text := texts[c.key]
		for _, w := range c.has {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q: %q", c.key, w, text)
			}
		}
		for _, w := range c.lacks {
			if strings.Contains(text, w) {
				t.Errorf("%s still says %q: %q", c.key, w, text)
			}
		}
		if !strings.Contains(sourceOf(comments[c.key]), c.source) {
			t.Errorf("the source of %s does not name %q: %q", c.key, c.source, sourceOf(comments[c.key]))
		}
	}
}
