package styles

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/internal/textwrap"
)

// Wrap wraps s to width cells between words: only a word longer than a whole
// line is cut. Terminal styles in s carry over to the next line. Unlike huh's
// own wrapping, a full stop, a comma or a hyphen inside a word
// ("process2.md", "10.800", "2023-02-23") is never a place to break. A width below 1 leaves s as it is.
func Wrap(s string, width int) string {
	if width < 1 {
		return s
	}
	return textwrap.Hyphens(s, func(s string) string { return lipgloss.Wrap(s, width, "") })
}

// Hang wraps s to width cells between words, with first before its first
// line and every other line indented by as many cells as first is wide
// ("  ✓ " followed by text that goes on under the text, not under the mark).
func Hang(first, s string, width int) string {
	n := lipgloss.Width(first)
	return first + strings.TrimLeft(textwrap.Indent(Wrap(s, width-n), n), " ")
}

// Row lays out a label and its value side by side in width cells: the label
// in a column labelW cells wide (wrapped within it, never into the value),
// the value wrapped between words in the rest. A value with a word too long
// for its column (a fingerprint, a long path) goes on the lines under its
// label, indented by two cells, where it has the whole width.
func Row(label, value string, labelW, width int) string {
	valueW := width - labelW
	if valueW < 12 || textwrap.LongestWord(value) > valueW {
		under := textwrap.Indent(Wrap(value, width-2), 2)
		if label == "" {
			return under
		}
		return Label.Render(Wrap(label, width)) + "\n" + under
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		lipgloss.NewStyle().Width(labelW).Render(Label.Render(Wrap(label, labelW-1))),
		Wrap(value, valueW))
}

// Indent puts n spaces before every line of s that is not empty.
func Indent(s string, n int) string { return textwrap.Indent(s, n) }
