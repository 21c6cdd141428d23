// Package safetext is the one sanitizer for text that comes from outside the
// program — a certificate, a server, a file, the environment — before it
// reaches a terminal or a text file. Control characters (C0, DEL, C1) and
// bidirectional-formatting characters are shown escaped (`\x1b`, `\u202e`),
// and bytes that are not valid UTF-8 are shown as `\xNN`, so no escape
// sequence from outside is ever interpreted by a terminal and no text can be
// made to read in another order than it is stored.
//
// JSON output keeps the exact value instead: encoding/json escapes C0 control
// characters itself, and JSON escapes the rest (DEL, C1, bidi) as \uXXXX, so
// the document parses back to the same strings.
package safetext

import (
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Line returns s safe to print as part of one line: every control character,
// line breaks and tabs included, is escaped.
func Line(s string) string { return escape(s, false) }

// Block returns s safe to print as several lines: like Line, but line feeds
// and tabs are kept (a carriage return is still escaped, since it lets a line
// overwrite itself).
func Block(s string) string { return escape(s, true) }

// Lines applies Line to each element of list, returning a new slice.
func Lines(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = Line(s)
	}
	return out
}

// IsSafe reports whether Line(s) == s: s holds nothing that needs escaping.
func IsSafe(s string) bool { return safePrefix(s, false) == len(s) }

// safePrefix returns the length of the longest prefix of s that needs no
// escaping.
func safePrefix(s string, block bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				if !(block && (c == '\n' || c == '\t')) {
					return i
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return len(s)
}

func escape(s string, block bool) string {
	n := safePrefix(s, block)
	if n == len(s) {
		return s // the common case: nothing to do, no allocation
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:n])
	for i := n; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 || c == 0x7f) && !(block && (c == '\n' || c == '\t')) {
				writeByte(&b, c)
			} else {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeByte(&b, c)
		case unsafeRune(r):
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hexDigits[(r>>uint(shift))&0xf])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func writeByte(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&0xf])
}

// unsafeRune reports the non-ASCII runes that are escaped: the C1 controls,
// the bidirectional embeddings, overrides and isolates, the implicit
// direction marks, and the line and paragraph separators.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls (CSI is U+009B)
		return true
	case r >= 0x202a && r <= 0x202e: // LRE RLE PDF LRO RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI RLI FSI PDI
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c: // LRM RLM ALM
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}
