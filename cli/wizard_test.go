package cli

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/egovmd/egovsetup/ui"
)

// The wizard's abort becomes the exit code a shell expects (128 + the
// signal; 130 for Ctrl+C or esc), after the resume hint on stderr.
func TestWizardAbortExitCodes(t *testing.T) {
	for _, tc := range []struct {
		sig  os.Signal
		want int
	}{{nil, 130}, {os.Interrupt, 130}, {syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		var stderr bytes.Buffer
		a := &app{env: &Env{Stderr: &stderr, Getenv: func(string) string { return "" }}, lang: "en"}
		out := ui.Outcome{Aborted: true, AnswersPath: "/tmp/answers.json", ResumeAt: "Organization", Lang: "en"}
		err := a.wizardAborted(out, &ui.AbortError{Signal: tc.sig})
		var e *exitError
		if !errors.As(err, &e) || e.code != tc.want {
			t.Errorf("%v: %v, want exit %d", tc.sig, err, tc.want)
		}
		if !strings.Contains(stderr.String(), "/tmp/answers.json") || !strings.Contains(stderr.String(), "Organization") {
			t.Errorf("%v: stderr %q does not say where the answers are", tc.sig, stderr.String())
		}
	}
}
