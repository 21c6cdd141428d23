// Command egovsetup prepares an information system's registration with
// Moldova's e-government platforms MPass, MSign and MPower, and diagnoses
// existing setups. See README.md.
//
// Every command is short, or a wizard waiting on a person: none gains from
// the runtime watching for a change of the CPU limit while it runs, and the
// goroutine that does it starts a thread at every start, about a twelfth of
// the time `egovsetup --version` takes (bench/ab.sh; README Measurements).
// GOMAXPROCS is still set from the CPU limit at start; GODEBUG overrides.
//
//go:debug updatemaxprocs=0
package main

import (
	"os"

	"github.com/egovmd/egovsetup/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], cli.System())) }
