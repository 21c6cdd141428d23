package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds are extra commands for the txtar scripts in testdata/script
// (fixture generators, local test servers). Test files add to it in init().
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	// exitcode N: the last `exec egovsetup` exited with status N.
	"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: exitcode N")
		}
		b, err := os.ReadFile(ts.MkAbs(exitCodeFile))
		ts.Check(err)
		got := strings.TrimSpace(string(b))
		if (got == args[0]) == neg {
			ts.Fatalf("exit code %s, want %s%s", got, map[bool]string{true: "not "}[neg], args[0])
		}
	},
}

const exitCodeFile = ".exitcode"

// pausingCommand, set by a test file, is egovsetup with test hooks in the
// build (see replace_test.go).
var pausingCommand = func() { os.Exit(Main(os.Args[1:], System())) }

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"egovsetup": func() {
			code := Main(os.Args[1:], System())
			// Record the code for the exitcode script command.
			if wd, err := os.Getwd(); err == nil && os.Getenv("EGOVSETUP_SCRIPT_TEST") == "1" {
				_ = os.WriteFile(filepath.Join(wd, exitCodeFile), []byte(strconv.Itoa(code)), 0o600)
				writePeakRSS(wd)
			}
			os.Exit(code)
		},
		"egovsetup-pausing": func() { pausingCommand() },
	})
}

// TestScripts runs the end-to-end CLI scripts: each testdata/script/*.txtar
// runs the real command line in a fresh folder and checks what it prints,
// writes and exits with.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:  "testdata/script",
		Cmds: scriptCmds,
		Setup: func(e *testscript.Env) error {
			e.Setenv("EGOVSETUP_SCRIPT_TEST", "1")
			// A predictable language and no user config leaking in.
			e.Setenv("LANG", "C.UTF-8")
			e.Setenv("XDG_CONFIG_HOME", e.WorkDir+"/.config")
			e.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
