// Package redact hides secrets inside text before it is shown: today the
// password of a URL's user:password@ part.
package redact

import "strings"

// URL is raw with the password of any user:password@ part replaced
// by "xxxxx", so that a URL can be shown; it reads the text as Go's URL
// parser does (the user information ends at the authority's last '@') and
// works on text that does not parse as a URL too.
func URL(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	name, _, hasPassword := strings.Cut(rest[:at], ":")
	if !hasPassword {
		return raw
	}
	return prefix + name + ":xxxxx" + rest[at:]
}
