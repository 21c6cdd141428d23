package export_test

import (
	"archive/zip"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/testpki"
)

const bundlePassword = "s3cret-pfx-pass"

func bundleInput(t *testing.T) (export.BundleInput, *cert.Loaded, testpki.Chain) {
	t.Helper()
	ch := testpki.STISC(time.Now(), nil)
	l, err := cert.Load(t.Context(), ch.PFX(testpki.Encoders["Modern2023"], bundlePassword), bundlePassword)
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "resolv.conf")
	os.WriteFile(conf, []byte("# generated\nnameserver 192.0.2.53\nsearch corp.example\n"), 0o644)
	env := map[string]string{"HTTPS_PROXY": "http://alice:hunter22@proxy.corp.example:3128", "NO_PROXY": "localhost,.corp.example"}
	a := &export.Answers{Services: []string{"msign"}, Env: "test", Network: export.Network{IPs: []export.IPAddress{{Address: "203.0.113.10"}}}}
	a.System.Name = "Registrul\x1b[31m"
	in := export.BundleInput{
		ResultsText: []byte("Cause — MSign (test): refused\x1b[2J\n"), ResultsJSON: []byte(`[{"step":"mtls"}]`),
		CertText: []byte("Serial 23\n"), CertJSON: []byte(`{"serial":"23"}`),
		Answers: a, Clock: "The clock agrees with the server's (within 1s).", Version: "1.2.3", Now: time.Now(),
		Getenv:     func(k string) string { return env[k] },
		ResolvConf: conf,
		Addrs: func() ([]net.Addr, error) {
			return []net.Addr{&net.IPNet{IP: net.IPv4(192, 168, 1, 20), Mask: net.CIDRMask(24, 32)}}, nil
		},
		HoldsKey: l.ContainsKey, Secrets: []string{bundlePassword},
	}
	return in, l, ch
}

func readZip(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		out[f.Name] = string(b)
	}
	return out
}

func TestBundleContents(t *testing.T) {
	in, _, _ := bundleInput(t)
	path := filepath.Join(t.TempDir(), "support.zip")
	if err := export.WriteBundle(path, in); err != nil {
		t.Fatal(err)
	}
	files := readZip(t, path)
	for _, name := range []string{"diagnose.txt", "diagnose.json", "certificate/report.txt", "certificate/report.json", "registration.json", "system.txt"} {
		if _, ok := files[name]; !ok {
			t.Errorf("no %s in %v", name, files)
		}
	}
	sys := files["system.txt"]
	for _, w := range []string{"egovsetup 1.2.3", "os ", "HTTPS_PROXY=http://xxxxx@proxy.corp.example:3128", "NO_PROXY=localhost,.corp.example",
		"nameserver 192.0.2.53", "192.168.1.20/24", "within 1s"} {
		if !strings.Contains(sys, w) {
			t.Errorf("system.txt lacks %q:\n%s", w, sys)
		}
	}
	for name, body := range files {
		for _, secret := range []string{"hunter22", "alice", "\x1b"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s holds %q", name, secret)
			}
		}
	}
	if !strings.Contains(files["registration.json"], "203.0.113.10") {
		t.Errorf("registration summary: %s", files["registration.json"])
	}
}

// The bundle is scanned for the key (in any form the caller recognises,
// and PEM markers) and for the password; when found, nothing is written.
func TestBundleRefusesKeyAndPassword(t *testing.T) {
	for name, leak := range map[string]func(*export.BundleInput, testpki.Chain){
		"key PEM": func(in *export.BundleInput, ch testpki.Chain) { in.CertText = testpki.KeyPEM(ch.Leaf.Key) },
		"key base64": func(in *export.BundleInput, ch testpki.Chain) {
			in.ResultsJSON = []byte(base64.StdEncoding.EncodeToString(testpki.KeyDER(ch.Leaf.Key)))
		},
		"key DER":    func(in *export.BundleInput, ch testpki.Chain) { in.CertJSON = testpki.KeyDER(ch.Leaf.Key) },
		"password":   func(in *export.BundleInput, _ testpki.Chain) { in.ResultsText = []byte("pw=" + bundlePassword) },
		"in answers": func(in *export.BundleInput, _ testpki.Chain) { in.Answers.Organization.Name = bundlePassword },
		"in env": func(in *export.BundleInput, _ testpki.Chain) {
			in.Getenv = func(string) string { return "host-" + bundlePassword }
		},
	} {
		t.Run(name, func(t *testing.T) {
			in, _, ch := bundleInput(t)
			leak(&in, ch)
			dir := t.TempDir()
			path := filepath.Join(dir, "support.zip")
			if err := export.WriteBundle(path, in); !errors.Is(err, export.ErrBundleSecret) {
				t.Fatalf("err = %v", err)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("left %v", ents)
			}
		})
	}
}

// An existing file is never replaced.
func TestBundleNeverOverwrites(t *testing.T) {
	in, _, _ := bundleInput(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "support.zip")
	os.WriteFile(path, []byte("mine"), 0o644)
	var ee *export.ExistsError
	if err := export.WriteBundle(path, in); !errors.As(err, &ee) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Errorf("file changed: %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left %v", ents)
	}
}
