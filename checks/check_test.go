package checks

import (
	"errors"
	"fmt"
	"testing"
)

type multiErr struct{}

func (multiErr) Error() string         { return "two problems:\n  one\x1b[2J\n  two" }
func (multiErr) In(lang string) string { return "localized" }

func TestLocalizeEscapesErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{errors.New("open x\x1b]0;pwned\x07: no such file\nforged"), `open x\x1b]0;pwned\x07: no such file\x0aforged`},
		{fmt.Errorf("wrapped: %w", Problemf("cli.cert.load_failed", "File", "a\u202e.pfx", "Err", "x")), `a\u202e.pfx: x`},
		{multiErr{}, "two problems:\n  one\\x1b[2J\n  two"},
	} {
		if got := Localize(c.err, "en"); got != c.want {
			t.Errorf("Localize(%q) = %q, want %q", c.err, got, c.want)
		}
	}
}
