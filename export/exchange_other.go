//go:build !linux && !darwin

package export

// exchange is not available here: the old folder is moved aside instead.
func exchange(a, b string) error { return errNoExchange }
