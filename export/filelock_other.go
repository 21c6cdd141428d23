//go:build !unix

package export

import "os"

// lockFile creates the lock file at path; where files cannot be locked the
// ledger relies on its atomic writes alone.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}
