package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"time"
)

// Files crypto/x509 will not make: certificates with a field edited after
// the fact and signed again, PKCS#7 bundles, and bundles built to make a
// reader do the most work.

// tbsField indexes the fields of a TBSCertificate (RFC 5280 §4.1) that
// carries its [0] version.
const (
	tbsSerial = 1
	tbsSPKI   = 6
)

// Resign returns c's DER with the TBSCertificate's fields changed by edit,
// signed again by issuer's key (an ECDSA key, as CA makes).
func Resign(c *x509.Certificate, issuer crypto.Signer, edit func(fields []asn1.RawValue) []asn1.RawValue) []byte {
	var tbs asn1.RawValue
	if _, err := asn1.Unmarshal(c.RawTBSCertificate, &tbs); err != nil {
		panic(err)
	}
	var fields []asn1.RawValue
	for rest := tbs.Bytes; len(rest) > 0; {
		var f asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &f); err != nil {
			panic(err)
		}
		fields = append(fields, f)
	}
	fields = edit(fields)
	var body []byte
	for _, f := range fields {
		body = append(body, f.FullBytes...)
	}
	newTBS, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: body})
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(newTBS)
	sig, err := issuer.Sign(rand.Reader, sum[:], crypto.SHA256)
	if err != nil {
		panic(err)
	}
	var outer struct {
		TBS    asn1.RawValue
		SigAlg asn1.RawValue
		Sig    asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.Raw, &outer); err != nil {
		panic(err)
	}
	der, err := asn1.Marshal(struct {
		TBS    asn1.RawValue
		SigAlg asn1.RawValue
		Sig    asn1.BitString
	}{asn1.RawValue{FullBytes: newTBS}, outer.SigAlg, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		panic(err)
	}
	return der
}

func raw(v any) asn1.RawValue {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return asn1.RawValue{FullBytes: b}
}

// NegativeSerialDER is a leaf issued by a test CA whose serial number is
// negative (RFC 5280 forbids it; crypto/x509 refuses to parse it).
func NegativeSerialDER(now time.Time) []byte {
	ca := CA("Negative Serial CA", "Test", nil, now)
	leaf := Issue(LeafTemplate("negative.example.md", now), ECKey().Public(), &ca, nil)
	return Resign(leaf.Cert, ca.Key, func(f []asn1.RawValue) []asn1.RawValue {
		f[tbsSerial] = raw(big.NewInt(-4242))
		return f
	})
}

// DSALeafDER is a leaf issued by a test CA for a DSA public key (made-up
// domain parameters: nothing verifies with it).
func DSALeafDER(now time.Time) []byte {
	ca := CA("DSA Test CA", "Test", nil, now)
	leaf := Issue(LeafTemplate("dsa.example.md", now), ECKey().Public(), &ca, nil)
	type params struct{ P, Q, G *big.Int }
	p := new(big.Int).Lsh(big.NewInt(1), 1023)
	p.Add(p, big.NewInt(1155))
	q := new(big.Int).Lsh(big.NewInt(1), 159)
	q.Add(q, big.NewInt(7))
	y, err := asn1.Marshal(new(big.Int).Lsh(big.NewInt(3), 1000))
	if err != nil {
		panic(err)
	}
	spki := struct {
		Alg struct {
			OID    asn1.ObjectIdentifier
			Params params
		}
		Key asn1.BitString
	}{}
	spki.Alg.OID = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}
	spki.Alg.Params = params{p, q, big.NewInt(2)}
	spki.Key = asn1.BitString{Bytes: y, BitLength: 8 * len(y)}
	return Resign(leaf.Cert, ca.Key, func(f []asn1.RawValue) []asn1.RawValue {
		f[tbsSPKI] = raw(spki)
		return f
	})
}

// PKCS7DER is a degenerate PKCS#7 SignedData holding certs, as a binary
// .p7b file carries a certificate and its chain.
func PKCS7DER(certs ...*x509.Certificate) []byte {
	var set []byte
	for _, c := range certs {
		set = append(set, c.Raw...)
	}
	signedData := struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      struct{ ContentType asn1.ObjectIdentifier }
		Certificates     asn1.RawValue
		SignerInfos      asn1.RawValue
	}{
		Version:          1,
		DigestAlgorithms: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: set},
		SignerInfos:      asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
	}
	signedData.ContentInfo.ContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	sd, err := asn1.Marshal(signedData)
	if err != nil {
		panic(err)
	}
	der, err := asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{
		asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2},
		asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd},
	})
	if err != nil {
		panic(err)
	}
	return der
}

// SameSubject makes n certificates that all carry one subject and issuer
// name, on keys of curve. With chained false each signs itself; with chained
// true certificate i is signed by the key of certificate i+1 (the last signs
// itself), so only signature checks tell who issued whom. The first is not
// a CA, the others are.
func SameSubject(n int, curve elliptic.Curve, chained bool, now time.Time) []*x509.Certificate {
	keys := make([]*ecdsa.PrivateKey, n)
	for i := range keys {
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	name := pkix.Name{Country: []string{"MD"}, Organization: []string{"Same Name"}, CommonName: "same.example.md"}
	out := make([]*x509.Certificate, n)
	for i := n - 1; i >= 0; i-- {
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(int64(1000 + i)),
			Subject:               name,
			NotBefore:             now.Add(-time.Hour),
			NotAfter:              now.Add(365 * 24 * time.Hour),
			BasicConstraintsValid: true,
			IsCA:                  i > 0,
		}
		if i > 0 {
			tmpl.KeyUsage = x509.KeyUsageCertSign
		}
		parent, signer := tmpl, keys[i]
		if chained && i < n-1 {
			parent, signer = out[i+1], keys[i+1]
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, keys[i].Public(), signer)
		if err != nil {
			panic(err)
		}
		if out[i], err = x509.ParseCertificate(der); err != nil {
			panic(err)
		}
	}
	return out
}
