package cert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/asn1"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/internal/testpki"
)

// TestCertsOnlyMatchesFullDecode: for every encoder, reading only the
// certificates gives the leaf and chain the full decode gives, and no key;
// the encoders this reader does not do (RC2) still load, through the full
// decode.
func TestCertsOnlyMatchesFullDecode(t *testing.T) {
	now := time.Now()
	chain := testpki.STISC(now, nil)
	for name, enc := range testpki.Encoders {
		for _, pw := range []string{"s3cret-Pa55 ș", ""} {
			if name == "Passwordless" && pw != "" {
				continue
			}
			data := chain.PFX(enc, pw)
			full, err := Load(context.Background(), data, pw)
			if err != nil {
				t.Fatalf("%s %q: full decode: %v", name, pw, err)
			}
			f := filepath.Join(t.TempDir(), "system.pfx")
			os.WriteFile(f, data, 0o600)
			only, err := LoadFileCerts(context.Background(), f, pw)
			if err != nil {
				t.Fatalf("%s %q: certificates only: %v", name, pw, err)
			}
			_, _, ok, err := pfxCerts(data, pw)
			// PBMAC1 (Modern2026), RC2 and files without a MAC go to the full decode.
			wantOK := name == "LegacyDES" || name == "Modern2023"
			if ok != wantOK || err != nil {
				t.Errorf("%s %q: read by the certificates-only reader: %v (%v), want %v", name, pw, ok, err, wantOK)
			}
			if !only.Leaf.Equal(full.Leaf) || len(only.Chain) != len(full.Chain) || only.HasKey() != !wantOK {
				t.Errorf("%s %q: leaf %s, chain %d (full: %s, %d), key %v", name, pw,
					only.Leaf.Subject, len(only.Chain), full.Leaf.Subject, len(full.Chain), only.HasKey())
			}
			for i := range only.Chain {
				if i < len(full.Chain) && !only.Chain[i].Equal(full.Chain[i]) {
					t.Errorf("%s: chain[%d] differs", name, i)
				}
			}
		}
	}
}

// TestCertsOnlyWrongPassword: a wrong password is said as such.
func TestCertsOnlyWrongPassword(t *testing.T) {
	data := testpki.STISC(time.Now(), nil).PFX(testpki.Encoders["Modern2023"], "right")
	f := filepath.Join(t.TempDir(), "system.pfx")
	os.WriteFile(f, data, 0o600)
	for _, pw := range []string{"wrong", ""} {
		if _, err := LoadFileCerts(context.Background(), f, pw); !errors.Is(err, ErrPasswordIncorrect) {
			t.Errorf("password %q: %v, want ErrPasswordIncorrect", pw, err)
		}
	}
}

// TestCertsOnlyLeavesTheKeyAlone: a .pfx whose key bag is encrypted with a
// scheme no reader knows (and a MAC that still checks) cannot be fully
// decoded, but its certificates are exported: the key is never decrypted.
func TestCertsOnlyLeavesTheKeyAlone(t *testing.T) {
	const pw = "s3cret"
	chain := testpki.STISC(time.Now(), nil)
	data := chain.PFX(testpki.Encoders["LegacyDES"], pw)
	// pbeWithSHAAnd3-KeyTripleDES-CBC (…12.1.3) is used by the certificate
	// safe and then by the key bag; the last one becomes …12.1.99.
	oid, _ := asn1.Marshal(oidPBE3DES)
	i := bytes.LastIndex(data, oid)
	if i < 0 || bytes.Index(data, oid) == i {
		t.Fatal("expected two 3DES parameter blocks")
	}
	data[i+len(oid)-1] = 99
	resealMAC(t, data, pw)

	if _, err := Load(context.Background(), data, pw); err == nil {
		t.Fatal("the full decode read a key encrypted with an unknown scheme")
	}
	f := filepath.Join(t.TempDir(), "system.pfx")
	os.WriteFile(f, data, 0o600)
	l, err := LoadFileCerts(context.Background(), f, pw)
	if err != nil {
		t.Fatalf("certificates only: %v", err)
	}
	if !l.Leaf.Equal(chain.Leaf.Cert) || len(l.Chain) != 2 {
		t.Errorf("leaf %s, chain of %d", l.Leaf.Subject, len(l.Chain))
	}
}

// resealMAC recomputes a SHA-1 PKCS#12 MAC in place after data was edited.
func resealMAC(t *testing.T, data []byte, password string) {
	t.Helper()
	var pfx struct {
		Version  int
		AuthSafe contentInfo
		MacData  macData `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		t.Fatal(err)
	}
	var content []byte
	if _, err := asn1.Unmarshal(pfx.AuthSafe.Content.Bytes, &content); err != nil {
		t.Fatal(err)
	}
	key := pkcs12KDF(sha1.New, 3, bmpPassword(password), pfx.MacData.Salt, pfx.MacData.Iterations, 20)
	mac := hmac.New(sha1.New, key)
	mac.Write(content)
	old := pfx.MacData.Mac.Digest
	j := bytes.LastIndex(data, old)
	if j < 0 {
		t.Fatal("MAC digest not found")
	}
	copy(data[j:], mac.Sum(nil))
}

// TestCertsOnlyAGESample: AGE's own sample .pfx (3DES, SHA-1 MAC) exports
// the same leaf either way, when the samples are beside the project.
func TestCertsOnlyAGESample(t *testing.T) {
	f := filepath.Join("..", "..", "..", "shared", "fixtures", "age-samples", "msign-sample.pfx")
	if _, err := os.Stat(f); err != nil {
		t.Skip("AGE samples not here")
	}
	full, err := LoadFile(context.Background(), f, "12345678")
	if err != nil {
		t.Fatal(err)
	}
	only, err := LoadFileCerts(context.Background(), f, "12345678")
	if err != nil {
		t.Fatal(err)
	}
	if !only.Leaf.Equal(full.Leaf) || len(only.Chain) != len(full.Chain) {
		t.Errorf("leaf %s / %s, chain %d / %d", only.Leaf.Subject, full.Leaf.Subject, len(only.Chain), len(full.Chain))
	}
}
