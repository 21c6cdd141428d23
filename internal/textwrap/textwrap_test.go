package textwrap

import (
	"strings"
	"testing"
)

// Width 0 changes nothing: output to a pipe stays as it was.
func TestNoWidthNoWrapping(t *testing.T) {
	s := "  FAIL  " + strings.Repeat("word ", 40)
	if Wrap(s, 0) != s || Hang("  FAIL  ", s, 0) != "  FAIL  "+s {
		t.Error("text changed without a width")
	}
}

// Hang goes on under the text, not under the mark; with too little room
// beside first, the text starts on the next line.
func TestHang(t *testing.T) {
	got := Hang("  FAIL  ", "The certificate expired on 2023-02-23; ask STISC (mpass/process2.md) for a new one.", 40)
	want := "  FAIL  The certificate expired on\n" +
		"        2023-02-23; ask STISC\n" +
		"        (mpass/process2.md) for a new\n" +
		"        one."
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Hang("               → ", "Ask STISC for a new certificate.", 30); got != "               →\n                 Ask STISC for\n                 a new\n                 certificate." {
		t.Errorf("narrow:\n%q", got)
	}
}
