// Package pwretry is the one loop that asks for a file's password again
// while the password is wrong: the command line's masked prompt and the
// wizard's plain prompt both use it. The password lives in memory only.
package pwretry

// MaxTries is how many times the user is asked before the last error is
// returned, so input that ends early cannot loop for ever.
const MaxTries = 3

// Loop starts from the result of a first load (l, err). While wrong(err)
// says the password is incorrect, it asks for one (again is true after a
// password the user gave was wrong, for the prompt to say so) and loads
// with it, up to MaxTries times. An error from ask ends the loop with it.
func Loop[T any](l T, err error, wrong func(error) bool, ask func(again bool) (string, error), load func(password string) (T, error)) (T, error) {
	for tries := 0; err != nil && wrong(err) && tries < MaxTries; tries++ {
		pw, askErr := ask(tries > 0)
		if askErr != nil {
			var zero T
			return zero, askErr
		}
		l, err = load(pw)
	}
	return l, err
}
