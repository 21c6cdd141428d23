package steps

import (
	"slices"
	"strings"
	"testing"
)

// NameIdentifier, which MPass always returns, stays ticked whatever is
// pressed on it.
func TestNameIdentifierCannotBeUnticked(t *testing.T) {
	for _, lang := range []string{"ro", "ru"} {
		c := contextIn(lang)
		c.Answers.Services = []string{"mpass"}
		f := &mpassForm{c: c}
		st := startScreen(t, c, newFormScreen(c, f.attributesPhase()))
		label := c.T("mpass.attribute.always", "Name", "NameIdentifier")
		st.focus(c.T("mpass.attributes")).sees("[✓] " + label)
		st.keys("space")
		st.sees("[✓] " + label)
		st.keys("ctrl+a", "ctrl+a") // all, then none
		st.sees("[✓] " + label)
		if strings.Contains(st.view(), "[✓] FirstName") {
			t.Errorf("%s: select none left FirstName ticked:\n%s", lang, st.view())
		}
		st.keys("enter", "tab")
		st.wantDone(true)
		if a := c.Answers.MPass.Attributes; !slices.Equal(a, []string{"NameIdentifier"}) {
			t.Errorf("%s: attributes %v", lang, a)
		}
	}
}
