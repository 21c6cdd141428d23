package cli

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/egovmd/egovsetup/internal/testpki"
)

// keyFile is where genpfx keeps the throwaway key it made, so nokeymaterial
// can look for it in what the program wrote.
const keyFile = ".testkey.der"

func init() {
	// genpfx [-enc NAME] [-expired] [-noclientauth] [-reversed] [-selfsigned] OUT PASSWORD
	scriptCmds["genpfx"] = func(ts *testscript.TestScript, neg bool, args []string) {
		fs := flag.NewFlagSet("genpfx", flag.ContinueOnError)
		enc := fs.String("enc", "Modern2023", "go-pkcs12 encoder")
		expired := fs.Bool("expired", false, "")
		noClient := fs.Bool("noclientauth", false, "")
		reversed := fs.Bool("reversed", false, "")
		if err := fs.Parse(args); err != nil || fs.NArg() != 2 {
			ts.Fatalf("usage: genpfx [flags] OUT PASSWORD")
		}
		now := time.Now()
		tmpl := testpki.LeafTemplate("system.example.md", now)
		if *expired {
			tmpl.NotAfter = now.Add(-72 * time.Hour)
		}
		if *noClient {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		}
		ch := testpki.ChainFrom(now, "MDTrustCA Root", testpki.STISCOrg, "mdtrustca", tmpl, testpki.NewRSAKey())
		e, ok := testpki.Encoders[*enc]
		if !ok {
			ts.Fatalf("no encoder %s", *enc)
		}
		var data []byte
		if *reversed {
			data = testpki.PFX(e, ch.Leaf.Key, ch.Root.Cert, []*x509.Certificate{ch.Intermediate.Cert, ch.Leaf.Cert}, fs.Arg(1))
		} else {
			data = ch.PFX(e, fs.Arg(1))
		}
		ts.Check(os.WriteFile(ts.MkAbs(fs.Arg(0)), data, 0o600))
		ts.Check(os.WriteFile(ts.MkAbs(keyFile), testpki.KeyDER(ch.Leaf.Key), 0o600))
		ts.Check(os.WriteFile(ts.MkAbs(fs.Arg(0)+".serial"), []byte(strings.ToUpper(ch.Leaf.Cert.SerialNumber.Text(16))), 0o600))
		ts.Check(os.WriteFile(ts.MkAbs(fs.Arg(0)+".der"), ch.Leaf.Cert.Raw, 0o600))
	}
	// genkey OUT: a PEM file holding only a private key.
	scriptCmds["genkey"] = func(ts *testscript.TestScript, neg bool, args []string) {
		ts.Check(os.WriteFile(ts.MkAbs(args[0]), testpki.KeyPEM(testpki.ECKey()), 0o600))
	}
	// cmpfile A B: the two files are byte for byte the same.
	scriptCmds["cmpbytes"] = func(ts *testscript.TestScript, neg bool, args []string) {
		a, err := os.ReadFile(ts.MkAbs(args[0]))
		ts.Check(err)
		b, err := os.ReadFile(ts.MkAbs(args[1]))
		ts.Check(err)
		if bytes.Equal(a, b) == neg {
			ts.Fatalf("%s and %s differ", args[0], args[1])
		}
	}
	// nokeymaterial DIR: no file under DIR holds the key genpfx made, in
	// PKCS#8 DER or PEM, nor any PRIVATE KEY marker.
	scriptCmds["nokeymaterial"] = func(ts *testscript.TestScript, neg bool, args []string) {
		key, err := os.ReadFile(ts.MkAbs(keyFile))
		ts.Check(err)
		keyPEM := string(bytes.TrimSpace([]byte(pemBody(key))))
		n := 0
		err = filepath.WalkDir(ts.MkAbs(args[0]), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() == keyFile || strings.HasSuffix(p, ".pfx") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n++
			switch {
			case bytes.Contains(b, key):
				ts.Fatalf("%s holds the private key (DER)", p)
			case bytes.Contains(b, []byte("PRIVATE KEY")):
				ts.Fatalf("%s holds a PRIVATE KEY marker", p)
			case strings.Contains(strings.ReplaceAll(string(b), "\n", ""), keyPEM[:64]):
				ts.Fatalf("%s holds the private key (PEM)", p)
			}
			return nil
		})
		ts.Check(err)
		if n == 0 {
			ts.Fatalf("no files scanned under %s", args[0])
		}
	}
}

func pemBody(der []byte) string {
	var b bytes.Buffer
	enc := base64Encoder(&b)
	_, _ = enc.Write(der)
	_ = enc.Close()
	return b.String()
}

func base64Encoder(w *bytes.Buffer) interface {
	Write([]byte) (int, error)
	Close() error
} {
	return base64.NewEncoder(base64.StdEncoding, w)
}

func init() {
	// globenv VAR PATTERN: exactly one path matches PATTERN; it goes into $VAR.
	scriptCmds["globenv"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: globenv VAR PATTERN")
		}
		m, err := filepath.Glob(ts.MkAbs(args[1]))
		ts.Check(err)
		if len(m) != 1 {
			ts.Fatalf("%s matches %d paths: %v", args[1], len(m), m)
		}
		ts.Setenv(args[0], m[0])
	}
}
