package redact

import "testing"

func TestURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://user:secret@host:8443/x":  "https://user:xxxxx@host:8443/x",
		"https://user@host/x":              "https://user@host/x",
		"https://host/x?a=b@c":             "https://host/x?a=b@c",
		"https://u:se cret@ho st:99/p@q":   "https://u:xxxxx@ho st:99/p@q",
		"u:secret@host":                    "u:xxxxx@host",
		"https://u:p:w@d@host:1/":          "https://u:xxxxx@host:1/",
		"mpass=https://u:secret@host:8443": "mpass=https://u:xxxxx@host:8443",
	} {
		if got := URL(raw); got != want {
			t.Errorf("URL(%q) = %q, want %q", raw, got, want)
		}
	}
}
