//go:build unix

package export

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockWait bounds how long lockFile waits for another process's lock: a
// ledger update takes milliseconds, so a longer wait means a stuck process.
const lockWait = 30 * time.Second

// lockFile takes an exclusive lock on the file at path (created if needed,
// mode 0600), waiting for another process that holds it. The lock is freed
// when the returned function is called or the process ends.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			return nil, &os.PathError{Op: "lock", Path: path, Err: err}
		}
		time.Sleep(20 * time.Millisecond)
	}
}
