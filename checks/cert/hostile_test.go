package cert_test

import (
	"bytes"
	"context"
	"crypto/elliptic"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// A file over the cap says so without claiming a size it did not measure.
func TestLoadFileTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.pem")
	if err := os.WriteFile(p, bytes.Repeat([]byte("A"), cert.MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := cert.LoadFile(context.Background(), p, "")
	if got := problemKey(t, err); got != "cert.load.too_large" {
		t.Fatalf("%s (%v)", got, err)
	}
	if want := "big.pem is larger than 1 MiB"; !strings.Contains(err.Error(), want) {
		t.Fatalf("%q does not say %q", err, want)
	}
}

// Inputs crypto/x509 refuses or reads oddly get a line that names what they
// are, not "damaged".
func TestLoadNamesOddCertificates(t *testing.T) {
	ch := testpki.STISC(now, nil)
	neg := testpki.NegativeSerialDER(now)
	cases := []struct {
		name string
		data []byte
		key  string
	}{
		{"negative serial, DER", neg, "cert.load.negative_serial"},
		{"negative serial, PEM", []byte(pemBlock("CERTIFICATE", neg)), "cert.load.negative_serial"},
		{"PKCS#7, DER", testpki.PKCS7DER(ch.Leaf.Cert, ch.Intermediate.Cert), "cert.load.pkcs7_der"},
		{"PKCS#7, PEM", []byte(pemBlock("PKCS7", testpki.PKCS7DER(ch.Leaf.Cert))), "cert.load.pkcs7"},
	}
	for _, c := range cases {
		_, err := cert.Load(context.Background(), c.data, "")
		if err == nil {
			t.Errorf("%s: loaded", c.name)
			continue
		}
		if got := problemKey(t, err); got != c.key {
			t.Errorf("%s: %s (%v), want %s", c.name, got, err, c.key)
		}
	}
}

// A DSA key is named as a key type the platforms do not take, not as a
// weak key of 0 bits.
func TestDSAKeyVerdict(t *testing.T) {
	l, err := cert.Load(context.Background(), testpki.DSALeafDER(now), "")
	if err != nil {
		t.Fatal(err)
	}
	r := cert.NewReport(l, cert.Options{Now: now, Data: assets.Embedded()})
	if r.KeyType != "DSA" || r.KeyBits != 1024 {
		t.Errorf("key = %s %d, want DSA 1024", r.KeyType, r.KeyBits)
	}
	var found *checks.Check
	for i, v := range r.Verdicts {
		switch v.ID {
		case "cert.key_ok", "cert.key_weak", "cert.key_unsupported":
			found = &r.Verdicts[i]
		}
	}
	if found == nil || found.ID != "cert.key_unsupported" || found.Severity != checks.Fail {
		t.Fatalf("key verdict = %+v, want cert.key_unsupported fail", found)
	}
	for _, lang := range assets.Languages {
		msg := found.Message.In(lang)
		if !strings.Contains(msg, "DSA") || strings.Contains(msg, " 0 ") {
			t.Errorf("%s: %q", lang, msg)
		}
	}
}

// The deadline bounds PEM and DER loads as it bounds a .pfx; a cancel
// (esc in the wizard) stops them too.
func TestLoadDeadlineEveryFormat(t *testing.T) {
	ch := testpki.STISC(now, nil)
	for name, data := range map[string][]byte{
		"pem": testpki.PEM(ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert),
		"der": ch.Leaf.Cert.Raw,
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 0)
		_, err := cert.Load(ctx, data, "")
		cancel()
		if got := problemKey(t, err); got != "cert.load.timeout" || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s past its deadline: %s (%v)", name, got, err)
		}
		ctx, cancel = context.WithCancel(context.Background())
		cancel()
		_, err = cert.Load(ctx, data, "")
		if got := problemKey(t, err); got != "cert.load.cancelled" {
			t.Errorf("%s cancelled: %s (%v)", name, got, err)
		}
	}
}

// A bundle whose certificates all carry one name still yields the right
// leaf; a short chain of them is followed signature by signature, a long
// one is named as too long to follow.
func TestSameSubjectBundle(t *testing.T) {
	for _, n := range []int{4, 40} {
		for _, chained := range []bool{false, true} {
			certs := testpki.SameSubject(n, elliptic.P256(), chained, now)
			// With the leaf in the middle of the file, it is still the leaf.
			rotated := append(append([]*x509.Certificate{}, certs[n/2:]...), certs[:n/2]...)
			l, err := cert.Load(context.Background(), testpki.PEM(rotated...), "")
			if err != nil {
				t.Fatal(err)
			}
			if !l.Leaf.Equal(certs[0]) || len(l.Chain) != n-1 {
				t.Errorf("n=%d chained=%v: leaf is serial %v with %d others, want %v with %d",
					n, chained, l.Leaf.SerialNumber, len(l.Chain), certs[0].SerialNumber, n-1)
			}
			l, err = cert.Load(context.Background(), testpki.PEM(certs...), "")
			if err != nil {
				t.Fatal(err)
			}
			v := verdicts(cert.NewReport(l, cert.Options{Now: now, Data: assets.Embedded()}))
			switch {
			case !chained && v["cert.self_signed"] != checks.Fail:
				t.Errorf("n=%d self-signed leaf: verdicts %v", n, v)
			case chained && n == 4 && v["cert.chain_complete"] != checks.Pass:
				t.Errorf("n=4 chain: verdicts %v, want chain_complete", v)
			case chained && n == 40 && v["cert.chain_unchecked"] != checks.Warn:
				t.Errorf("n=40 chain: verdicts %v, want chain_unchecked", v)
			}
		}
	}
}

// The pathological bundles: each load is near-linear in the number of
// certificates. Run with
//
//	go test -run '^$' -bench Bundle -benchtime 3x ./checks/cert/
func BenchmarkBundle(b *testing.B) {
	shapes := []struct {
		name string
		pem  func() []byte
	}{
		{"SameSubject200-P521-selfsigned", func() []byte { return testpki.PEM(testpki.SameSubject(200, elliptic.P521(), false, now)...) }},
		{"SameSubject200-P521-chained", func() []byte { return testpki.PEM(testpki.SameSubject(200, elliptic.P521(), true, now)...) }},
		{"1MiB-P521-selfsigned", func() []byte { return fill(testpki.SameSubject(64, elliptic.P521(), false, now)) }},
		{"1MiB-P521-chained", func() []byte { return fill(testpki.SameSubject(64, elliptic.P521(), true, now)) }},
		{"1MiB-P256-selfsigned", func() []byte { return fill(testpki.SameSubject(64, elliptic.P256(), false, now)) }},
		{"1MiB-STISC-chain", func() []byte {
			ch := testpki.STISC(now, nil)
			return fill([]*x509.Certificate{ch.Leaf.Cert, ch.Intermediate.Cert, ch.Root.Cert})
		}},
	}
	for _, s := range shapes {
		data := s.pem()
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				l, err := cert.Load(context.Background(), data, "")
				if err != nil {
					b.Fatal(err)
				}
				cert.NewReport(l, cert.Options{Now: now, Data: assets.Embedded()})
			}
			b.ReportMetric(float64(bytes.Count(data, []byte("BEGIN CERTIFICATE"))), "certs")
		})
	}
}

// fill repeats certs in PEM up to just under cert.MaxFileSize.
func fill(certs []*x509.Certificate) []byte {
	var out []byte
	for i := 0; ; i++ {
		blk := testpki.PEM(certs[i%len(certs)])
		if len(out)+len(blk) > cert.MaxFileSize {
			return out
		}
		out = append(out, blk...)
	}
}
