package export

import (
	"crypto/x509"
	"encoding/base64"

	"github.com/egovmd/egovsetup/checks/cert"
)

func base64Encode(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// bare is leaf as a loaded certificate file without a key or chain (a .cer).
func bare(leaf *x509.Certificate) *cert.Loaded {
	return &cert.Loaded{Leaf: leaf, Format: "der"}
}

// buildAt makes the package, writes it into dir and records the
// registration in the answers, as the wizard and `egovsetup build` do.
func buildAt(dir string, in Input, opt Options) (*Result, error) {
	k, err := Build(in)
	if err != nil {
		return nil, err
	}
	res, err := k.Write(dir, opt)
	if err != nil {
		return nil, err
	}
	in.Answers.Record(res.Record)
	return res, nil
}
