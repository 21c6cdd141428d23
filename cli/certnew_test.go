package cli

import (
	"os"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	// perm MODE FILE: FILE's permission bits are exactly MODE (octal).
	scriptCmds["perm"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: perm MODE FILE")
		}
		want, err := strconv.ParseUint(args[0], 8, 32)
		ts.Check(err)
		fi, err := os.Stat(ts.MkAbs(args[1]))
		ts.Check(err)
		if got := fi.Mode().Perm(); (got == os.FileMode(want)) == neg {
			ts.Fatalf("%s has mode %#o, want %s%#o", args[1], got, map[bool]string{true: "not "}[neg], want)
		}
	}
}
