//go:build unix

package export

import (
	"os"
	"syscall"
)

// lock holds an exclusive lock on the folder dir until the returned function
// is called; a killed process loses it at once. Recover leaves a locked
// temporary folder alone.
func lock(dir string) func() {
	f, err := os.Open(dir)
	if err != nil {
		return func() {}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return func() {}
	}
	return func() { f.Close() }
}

// tryLock takes the lock on dir if no one holds it.
func tryLock(dir string) (unlock func(), ok bool) {
	f, err := os.Open(dir)
	if err != nil {
		return func() {}, true
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() { f.Close() }, true
}
