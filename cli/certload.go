package cli

import (
	"context"
	"time"

	"github.com/egovmd/egovsetup/checks/cert"
)

// loadCert loads the certificate file at path for a subcommand, finding the
// PKCS#12 password without ever taking it from the command line.
func (a *app) loadCert(ctx context.Context, path, passwordFile string, timeout time.Duration) (*cert.Loaded, error) {
	pw, _, err := a.password(passwordFile)
	if err != nil {
		return nil, err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	l, err := cert.LoadFile(ctx, path, pw)
	if err != nil {
		return nil, usageError(err)
	}
	return l, nil
}
