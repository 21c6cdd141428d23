package cli

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/egovmd/egovsetup/export"
)

// utf16File is s as Notepad saves it in its "Unicode" encodings: a byte
// order mark, then UTF-16 code units.
func utf16File(s string, order binary.ByteOrder) []byte {
	units := append([]uint16{0xFEFF}, utf16.Encode([]rune(s))...)
	b := make([]byte, 2*len(units))
	for i, u := range units {
		order.PutUint16(b[2*i:], u)
	}
	return b
}

// TestPasswordFileFromNotepad: a password file saved on Windows, in a folder
// whose name has a drive-like colon and spaces, reads as the password typed:
// CRLF line end, UTF-8 byte order mark and UTF-16 all removed.
func TestPasswordFileFromNotepad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "C:", "Users", "Ion Popescu", "My Documents")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const pw = "Parolă sigură 1"
	for name, body := range map[string][]byte{
		"crlf.txt":        []byte(pw + "\r\n"),
		"utf8 bom.txt":    []byte("\uFEFF" + pw + "\r\n"),
		"unicode.txt":     utf16File(pw+"\r\n", binary.LittleEndian),
		"unicode big.txt": utf16File(pw+"\r\n", binary.BigEndian),
		"no newline.txt":  []byte(pw),
	} {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, body, 0o600); err != nil {
			t.Fatal(err)
		}
		a := &app{env: &Env{Getenv: func(string) string { return "" }}}
		got, given, err := a.password(f)
		if err != nil || !given || got != pw {
			t.Errorf("%s: password %q (given %v, %v), want %q", name, got, given, err, pw)
		}
	}
}

// TestAnswersEditedInNotepad: an answers file saved by Notepad (byte order
// mark, CRLF line ends) loads with the values the user typed.
func TestAnswersEditedInNotepad(t *testing.T) {
	a := export.NewAnswers()
	a.Schema = export.SchemaVersion
	a.Organization.IDNO = "1003600150506"
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	notepad := "\uFEFF" + strings.ReplaceAll(string(b), "\n", "\r\n") + "\r\n"
	f := filepath.Join(t.TempDir(), "Ion Popescu", "answers.json")
	os.MkdirAll(filepath.Dir(f), 0o700)
	if err := os.WriteFile(f, []byte(notepad), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := export.LoadAnswers(f)
	if err != nil {
		t.Fatalf("LoadAnswers: %v", err)
	}
	if got.Organization.IDNO != a.Organization.IDNO {
		t.Errorf("IDNO %q, want %q", got.Organization.IDNO, a.Organization.IDNO)
	}
}

// TestConfigFolder: the answers live in the user's config folder as the
// system names it (%AppData% on Windows, Application Support on macOS,
// $XDG_CONFIG_HOME elsewhere), here a stand-in with spaces in its path, and
// are saved and read back there.
func TestConfigFolder(t *testing.T) {
	home := filepath.Join(t.TempDir(), "Users", "Ion Popescu")
	var want string
	switch runtime.GOOS {
	case "windows":
		want = filepath.Join(home, "AppData", "Roaming")
		t.Setenv("AppData", want)
	case "darwin", "ios":
		t.Setenv("HOME", home)
		want = filepath.Join(home, "Library", "Application Support")
	default:
		want = filepath.Join(home, ".config")
		t.Setenv("XDG_CONFIG_HOME", want)
	}
	path, err := export.DefaultAnswersPath()
	if err != nil {
		t.Fatal(err)
	}
	if wantPath := filepath.Join(want, "egovsetup", "answers.json"); path != wantPath {
		t.Fatalf("answers path %q, want %q", path, wantPath)
	}
	a := export.NewAnswers()
	a.Organization.IDNO = "1003600150506"
	if err := export.SaveAnswers(path, a); err != nil {
		t.Fatalf("SaveAnswers in a new config folder: %v", err)
	}
	got, err := export.LoadAnswers(path)
	if err != nil || got.Organization.IDNO != a.Organization.IDNO {
		t.Fatalf("read back: %v, IDNO %q", err, got.Organization.IDNO)
	}
}
