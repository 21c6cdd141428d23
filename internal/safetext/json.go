package safetext

import "unicode/utf8"

// JSON returns b, a document written by encoding/json, with the characters
// encoding/json leaves raw that a terminal could act on — DEL, the C1 controls
// and the bidirectional-formatting characters — written as \u escapes. The
// document means exactly the same once parsed: those characters can only
// appear inside strings, where \uXXXX stands for the character itself. C0
// controls are already escaped by encoding/json, and invalid UTF-8 is
// already replaced by U+FFFD.
func JSON(b []byte) []byte {
	n := jsonSafePrefix(b)
	if n == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:n]...)
	for i := n; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				out = append(out, `\u007f`...)
			} else {
				out = append(out, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			out = append(out, '\\', 'u')
			for shift := 12; shift >= 0; shift -= 4 {
				out = append(out, hexDigits[(r>>uint(shift))&0xf])
			}
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

func jsonSafePrefix(b []byte) int {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			return i
		}
		i += size
	}
	return len(b)
}
