package styles

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Wrap wraps s to width cells between words: only a word longer than a whole
// line is cut. Terminal styles in s carry over to the next line. Unlike huh's
// own wrapping, a full stop or a comma inside a word ("process2.md",
// "10.800") is never a place to break. A width below 1 leaves s as it is.
func Wrap(s string, width int) string {
	if width < 1 {
		return s
	}
	return lipgloss.Wrap(s, width, "")
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

// Hang wraps s to width cells between words, with first before its first
// line and every other line indented by as many cells as first is wide
// ("  ✓ " followed by text that goes on under the text, not under the mark).
func Hang(first, s string, width int) string {
	n := lipgloss.Width(first)
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

// Row lays out a label and its value side by side in width cells: the label
// in a column labelW cells wide (wrapped within it, never into the value),
// the value wrapped between words in the rest. A value with a word too long
// for its column (a fingerprint, a long path) goes on the lines under its
// label, indented by two cells, where it has the whole width.
func Row(label, value string, labelW, width int) string {
	valueW := width - labelW
	if valueW < 12 || LongestWord(value) > valueW {
		under := Indent(Wrap(value, width-2), 2)
		if label == "" {
			return under
		}
		return Label.Render(Wrap(label, width)) + "\n" + under
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		lipgloss.NewStyle().Width(labelW).Render(Label.Render(Wrap(label, labelW-1))),
		Wrap(value, valueW))
}
