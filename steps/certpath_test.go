package steps

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/internal/testpki"
)

func TestFilePathTakesPastedForms(t *testing.T) {
	for _, tc := range []struct {
		in      string
		escapes bool
		want    string
	}{
		{`'/tmp/my cert.pfx'`, true, "/tmp/my cert.pfx"},
		{`"/tmp/my cert.pfx"`, true, "/tmp/my cert.pfx"},
		{`/tmp/my\ cert.pfx`, true, "/tmp/my cert.pfx"},
		{`/tmp/it\'s\ \(1\).pfx`, true, "/tmp/it's (1).pfx"},
		{`'/tmp/it'\''s.pfx'`, true, "/tmp/it's.pfx"},
		{`"C:\Users\a b\x.pfx"`, true, `C:\Users\a b\x.pfx`},
		{`"C:\Users\a b\x.pfx"`, false, `C:\Users\a b\x.pfx`},
		{`C:\Users\ab\x.pfx`, false, `C:\Users\ab\x.pfx`},
		{`/tmp/John's cert.pfx`, true, "/tmp/John's cert.pfx"}, // a quote left open: as typed
		{`/tmp/plain.pfx`, true, "/tmp/plain.pfx"},
	} {
		if got := unquotePath(tc.in, tc.escapes); got != tc.want {
			t.Errorf("unquotePath(%s, %v) = %q, want %q", tc.in, tc.escapes, got, tc.want)
		}
	}
	if got := filePath("  file:///tmp/my%20cert.pfx "); got != "/tmp/my cert.pfx" && runtime.GOOS != "windows" {
		t.Errorf("file URL: %q", got)
	}
}

// certInDir writes a public certificate named name in a new folder.
func certInDir(t *testing.T, name string) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	ch := testpki.STISC(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), nil)
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, testpki.PEM(ch.Leaf.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

// A path pasted the way terminals paste a dragged file (quoted, or with
// its spaces escaped) loads the file.
func TestCertificatePathPastedWithQuotesLoads(t *testing.T) {
	_, path := certInDir(t, "my cert.cer")
	for _, typed := range []string{"'" + path + "'", `"` + path + `"`, strings.ReplaceAll(path, " ", `\ `), " " + path + " "} {
		c := contextIn("ro")
		st := startScreen(t, c, Certificate{}.Screen(c))
		st.keys("enter") // the file, not a serial
		st.focus(c.T("certstep.file"))
		st.keys(typed, "enter")
		s := st.s.(*certScreen)
		if !st.d.WaitFor(func() bool { return s.state == certShow }, 10*time.Second) {
			t.Fatalf("%s: not loaded:\n%s", typed, st.view())
		}
		st.keys("enter")
		st.wantDone(true)
		if got := c.Answers.Certificate.File; got != path {
			t.Errorf("%s: kept path %q, want %q", typed, got, path)
		}
	}
}

// Tab completes the path on its first press, even straight after typing
// (before the suggestions computed in the background arrive).
func TestTabCompletesThePathAtOnce(t *testing.T) {
	dir, _ := certInDir(t, "sistem-test.pfx")
	inner := filepath.Join(dir, "other folder", "inner.cer")
	if err := os.Mkdir(filepath.Dir(inner), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inner, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := contextIn("ru")
	st := startScreen(t, c, Certificate{}.Screen(c))
	st.keys("enter")
	st.focus(c.T("certstep.file"))
	s := st.s.(*certScreen)
	st.d.Burst(filepath.Join(dir, "oth"), "tab")
	if want := filepath.Dir(inner) + string(filepath.Separator); s.path != want {
		t.Errorf("after one tab the path is %q, want %q", s.path, want)
	}
	// Typing goes on at the end of the completed path.
	st.d.Burst("in", "tab")
	if s.path != inner {
		t.Errorf("after typing on and a second tab the path is %q, want %q", s.path, inner)
	}
	st.sees("inner.cer")
}
