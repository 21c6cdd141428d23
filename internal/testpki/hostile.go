package testpki

import (
	"crypto/x509/pkix"
	"fmt"
	"net"
	"time"
	"unicode/utf8"
)

// HostileASCII is text made to act on a terminal: it sets the window title
// (OSC 0 … BEL), clears the screen (CSI 2J), returns to the start of the line
// and backspaces. Certificates may carry it wherever an ASCII string goes
// (IA5String names too).
const HostileASCII = "\x1b]0;pwned\x07\x1b[2J\r\b"

// Hostile adds a C1 CSI (U+009B) and a right-to-left override (U+202E) to
// HostileASCII, for the fields that take UTF-8.
const Hostile = HostileASCII + "\u009b2J\u202eevil"

// HostileChain is a chain whose every name holds Hostile: the root's and the
// intermediate's CN and O, the leaf's CN, O and OU, its DNS and e-mail SANs
// (HostileASCII). The leaf is also valid for 127.0.0.1, so a test server can
// use it.
func HostileChain(now time.Time) Chain {
	root := CA("Root "+Hostile, "Org "+Hostile, nil, now)
	inter := CA("Inter "+Hostile, "Org "+Hostile, &root, now)
	key := ECKey()
	tmpl := LeafTemplate("CN "+Hostile, now)
	tmpl.Subject = pkix.Name{Country: []string{"MD"}, Organization: []string{"O " + Hostile},
		OrganizationalUnit: []string{"OU " + Hostile}, CommonName: "CN " + Hostile}
	tmpl.DNSNames = []string{"dns" + HostileASCII + ".example.md"}
	tmpl.EmailAddresses = []string{"mail" + HostileASCII + "@example.md"}
	tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	leaf := Issue(tmpl, key.Public(), &inter, key)
	return Chain{Root: root, Intermediate: inter, Leaf: leaf}
}

// RawControls lists, as Go-quoted runes with their offset, every character in
// b a terminal could act on: C0 controls other than line feed and tab, DEL,
// C1 controls, bidi embeddings, overrides and isolates, and invalid UTF-8.
// Empty means b is safe to print.
func RawControls(b []byte) []string {
	var out []string
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1,
			r < 0x20 && r != '\n' && r != '\t', r == 0x7f,
			r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			out = append(out, fmt.Sprintf("%q at %d", b[i:i+size], i))
		}
		i += size
	}
	return out
}
