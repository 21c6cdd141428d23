package steps

import "github.com/egovmd/egovsetup/internal/styles"

// Desc is catalogue message key, wrapped between words to fit a form
// field's description on the screen. huh wraps a description itself
// wherever it finds a full stop, comma or hyphen ("process2.⏎md",
// "10.⏎800 lei"); text that already fits is left as it is.
func (c *Context) Desc(key string, kv ...any) string { return c.Fit(c.T(key, kv...)) }

// Fit wraps s between words to the width of a form field's text: the
// screen's width less the two cells of the field's left border and
// padding. Before the width is known, s is returned as it is.
func (c *Context) Fit(s string) string {
	if c.Width <= 2 {
		return s
	}
	return styles.Wrap(s, c.Width-2)
}
