package keygen

import (
	"crypto/x509"
	"errors"
	"io/fs"
	"os"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/checks"
)

// PKCS12 encrypts key and its certificate (with chain, when given) under
// password. The default is modern encryption (AES-256-CBC with PBKDF2, an
// HMAC-SHA-256 MAC); legacy picks 3DES and SHA-1, the only PKCS#12 format
// Windows Server 2016 and older .NET Framework versions read.
func PKCS12(key any, leaf *x509.Certificate, chain []*x509.Certificate, password string, legacy bool) ([]byte, error) {
	enc := pkcs12.Modern2023
	if legacy {
		enc = pkcs12.LegacyDES
	}
	return enc.Encode(key, leaf, chain, password)
}

// PKCS12 encrypts the new key with its certificate (or placeholder).
func (r *Result) PKCS12(password string, legacy bool) ([]byte, error) {
	return PKCS12(r.Key, r.Cert, nil, password, legacy)
}

// WriteNew creates path with data, readable by its owner only (mode 0600).
// It never replaces a file: when path exists it returns a *checks.Problem
// wrapping fs.ErrExist and leaves the file as it was. A failed write removes
// what it had created.
func WriteNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return checks.Problemf("cert.new.exists", "File", path).Wrap(err)
	}
	if err != nil {
		return checks.FileProblem(path, err)
	}
	// The umask may have taken bits away, never added them; Chmod makes the
	// mode exactly 0600 on systems whose OpenFile ignores the argument.
	_ = f.Chmod(0o600)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return checks.FileProblem(path, err)
	}
	return nil
}
