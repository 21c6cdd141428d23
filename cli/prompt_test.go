package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/internal/testpki"
)

// runTTY runs the command line as if on a terminal whose masked prompt
// answers with the given passwords in turn (then with err, when they run out).
func runTTY(t *testing.T, answers []string, err error, args ...string) (code, asked int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, StdinTTY: true,
		Getenv: func(k string) string {
			if k == "XDG_CONFIG_HOME" {
				return t.TempDir()
			}
			return ""
		},
		ReadPassword: func() ([]byte, error) {
			asked++
			if asked > len(answers) {
				return nil, err
			}
			return []byte(answers[asked-1]), nil
		},
		Now: time.Now,
	}
	code = Main(args, env)
	return code, asked, out.String(), errOut.String()
}

func promptPFX(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "system.pfx")
	if err := os.WriteFile(file, testpki.STISC(time.Now(), nil).PFX(pkcs12.Modern2023, "right"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// On a terminal a wrong password is asked again, up to three times.
func TestPasswordPromptRetries(t *testing.T) {
	file := promptPFX(t)

	code, asked, out, errOut := runTTY(t, []string{"wrong", "right"}, nil, "cert", "inspect", file)
	if code != 0 || asked != 2 || !strings.Contains(out, "Issued by STISC") || strings.Count(errOut, "password incorrect") != 1 {
		t.Errorf("wrong then right: exit %d after %d prompts\nstdout:\n%s\nstderr:\n%s", code, asked, out, errOut)
	}
	if strings.Contains(out+errOut, "right") {
		t.Error("the password was shown")
	}

	code, asked, _, errOut = runTTY(t, []string{"a", "b", "c", "d"}, nil, "cert", "inspect", file)
	if code != 2 || asked != 3 || !strings.HasSuffix(strings.TrimSpace(errOut), "system.pfx: password incorrect") {
		t.Errorf("three wrong: exit %d after %d prompts\nstderr:\n%s", code, asked, errOut)
	}

	// The prompt itself failing (the terminal closed) ends it with that
	// error, not with a message about the file.
	code, asked, _, errOut = runTTY(t, nil, errors.New("terminal closed"), "cert", "inspect", file)
	if code != 2 || asked != 1 || !strings.Contains(errOut, "terminal closed") || strings.Contains(errOut, "system.pfx: terminal closed") {
		t.Errorf("prompt failed: exit %d after %d prompts\nstderr:\n%s", code, asked, errOut)
	}
}
