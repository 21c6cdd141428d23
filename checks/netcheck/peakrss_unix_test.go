//go:build unix

package netcheck_test

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSSKB is a finished child process's peak resident set size in KiB.
func peakRSSKB(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) / 1024, true // bytes there
	}
	return int64(ru.Maxrss), true
}
