package assets

import (
	"bytes"
	"hash/maphash"
	"strconv"
	"strings"
)

// A message catalogue is written in a plain shape, which a general YAML
// parser takes several milliseconds over on every start:
//
//	# comment
//	key: "double-quoted text"
//	key: |-
//	  literal block, indented
//	key:
//	  one: "plural form"
//	  other: "plural form"
//
// A run renders a few dozen of its messages, so the catalogue is not read
// whole: indexCatalogue notes where each key's entry starts in the text, and
// decodeEntry reads one entry when it is first asked for. Anything outside
// that shape (another quoting, an escape whose meaning differs between YAML
// and Go, a trailing comment, a repeated key, a tab in the indentation...)
// makes the reader give up, and the caller uses the YAML parser, so the
// result never differs from it. The tests compare both on every catalogue.

// keyIndex finds a catalogue entry by its key. It is an open-addressing hash
// table of the entries' places in the text: building it allocates one slice
// and copies no key, and a lookup compares the key where the text holds it.
type keyIndex struct {
	src   string
	seed  maphash.Seed
	slots []uint32 // (1 + offset of the entry's line) << 8 | length of its key; 0 for an empty slot
	n     int
}

// The limits of a slot: a key of up to 255 bytes in a text under 16 MiB.
const (
	maxKeyLen  = 1<<8 - 1
	maxCatSize = 1<<24 - 1
)

func newKeyIndex(src string, entries int) *keyIndex {
	size := 16
	for size < entries*2 {
		size *= 2
	}
	return &keyIndex{src: src, seed: maphash.MakeSeed(), slots: make([]uint32, size)}
}

// key is the key a slot holds.
func (x *keyIndex) key(slot uint32) string {
	off := int(slot>>8) - 1
	return x.src[off : off+int(slot&maxKeyLen)]
}

// find returns the slot of key: the one holding it, or the empty one where it
// would go.
func (x *keyIndex) find(key string) int {
	mask := len(x.slots) - 1
	i := int(maphash.String(x.seed, key)) & mask
	for x.slots[i] != 0 && x.key(x.slots[i]) != key {
		i = (i + 1) & mask
	}
	return i
}

// add records that key's entry starts at off (where key is); false when key
// is already there or a slot cannot hold it.
func (x *keyIndex) add(key string, off int) bool {
	if len(key) > maxKeyLen || off >= maxCatSize {
		return false
	}
	if (x.n+1)*2 > len(x.slots) {
		x.grow()
	}
	i := x.find(key)
	if x.slots[i] != 0 {
		return false
	}
	x.slots[i] = uint32(off+1)<<8 | uint32(len(key))
	x.n++
	return true
}

func (x *keyIndex) grow() {
	old := x.slots
	x.slots = make([]uint32, 2*len(old))
	for _, s := range old {
		if s != 0 {
			x.slots[x.find(x.key(s))] = s
		}
	}
}

// offset returns where key's entry starts in the text.
func (x *keyIndex) offset(key string) (int, bool) {
	s := x.slots[x.find(key)]
	return int(s>>8) - 1, s != 0
}

// keys lists the keys, in no particular order.
func (x *keyIndex) keys() []string {
	keys := make([]string, 0, x.n)
	for _, s := range x.slots {
		if s != 0 {
			keys = append(keys, x.key(s))
		}
	}
	return keys
}

// nextLine returns the line of s starting at pos, without its line end, and
// where the next one starts (len(s) after the last).
func nextLine(s string, pos int) (line string, next int) {
	end := strings.IndexByte(s[pos:], '\n')
	if end < 0 {
		return strings.TrimSuffix(s[pos:], "\r"), len(s)
	}
	return strings.TrimSuffix(s[pos:pos+end], "\r"), pos + end + 1
}

// indexCatalogue notes where each entry of the catalogue src starts. ok is
// false when a line is outside the plain shape: a key that is not plain or
// is repeated, a line without a key, or an indented line that belongs to no
// block or plural map. The entries themselves are checked by decodeEntry.
func indexCatalogue(src string) (x *keyIndex, ok bool) {
	x = newKeyIndex(src, strings.Count(src, "\n")*2/3)
	// What an indented line may continue: nothing, a literal block (across
	// blank lines) or a plural map (up to a blank line).
	const none, block, plural = 0, 1, 2
	open := none
	for pos := 0; pos < len(src); {
		start := pos
		var line string
		line, pos = nextLine(src, pos)
		switch {
		case line == "":
			if open == plural {
				open = none
			}
			continue
		case line[0] == '#':
			open = none
			continue
		case line[0] == ' ':
			if open == none || !strings.HasPrefix(line, "  ") {
				return nil, false
			}
			continue
		}
		key, rest, found := cutKey(line)
		if !found || !x.add(key, start) {
			return nil, false
		}
		switch rest {
		case "":
			open = plural
		case " |-":
			open = block
		default:
			open = none
		}
	}
	return x, true
}

