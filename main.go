// Command egovsetup prepares an information system's registration with
// Moldova's e-government platforms MPass, MSign and MPower, and diagnoses
// existing setups. See README.md.
package main

import (
	"os"

	"github.com/egovmd/egovsetup/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], cli.System())) }
