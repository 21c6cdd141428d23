package assets

import (
	"bytes"
	"strconv"
	"strings"
)

// readCatalogue reads a message catalogue written in the plain shape the
// catalogues use, which a general YAML parser takes several milliseconds
// over on every start:
//
//	# comment
//	key: "double-quoted text"
//	key: |-
//	  literal block, indented
//	key:
//	  one: "plural form"
//	  other: "plural form"
//
// ok is false for anything outside that shape (another quoting, an escape
// whose meaning differs between YAML and Go, a trailing comment, a repeated
// key, a tab in the indentation...); the caller then uses the YAML parser, so
// the result never differs from it. The tests compare both on every
// catalogue.
func readCatalogue(b string) (m map[string]any, ok bool) {
	lines := strings.Split(b, "\n")
	m = make(map[string]any, len(lines))
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSuffix(lines[i], "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		key, rest, found := strings.Cut(line, ":")
		if !found || !plainKey(key) {
			return nil, false
		}
		if _, dup := m[key]; dup {
			return nil, false
		}
		var v any
		switch rest {
		case "":
			v, i, ok = readPlural(lines, i)
		case " |-":
			v, i, ok = readBlock(lines, i)
		default:
			v, ok = quoted(strings.TrimPrefix(rest, " "))
			ok = ok && rest[0] == ' '
		}
		if !ok {
			return nil, false
		}
		m[key] = v
	}
	return m, true
}

// readPlural reads the map of plural forms after line i, each
// "  form: "text"", and returns it with the index of its last line.
func readPlural(lines []string, i int) (map[string]any, int, bool) {
	forms := map[string]any{}
	for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "  ") {
		i++
		l := strings.TrimSuffix(lines[i], "\r")
		form, v, found := strings.Cut(l[2:], ": ")
		if !found || !plainKey(form) {
			return nil, i, false
		}
		s, ok := quoted(v)
		if _, dup := forms[form]; !ok || dup {
			return nil, i, false
		}
		forms[form] = s
	}
	return forms, i, len(forms) > 0
}

// readBlock reads the literal block ("|-") after line i, indented by two
// spaces, and returns its text with the index of its last line.
func readBlock(lines []string, i int) (string, int, bool) {
	var block []string
	for i+1 < len(lines) {
		l := strings.TrimSuffix(lines[i+1], "\r")
		if l != "" && !strings.HasPrefix(l, "  ") {
			break
		}
		if strings.HasPrefix(l, "   ") && len(block) == 0 {
			return "", i, false // deeper first line: YAML would indent by it
		}
		i++
		if l == "" {
			block = append(block, "")
		} else {
			block = append(block, l[2:])
		}
	}
	for len(block) > 0 && block[len(block)-1] == "" {
		block = block[:len(block)-1]
	}
	for _, l := range block {
		if strings.IndexByte(l, '\t') >= 0 {
			return "", i, false
		}
	}
	return strings.Join(block, "\n"), i, len(block) > 0
}

// plainKey: letters, digits, '_', '.' and '-' only.
func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// quoted reads a whole-line YAML double-quoted scalar whose escapes mean the
// same in Go: \" \\ \n \t \r \uXXXX \UXXXXXXXX.
func quoted(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	body := v[1 : len(v)-1]
	if strings.IndexByte(body, '\\') < 0 {
		if strings.IndexByte(body, '"') >= 0 || strings.IndexByte(body, '\t') >= 0 ||
			strings.IndexByte(body, '\r') >= 0 || strings.IndexByte(body, '\n') >= 0 {
			return "", false
		}
		return body, true
	}
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' {
			if i+1 >= len(body) || bytes.IndexByte([]byte(`"\ntruU`), body[i+1]) < 0 {
				return "", false
			}
			i++
		}
	}
	s, err := strconv.Unquote(v)
	return s, err == nil
}
