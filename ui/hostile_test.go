package ui

import (
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// Service names from a --data file and the system name from saved answers
// reach the header and the resume screen escaped.
func TestShellShowsOutsideTextEscaped(t *testing.T) {
	a := export.NewAnswers()
	a.Services = []string{"mpass"}
	a.System.Name = "Sys " + testpki.Hostile
	a.Completed = []string{"services"}
	st := newShellTest(t, a, true)
	d := *assets.Embedded()
	d.Services = map[string]assets.Service{}
	for id, s := range assets.Embedded().Services {
		if id == "mpass" {
			s.Name = "MPass " + testpki.Hostile
		}
		d.Services[id] = s
	}
	st.m.c.Data = &d
	raw := st.m.View().Content
	for _, p := range []string{"\x1b]0;", "\x07", "\x1b[2J", "\r", "\b", "\u009b", "\u202e"} {
		if strings.Contains(raw, p) {
			t.Errorf("screen holds raw %q", p)
		}
	}
	esc := `\x1b]0;pwned\x07\x1b[2J\x0d\x08\u009b2J\u202eevil`
	st.sees("MPass "+esc, "Sys "+esc)
}
