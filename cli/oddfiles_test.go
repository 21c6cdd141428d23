package cli

import (
	"bytes"
	"crypto/elliptic"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/testpki"
)

func init() {
	// genodd DIR: certificate files crypto/x509 refuses or reads oddly:
	// negative.der (a negative serial number), dsa.der (a DSA key) and
	// bundle.p7b (a binary PKCS#7 bundle).
	scriptCmds["genodd"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: genodd DIR")
		}
		now := time.Now()
		ch := testpki.STISC(now, nil)
		for name, data := range map[string][]byte{
			"negative.der": testpki.NegativeSerialDER(now),
			"dsa.der":      testpki.DSALeafDER(now),
			"bundle.p7b":   testpki.PKCS7DER(ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert),
		} {
			ts.Check(os.WriteFile(ts.MkAbs(args[0]+"/"+name), data, 0o600))
		}
	}
	// genbig NAME SIZE: a file of SIZE bytes of 'A'.
	scriptCmds["genbig"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: genbig NAME SIZE")
		}
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		ts.Check(os.WriteFile(ts.MkAbs(args[0]), bytes.Repeat([]byte("A"), n), 0o600))
	}
	// genbundle NAME N CURVE chained|selfsigned [fill]: a PEM bundle of N
	// certificates sharing one subject name on CURVE (P256, P521), each
	// signed by the next or each self-signed; with fill, the N are repeated
	// up to just under 1 MiB.
	scriptCmds["genbundle"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) < 4 || len(args) > 5 || len(args) == 5 && args[4] != "fill" {
			ts.Fatalf("usage: genbundle NAME N CURVE chained|selfsigned [fill]")
		}
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		curve := map[string]elliptic.Curve{"P256": elliptic.P256(), "P521": elliptic.P521()}[args[2]]
		if curve == nil {
			ts.Fatalf("no curve %s", args[2])
		}
		certs := testpki.SameSubject(n, curve, args[3] == "chained", time.Now())
		data := testpki.PEM(certs...)
		if len(args) == 5 {
			data = data[:0]
			for i := 0; ; i++ {
				blk := testpki.PEM(certs[i%n])
				if len(data)+len(blk) > cert.MaxFileSize {
					break
				}
				data = append(data, blk...)
			}
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o600))
	}
}

// peakRSSFile is where a child run by the rss script command leaves its own
// peak resident memory (VmHWM, in KiB).
const peakRSSFile = ".peakrss"

// writePeakRSS records this process's peak resident memory in dir when the
// rss command asked for it. The kernel's VmHWM counts this process's memory
// only, unlike rusage's maxrss for a child the test process started, which
// on Linux also carries the test process's own peak (the child shares its
// memory between fork and exec).
func writePeakRSS(dir string) {
	if os.Getenv("EGOVSETUP_PEAK_RSS") != "1" {
		return
	}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))
			_ = os.WriteFile(filepath.Join(dir, peakRSSFile), []byte(kb), 0o600)
		}
	}
}
