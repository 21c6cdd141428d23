package styles

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks between words only: a full stop or a comma inside a word is
// not a place to break, as it is in huh's own wrapping.
func TestWrapBreaksBetweenWords(t *testing.T) {
	s := "AGE's form asks for the test and the production URLs together (mpass/process2.md, step 3); fee 10.800 lei."
	for width := 20; width <= 80; width++ {
		got := Wrap(s, width)
		for _, l := range strings.Split(got, "\n") {
			if ansi.StringWidth(l) > width {
				t.Errorf("width %d: line %q too wide", width, l)
			}
		}
		if strings.Join(strings.Fields(got), " ") != s {
			t.Errorf("width %d: words changed or broken:\n%s", width, got)
		}
	}
}

// A row keeps its label in its column beside a value that fits, and puts a
// value with a word too long for the column under the label.
func TestRowPutsALongWordUnderItsLabel(t *testing.T) {
	beside := ansi.Strip(Row("Subject", "CN=system.example.md, O=Test System SRL, C=MD", 20, 60))
	if !strings.HasPrefix(beside, "Subject             CN=system.example.md,") {
		t.Errorf("beside:\n%s", beside)
	}
	fp := strings.Repeat("0123456789ABCDEF", 4)
	under := ansi.Strip(Row("SHA-256", fp, 20, 78))
	if under != "SHA-256\n  "+fp {
		t.Errorf("under:\n%s", under)
	}
}
