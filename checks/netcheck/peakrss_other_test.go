//go:build !unix

package netcheck_test

import "os"

// peakRSSKB: this system reports no peak resident set size.
func peakRSSKB(*os.ProcessState) (int64, bool) { return 0, false }
