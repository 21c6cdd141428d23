// Package textwrap wraps plain text for a terminal of a given width, between
// words only: a word is cut only when it is longer than a whole line. A full
// stop, comma or slash inside a word ("process2.md", "10.800",
// "clientAuth") is never a place to break. Width is counted in terminal
// cells (wide characters count two). A width below 1 means "do not wrap":
// every function then returns its text unchanged, so output written to a
// pipe or a file stays the same whatever the terminal.
package textwrap

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap wraps s to width cells between words; its own newlines are kept.
// Terminal escapes in s are kept too (they take no room).
func Wrap(s string, width int) string {
	if width < 1 {
		return s
	}
	return Hyphens(s, func(s string) string { return ansi.Wrap(s, width, "") })
}

// nbHyphen stands in for "-" while a wrapper runs: it has the same width
// and no wrapper breaks after it.
const nbHyphen = "\u2011"

// Hyphens runs wrap (a wrapper from github.com/charmbracelet/x/ansi, or one
// built on it, which always breaks after a hyphen) on s with its hyphens
// kept from being places to break: a date (2023-02-23), a serial or a name
// such as egov-moldova stays whole. Text that already holds a
// non-breaking hyphen is wrapped as it is.
func Hyphens(s string, wrap func(string) string) string {
	if !strings.Contains(s, "-") || strings.Contains(s, nbHyphen) {
		return wrap(s)
	}
	return strings.ReplaceAll(wrap(strings.ReplaceAll(s, "-", nbHyphen)), nbHyphen, "-")
}

// Indent puts n spaces before every line of s that is not empty.
func Indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// Hang writes first, then s wrapped to the rest of the width, its further
// lines indented as far as first is wide: "  FAIL  The certificate …" goes on
// under "The". When first leaves fewer than 20 cells, s starts on the next
// line, two cells in from first's own start.
func Hang(first, s string, width int) string {
	if width < 1 {
		return first + s
	}
	n := ansi.StringWidth(first)
	if width-n < 20 {
		lead := len(first) - len(strings.TrimLeft(first, " ")) + 2
		return strings.TrimRight(first, " ") + "\n" + Indent(Wrap(s, max(width-lead, 1)), lead)
	}
	return first + strings.TrimLeft(Indent(Wrap(s, width-n), n), " ")
}

// LongestWord is the width in cells of the longest run of s without a space.
func LongestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(ansi.Strip(s)) {
		n = max(n, ansi.StringWidth(w))
	}
	return n
}