// decodeEntry reads the entry whose line starts at off: a string, or a map
// of plural forms. ok is false when it is outside the plain shape.
func decodeEntry(src string, off int) (v any, ok bool) {
	line, next := nextLine(src, off)
	_, rest, _ := strings.Cut(line, ":")
	switch rest {
	case "":
		return readPlural(src, next)
	case " |-":
		return readBlock(src, next)
	}
	s, ok := quoted(strings.TrimPrefix(rest, " "))
	return s, ok && rest[0] == ' '
}

// readCatalogue reads the whole catalogue b; ok is false for anything
// outside the plain shape (see indexCatalogue and decodeEntry).
func readCatalogue(b string) (m map[string]any, ok bool) {
	x, ok := indexCatalogue(b)
	if !ok {
		return nil, false
	}
	m = make(map[string]any, x.n)
	for _, k := range x.keys() {
		off, _ := x.offset(k)
		if m[k], ok = decodeEntry(b, off); !ok {
			return nil, false
		}
	}
	return m, true
}

// readPlural reads the map of plural forms whose lines start at pos, each
// "  form: "text"".
func readPlural(src string, pos int) (map[string]any, bool) {
	forms := map[string]any{}
	for pos < len(src) && strings.HasPrefix(src[pos:], "  ") {
		var l string
		l, pos = nextLine(src, pos)
		form, v, found := strings.Cut(l[2:], ": ")
		if !found || !plainKey(form) {
			return nil, false
		}
		s, ok := quoted(v)
		if _, dup := forms[form]; !ok || dup {
			return nil, false
		}
		forms[form] = s
	}
	return forms, len(forms) > 0
}

// readBlock reads the literal block ("|-") whose lines start at pos,
// indented by two spaces, and returns its text: the lines without their
// indentation, blank lines at its end left out.
func readBlock(src string, pos int) (string, bool) {
	var b strings.Builder
	b.Grow(blockEnd(src, pos) - pos)
	lines, written, blanks := 0, 0, 0 // lines read, lines written, blank lines held back
	for pos < len(src) {
		l, next := nextLine(src, pos)
		if l != "" && !strings.HasPrefix(l, "  ") {
			break
		}
		if lines == 0 && strings.HasPrefix(l, "   ") {
			return "", false // deeper first line: YAML would indent by it
		}
		pos, lines = next, lines+1
		if l == "" || l == "  " {
			blanks++ // written only if text follows
			continue
		}
		if strings.IndexByte(l, '\t') >= 0 {
			return "", false
		}
		for ; blanks > 0; blanks-- {
			if written > 0 {
				b.WriteByte('\n')
			}
			written++
		}
		if written > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l[2:])
		written++
	}
	return b.String(), written > 0
}

// blockEnd is where the indented or blank lines from pos end.
func blockEnd(src string, pos int) int {
	for pos < len(src) {
		l, next := nextLine(src, pos)
		if l != "" && !strings.HasPrefix(l, "  ") {
			break
		}
		pos = next
	}
	return pos
}

// cutKey splits line at its first ':' into a plain key and the rest; found
// is false when there is no ':' or the key is not plain.
func cutKey(line string) (key, rest string, found bool) {
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ':':
			return line[:i], line[i+1:], i > 0
		case !keyByte(c):
			return "", "", false
		}
	}
	return "", "", false
}

// keyByte: a letter, digit, '_', '.' or '-' (a bit set in keyBytes).
func keyByte(c byte) bool { return keyBytes[c>>6]&(1<<(c&63)) != 0 }

// keyBytes has bit c set for each byte c a key may hold.
var keyBytes = [4]uint64{0x03ff600000000000, 0x07fffffe87fffffe}

// plainKey: letters, digits, '_', '.' and '-' only.
func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !keyByte(k[i]) {
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
