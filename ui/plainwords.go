package ui

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
)

// The line-by-line (accessible) wizard asks its questions through huh's plain
// prompts, which write their own words in English: "Enter a number between
// 1 and 3:", "0.   Confirm selection", "[y/N]". plainWords puts those words
// into the run's language as they are written, and reads the answer to a
// yes-or-no question in it too ("da", "да"), so that a Romanian or Russian
// user hears and types one language.
//
// Only huh's own words change: a write is translated when it is one of
// them as a whole (the options list: its last line), so text of the
// wizard's or from outside, written on its own, passes through as it is.
type plainWords struct {
	lang    func() string
	confirm atomic.Bool // the last prompt written asks yes or no
}

// huhSays lists huh's plain-prompt messages (charm.land/huh/v2 v2.0.3), each
// with %d for its numbers, and the catalogue key for them; the placeholders
// get the numbers in order. Whitespace after the text is kept as huh wrote it.
var huhSays = []struct {
	english string
	key     string
	names   []string
}{
	{"Select up to %d options.\n", "plain.select_up_to", []string{"Count"}},
	{"Enter a number between %d and %d: ", "plain.enter_number", []string{"Low", "High"}},
	{"There is only one option available; enter the number 1:", "plain.only_one", nil},
	{"Invalid: must be a number between %d and %d\n", "plain.invalid_number", []string{"Low", "High"}},
	{"Invalid: must be %d\n", "plain.invalid_one", []string{"Value"}},
	{"You can't select more than %d options.\n", "plain.too_many", []string{"Count"}},
	{"Input cannot exceed %d characters\n", "plain.too_long", []string{"Count"}},
	{"invalid input. please try again\n", "plain.confirm.invalid", nil},
}

// The last line of a multiple-choice question's options list.
const huhConfirmSelection = "0.   Confirm selection\n"

// say returns s in the run's language and whether it asks yes or no.
func (pw *plainWords) say(s string) (string, bool) {
	lang := pw.lang()
	for _, m := range huhSays {
		nums, ok := matchNumbers(s, m.english)
		if !ok {
			continue
		}
		kv := make([]any, 0, 2*len(nums))
		for i, n := range nums {
			kv = append(kv, m.names[i], n)
		}
		text := strings.TrimRight(m.english, " \n")
		return assets.T(lang, m.key, kv...) + m.english[len(text):], false
	}
	if head, ok := strings.CutSuffix(s, huhConfirmSelection); ok && (head == "" || strings.HasSuffix(head, "\n")) {
		return head + "0.   " + assets.T(lang, "plain.confirm_selection") + "\n", false
	}
	return pw.confirmPrompt(s, lang)
}

// confirmPrompt recognises huh's yes-or-no prompt, the question followed by
// [y/N] or [Y/n] (and nothing after but padding and styling), and puts the
// letters into lang.
func (pw *plainWords) confirmPrompt(s, lang string) (string, bool) {
	for _, c := range []struct{ english, key string }{
		{"[y/N]", "plain.confirm.default_no"},
		{"[Y/n]", "plain.confirm.default_yes"},
	} {
		i := strings.LastIndex(s, c.english)
		if i < 0 || strings.Trim(ansi.Strip(s[i+len(c.english):]), " ") != "" {
			continue
		}
		return s[:i] + assets.T(lang, c.key) + s[i+len(c.english):], true
	}
	return s, false
}

// answer turns a yes-or-no answer typed in the run's language into the
// letter huh reads (y or n); any other line is left for huh to refuse.
func (pw *plainWords) answer(line []byte) []byte {
	typed := strings.ToLower(strings.TrimSpace(string(line)))
	lang := pw.lang()
	for _, w := range []struct{ key, letter string }{
		{"plain.confirm.yes_words", "y"},
		{"plain.confirm.no_words", "n"},
	} {
		for word := range strings.SplitSeq(assets.T(lang, w.key), ",") {
			if typed != "" && typed == strings.TrimSpace(word) {
				end := line[len(bytes.TrimRight(line, "\r\n")):]
				return append([]byte(w.letter), end...)
			}
		}
	}
	return line
}

// matchNumbers reports whether s is pattern with each %d standing for a
// number, and returns the numbers.
func matchNumbers(s, pattern string) ([]int, bool) {
	parts := strings.Split(pattern, "%d")
	rest, ok := strings.CutPrefix(s, parts[0])
	if !ok {
		return nil, false
	}
	nums := make([]int, 0, len(parts)-1)
	for _, lit := range parts[1:] {
		i := 0
		for i < len(rest) && i < 9 && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return nil, false
		}
		n, _ := strconv.Atoi(rest[:i])
		nums = append(nums, n)
		if rest, ok = strings.CutPrefix(rest[i:], lit); !ok {
			return nil, false
		}
	}
	return nums, rest == ""
}

// writer returns w with huh's words put into the run's language.
func (pw *plainWords) writer(w io.Writer) io.Writer { return plainWriter{w, pw} }

// reader returns r with yes-or-no answers read in the run's language.
func (pw *plainWords) reader(r io.Reader) io.Reader { return &plainReader{r: r, pw: pw} }

type plainWriter struct {
	w  io.Writer
	pw *plainWords
}

func (x plainWriter) Write(p []byte) (int, error) {
	s, confirm := x.pw.say(string(p))
	x.pw.confirm.Store(confirm)
	if _, err := io.WriteString(x.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// plainReader hands over what r reads a line at a time (so that each of
// huh's prompts, which reads through a buffer of its own, takes only its
// answer); the line that answers a yes-or-no prompt is given in the letter
// huh knows.
type plainReader struct {
	r    io.Reader
	pw   *plainWords
	buf  []byte // read from r, not yet handed over
	next []byte // the line being handed over
	err  error  // r's error, returned once buf is empty
}

func (x *plainReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(x.next) == 0 {
		x.next = x.line()
		if x.pw.confirm.Swap(false) {
			x.next = x.pw.answer(x.next)
		}
	}
	if len(x.next) == 0 {
		err := x.err
		x.err = nil
		return 0, err
	}
	n := copy(p, x.next)
	x.next = x.next[n:]
	return n, nil
}

// maxAnswer bounds the answer read whole: a longer line is handed over in
// pieces, as huh would read it, and refused there.
const maxAnswer = 64 << 10

// line takes the next line (with its end) from buf, reading from r until
// one is whole or r fails.
func (x *plainReader) line() []byte {
	for x.err == nil && bytes.IndexByte(x.buf, '\n') < 0 && len(x.buf) < maxAnswer {
		chunk := make([]byte, 256)
		n, err := x.r.Read(chunk)
		x.buf = append(x.buf, chunk[:n]...)
		x.err = err
	}
	i := bytes.IndexByte(x.buf, '\n') + 1
	if i == 0 {
		i = len(x.buf)
	}
	line := x.buf[:i:i]
	x.buf = x.buf[i:]
	return line
}

// Fd is the descriptor of the reader underneath, for masked prompts.
func (x *plainReader) Fd() uintptr { return fdOf(x.r) }
