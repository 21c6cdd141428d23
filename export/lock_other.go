//go:build !unix

package export

// lock is a no-op where folders cannot be locked.
func lock(dir string) func() { return func() {} }

// tryLock always succeeds where folders cannot be locked.
func tryLock(dir string) (unlock func(), ok bool) { return func() {}, true }
