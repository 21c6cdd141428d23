package steps

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// ctrl+e on a multi-line field with no text editor anywhere says so, and the
// form stays on the screen.
func TestEditorKeyWithoutEditorSaysSo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("EDITOR", "")
	t.Setenv("VISUAL", "nothere-editor")
	for _, lang := range []string{"ro", "ru"} {
		c := contextIn(lang)
		c.Answers.Services = []string{"msign"}
		st := startScreen(t, c, Network{}.Screen(c))
		st.focus(c.T("network.ips"))
		st.keys("193.226.0.10", "ctrl+e")
		st.sees(strings.Fields(c.T("form.editor.none"))[0], c.T("network.ips"), "193.226.0.10")
		if strings.Count(st.view(), "\n") > 20 {
			t.Errorf("%s: the screen is taller than the room given:\n%s", lang, st.view())
		}
		// The next key clears the message and types as usual.
		st.keys("enter")
		if strings.Contains(st.view(), strings.Fields(c.T("form.editor.none"))[0]) {
			t.Errorf("%s: the message stays after the next key:\n%s", lang, st.view())
		}
	}
}

// The editor is $VISUAL, then $EDITOR, then a common one, whichever exists.
func TestFindEditor(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("on Windows the editor looked for is notepad")
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	on := map[string]bool{}
	look := func(name string) (string, error) {
		if on[name] {
			return "/bin/" + name, nil
		}
		return "", os.ErrNotExist
	}
	if ed := findEditor(getenv, look); ed != nil {
		t.Errorf("nothing installed: %v", ed)
	}
	on["vi"] = true
	if ed := findEditor(getenv, look); !slices.Equal(ed, []string{"/bin/vi"}) {
		t.Errorf("vi on PATH: %v", ed)
	}
	env["EDITOR"] = "code --wait"
	if ed := findEditor(getenv, look); !slices.Equal(ed, []string{"/bin/vi"}) {
		t.Errorf("$EDITOR names what is not installed: %v", ed)
	}
	on["code"] = true
	env["VISUAL"] = "gone"
	if ed := findEditor(getenv, look); !slices.Equal(ed, []string{"/bin/code", "--wait"}) {
		t.Errorf("$EDITOR code --wait: %v", ed)
	}
}
