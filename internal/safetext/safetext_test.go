package safetext

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"Agenția de Guvernare Electronică", "Agenția de Guvernare Electronică"},
		{"Электронное правительство", "Электронное правительство"},
		{`C:\Users\ion`, `C:\Users\ion`},
		{"\x1b]0;pwned\x07title", `\x1b]0;pwned\x07title`},
		{"\x1b[2J\x1b[32m✓ All checks passed", `\x1b[2J\x1b[32m✓ All checks passed`},
		{"a\rb", `a\x0db`},
		{"a\bb", `a\x08b`},
		{"a\x7fb", `a\x7fb`},
		{"line1\nline2\tx", `line1\x0aline2\x09x`},
		{"\u009b2J", `\u009b2J`},
		{"abc\u202edcba", `abc\u202edcba`},
		{"\u2066x\u2069", `\u2066x\u2069`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"", ""},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestBlockKeepsLineFeedsAndTabs(t *testing.T) {
	got := Block("one\n\ttwo\r\x1b[Athree")
	want := "one\n\ttwo\\x0d\\x1b[Athree"
	if got != want {
		t.Errorf("Block = %q, want %q", got, want)
	}
}

func TestLinesCopies(t *testing.T) {
	in := []string{"a\x1b", "b"}
	out := Lines(in)
	if out[0] != `a\x1b` || in[0] != "a\x1b" {
		t.Errorf("Lines = %q (input %q)", out, in)
	}
	if Lines(nil) != nil {
		t.Error("Lines(nil) should be nil")
	}
}

// dangerous reports whether s holds anything a terminal could act on.
func dangerous(s string, block bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if block && (r == '\n' || r == '\t') {
			continue
		}
		if r < 0x20 || r == 0x7f || unsafeRune(r) {
			return true
		}
	}
	return false
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b]0;t\x07", "\u202e", "\xff\xfe", "ș ț Ж", "\r\n\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, block := range []bool{false, true} {
			got := escape(s, block)
			if dangerous(got, block) {
				t.Fatalf("escape(%q, %v) = %q still holds a control", s, block, got)
			}
			if !dangerous(s, block) && got != s {
				t.Fatalf("escape(%q, %v) = %q changed safe text", s, block, got)
			}
			// Escaping is idempotent: the escaped form is plain ASCII escapes.
			if again := escape(got, block); again != got {
				t.Fatalf("escape not idempotent: %q → %q", got, again)
			}
			// Nothing is lost: every safe rune of s is still there, in order.
			if block && !strings.Contains(got, strings.Map(func(r rune) rune {
				if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f && !unsafeRune(r) && r != utf8.RuneError) {
					return r
				}
				return -1
			}, firstSafeRun(s))) {
				t.Fatalf("escape(%q) lost text: %q", s, got)
			}
		}
	})
}

// firstSafeRun returns the leading run of s that needs no escaping in a block.
func firstSafeRun(s string) string { return s[:safePrefix(s, true)] }

func BenchmarkLineClean(b *testing.B) {
	s := strings.Repeat("IP Serviciul Tehnologia Informației ", 4)
	for b.Loop() {
		_ = Line(s)
	}
}

func TestJSONEscapesWhatEncodingJSONLeavesRaw(t *testing.T) {
	in := "CN=\x1b]0;pwned\x07 \x7f \u009b2J abc\u202edcba \u2066x\u2069 ș Ж"
	b, err := json.Marshal(map[string]string{"subject": in})
	if err != nil {
		t.Fatal(err)
	}
	got := string(JSON(b))
	want := `{"subject":"CN=\u001b]0;pwned\u0007 \u007f \u009b2J abc\u202edcba \u2066x\u2069 ș Ж"}`
	if got != want {
		t.Errorf("JSON = %s\nwant   %s", got, want)
	}
	var back map[string]string
	if err := json.Unmarshal([]byte(got), &back); err != nil || back["subject"] != in {
		t.Errorf("parsed back to %q (%v), want %q", back["subject"], err, in)
	}
	clean := []byte(`{"a":"plain ș"}`)
	if out := JSON(clean); &out[0] != &clean[0] {
		t.Error("JSON copied a document that needed nothing")
	}
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b]0;t\x07", "\u202e", "\u009b", "\x7f", "\xff\xfe", "ș ț Ж", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal([]string{s, "k\u202e" + s})
		if err != nil {
			t.Skip()
		}
		got := JSON(b)
		if !utf8.Valid(got) {
			t.Fatalf("JSON(%q) is not UTF-8", b)
		}
		for _, r := range string(got) {
			if r < 0x20 || r == 0x7f || unsafeRune(r) {
				t.Fatalf("JSON(%q) = %q holds raw %U", b, got, r)
			}
		}
		var want, back []string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("JSON(%q) = %q does not parse: %v", b, got, err)
		}
		if !slices.Equal(back, want) {
			t.Fatalf("JSON changed the values: %q, want %q", back, want)
		}
	})
}

func BenchmarkLineHostile(b *testing.B) {
	s := strings.Repeat("CN=\x1b]0;pwned\x07\x1b[2J\r\b\u009b2J\u202eevil ", 4)
	for b.Loop() {
		_ = Line(s)
	}
}

func BenchmarkJSON(b *testing.B) {
	doc, _ := json.MarshalIndent(map[string]string{
		"subject": "CN=IP Serviciul Tehnologia Informației, O=STISC, C=MD",
		"issuer":  "CN=\x1b]0;pwned\x07\u009b2J\u202eevil",
	}, "", "  ")
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		_ = JSON(doc)
	}
}
