package checks

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
)

type multiErr struct{}

func (multiErr) Error() string         { return "two problems:\n  one\x1b[2J\n  two" }
func (multiErr) In(lang string) string { return "two problems (" + lang + "):\n  one\x1b[2J\n  two" }

func TestLocalizeEscapesErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{errors.New("open x\x1b]0;pwned\x07: no such file\nforged"), `open x\x1b]0;pwned\x07: no such file\x0aforged`},
		{fmt.Errorf("wrapped: %w", Problemf("cli.cert.load_failed", "File", "a\u202e.pfx", "Err", "x")), `a\u202e.pfx: x`},
		// An error that renders itself speaks in the language asked for,
		// wrapped or not, its line breaks kept and its controls escaped.
		{multiErr{}, "two problems (ro):\n  one\\x1b[2J\n  two"},
		{fmt.Errorf("answers.json: %w", multiErr{}), "two problems (ro):\n  one\\x1b[2J\n  two"},
	} {
		if got := Localize(c.err, "ro"); got != c.want {
			t.Errorf("Localize(%q) = %q, want %q", c.err, got, c.want)
		}
	}
}

// Severities are ordered best to worst, and read and write as the names
// --json has always used.
func TestSeverityOrderAndNames(t *testing.T) {
	names := []string{"pass", "info", "skip", "warn", "fail"}
	for i, s := range Severities() {
		if s.String() != names[i] || s.Rank() != i {
			t.Errorf("severity %d: %q rank %d, want %q rank %d", int(s), s, s.Rank(), names[i], i)
		}
		if i > 0 && !(Severities()[i-1] < s) {
			t.Errorf("%s is not worse than %s", s, Severities()[i-1])
		}
		b, err := json.Marshal(Check{ID: "x", Severity: s, Message: assets.Msg("cert.valid")})
		if err != nil || !strings.Contains(string(b), `"severity":"`+names[i]+`"`) {
			t.Errorf("%s in JSON: %s (%v)", s, b, err)
		}
		var back struct{ Severity Severity }
		if err := json.Unmarshal([]byte(`{"Severity":"`+names[i]+`"}`), &back); err != nil || back.Severity != s {
			t.Errorf("%q read back as %v (%v)", names[i], back.Severity, err)
		}
	}
	var unset Severity
	if _, err := json.Marshal(Check{ID: "x", Severity: unset}); err == nil {
		t.Error("a check with no severity was written as JSON")
	}
	var back struct{ Severity Severity }
	if err := json.Unmarshal([]byte(`{"Severity":"fatal"}`), &back); err == nil {
		t.Error(`"fatal" read as a severity`)
	}
	if unset == Pass || unset.Valid() {
		t.Error("the zero severity reads as pass")
	}
}

func TestWorst(t *testing.T) {
	if got := Worst(nil); got != Pass {
		t.Errorf("Worst(nil) = %s", got)
	}
	list := []Check{{Severity: Info}, {Severity: Fail}, {Severity: Warn}, {Severity: Skip}}
	if got := Worst(list); got != Fail {
		t.Errorf("Worst = %s, want fail", got)
	}
	if got := Worst(list[2:]); got != Warn {
		t.Errorf("Worst(warn, skip) = %s, want warn", got)
	}
}
