package checks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A message names the file once, in the user's language: never "open
// nothere.cer: nothere.cer: no such file or directory".
func TestFileProblemNamesThePathOnce(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothere.cer")
	_, openErr := os.Open(missing)
	for _, c := range []struct {
		err  error
		lang string
		want string
	}{
		{openErr, "en", missing + ": no such file."},
		{fmt.Errorf("open %s: %w", missing, openErr), "ro", missing + ": fișierul nu există."},
		{&fs.PathError{Op: "read", Path: "x.cer", Err: errors.New("input/output error")}, "en", "x.cer cannot be read: input/output error."},
		{fmt.Errorf("read x.cer: x.cer: %w", errors.New("stale handle")), "en", "x.cer cannot be read: stale handle."},
	} {
		path := missing
		if !strings.Contains(c.want, missing) {
			path = "x.cer"
		}
		got := Localize(FileProblem(path, c.err), c.lang)
		if got != c.want {
			t.Errorf("FileProblem(%q) in %s = %q, want %q", c.err, c.lang, got, c.want)
		}
	}
}
