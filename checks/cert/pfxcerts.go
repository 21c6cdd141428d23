package cert

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"hash"
	"math/big"
	"sync"
	"unicode/utf16"
)

// pfxCerts reads the certificates of a PKCS#12 file without decrypting its
// private key: the MAC is verified once, the certificate safes are
// decrypted, and the key bag is left as it is. The leaf is the certificate
// whose localKeyId attribute names the key bag (RFC 7292 §4.2).
//
// ok is false when the file uses anything this reader does not do (no MAC or
// PBMAC1, RC2 or another cipher, BER indefinite lengths, no localKeyId); the
// caller then decodes it fully. A wrong password is reported as such.
func pfxCerts(data []byte, password string) (leaf *x509.Certificate, certs []*x509.Certificate, ok bool, err error) {
	safes, pw, ok, err := pfxSafes(data, password)
	if !ok || err != nil {
		return nil, nil, ok, err
	}
	var keyIDs, certIDs [][]byte
	for _, ci := range safes {
		plain, ok := safeContent(ci, pw, password)
		if !ok {
			return nil, nil, false, nil
		}
		var bags []safeBag
		if _, err := asn1.Unmarshal(plain, &bags); err != nil {
			return nil, nil, false, nil
		}
		for _, bag := range bags {
			switch {
			case bag.ID.Equal(oidCertBag):
				c, ok := bagCertificate(bag)
				if !ok {
					return nil, nil, false, nil
				}
				certs = append(certs, c)
				certIDs = append(certIDs, bag.localKeyID())
			case bag.ID.Equal(oidShroudedKeyBag), bag.ID.Equal(oidKeyBag):
				keyIDs = append(keyIDs, bag.localKeyID())
			}
		}
	}
	if len(keyIDs) != 1 || keyIDs[0] == nil || len(certs) == 0 {
		return nil, nil, false, nil
	}
	for i, id := range certIDs {
		if bytes.Equal(id, keyIDs[0]) {
			return certs[i], certs, true, nil
		}
	}
	return nil, nil, false, nil
}

// pfxSafes reads a PKCS#12 file's outer layers, verifies its MAC, and returns
// the safes of its authenticated content with the password as the MAC took
// it (BMPString bytes). ok is false for a shape this reader does not do.
func pfxSafes(data []byte, password string) (safes []contentInfo, pw []byte, ok bool, err error) {
	var pfx struct {
		Version  int
		AuthSafe contentInfo
		MacData  macData `asn1:"optional"`
	}
	if rest, err := asn1.Unmarshal(data, &pfx); err != nil || len(rest) != 0 || pfx.Version != 3 ||
		!pfx.AuthSafe.ContentType.Equal(oidData) || len(pfx.MacData.Mac.Algorithm.Algorithm) == 0 {
		return nil, nil, false, nil
	}
	var content []byte
	if _, err := asn1.Unmarshal(pfx.AuthSafe.Content.Bytes, &content); err != nil {
		return nil, nil, false, nil
	}
	newHash := macHash(pfx.MacData.Mac.Algorithm.Algorithm)
	if newHash == nil || pfx.MacData.Iterations < 1 {
		return nil, nil, false, nil
	}
	pw, ok = verifyMAC(newHash, &pfx.MacData, content, password)
	if !ok {
		return nil, nil, true, ErrPasswordIncorrect
	}
	if rest, err := asn1.Unmarshal(content, &safes); err != nil || len(rest) != 0 {
		return nil, nil, false, nil
	}
	return safes, pw, true, nil
}

// safeContent returns the bags of one safe: as it is (data) or decrypted
// (encrypted data).
func safeContent(ci contentInfo, pw []byte, password string) ([]byte, bool) {
	var plain []byte
	switch {
	case ci.ContentType.Equal(oidData):
		if _, err := asn1.Unmarshal(ci.Content.Bytes, &plain); err != nil {
			return nil, false
		}
		return plain, true
	case ci.ContentType.Equal(oidEncryptedData):
		var ed struct {
			Version int
			Info    struct {
				ContentType asn1.ObjectIdentifier
				Algorithm   pkix.AlgorithmIdentifier
				Encrypted   []byte `asn1:"tag:0,optional"`
			}
		}
		if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil || ed.Version != 0 {
			return nil, false
		}
		return pbeDecrypt(ed.Info.Algorithm, ed.Info.Encrypted, pw, password)
	}
	return nil, false
}

// bagCertificate parses the X.509 certificate in a certificate bag.
func bagCertificate(bag safeBag) (*x509.Certificate, bool) {
	var cb struct {
		ID   asn1.ObjectIdentifier
		Data []byte `asn1:"tag:0,explicit"`
	}
	if _, err := asn1.Unmarshal(bag.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidX509Cert) {
		return nil, false
	}
	c, err := x509.ParseCertificate(cb.Data)
	return c, err == nil
}

var (
	oidData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidKeyBag         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Cert       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
	oidLocalKeyID     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 21}
	oidPBE3DES        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBES2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidDESEDE3CBC     = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
	oidAES128CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

type macData struct {
	Mac struct {
		Algorithm pkix.AlgorithmIdentifier
		Digest    []byte
	}
	Salt       []byte
	Iterations int `asn1:"optional,default:1"`
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes []struct {
		ID     asn1.ObjectIdentifier
		Values asn1.RawValue `asn1:"set"`
	} `asn1:"set,optional"`
}

func (b safeBag) localKeyID() []byte {
	for _, a := range b.Attributes {
		if a.ID.Equal(oidLocalKeyID) {
			var id []byte
			if _, err := asn1.Unmarshal(a.Values.Bytes, &id); err == nil {
				return id
			}
		}
	}
	return nil
}

// macHash is the digest of an HMAC-based PKCS#12 MAC (nil: not one of them).
func macHash(oid asn1.ObjectIdentifier) func() hash.Hash {
	switch {
	case oid.Equal(asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}):
		return sha1.New
	case oid.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}):
		return sha256.New
	case oid.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}):
		return sha512.New384
	case oid.Equal(asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}):
		return sha512.New
	}
	return nil
}

// bmpPassword is password as PKCS#12 key derivation takes it: UTF-16BE with
// two zero bytes at the end.
func bmpPassword(password string) []byte {
	units := utf16.Encode([]rune(password))
	b := make([]byte, 0, 2*len(units)+2)
	for _, u := range units {
		b = append(b, byte(u>>8), byte(u))
	}
	return append(b, 0, 0)
}

// verifyMAC checks the file's MAC with password and returns the encoded
// password that matched. The empty password is written two ways by
// different tools (two zero bytes, or no bytes at all); both keys are derived
// at once, so trying it costs one derivation's time.
func verifyMAC(newHash func() hash.Hash, m *macData, content []byte, password string) ([]byte, bool) {
	candidates := [][]byte{bmpPassword(password)}
	if password == "" {
		candidates = append(candidates, []byte{})
	}
	match := make([]bool, len(candidates))
	var wg sync.WaitGroup
	for i, pw := range candidates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			size := newHash().Size()
			key := pkcs12KDF(newHash, 3, pw, m.Salt, m.Iterations, size)
			mac := hmac.New(newHash, key)
			mac.Write(content)
			match[i] = hmac.Equal(mac.Sum(nil), m.Mac.Digest)
		}()
	}
	wg.Wait()
	for i, ok := range match {
		if ok {
			return candidates[i], true
		}
	}
	return nil, false
}

// pkcs12KDF is the key derivation of RFC 7292 Appendix B.2: id 1 makes
// cipher keys, 2 IVs, 3 MAC keys.
func pkcs12KDF(newHash func() hash.Hash, id byte, password, salt []byte, iterations, size int) []byte {
	h := newHash()
	v := h.BlockSize()
	fill := func(src []byte) []byte {
		if len(src) == 0 {
			return nil
		}
		n := v * ((len(src) + v - 1) / v)
		out := make([]byte, n)
		for i := range out {
			out[i] = src[i%len(src)]
		}
		return out
	}
	D := bytes.Repeat([]byte{id}, v)
	I := append(fill(salt), fill(password)...)
	out := make([]byte, 0, size)
	one := big.NewInt(1)
	for len(out) < size {
		h.Reset()
		h.Write(D)
		h.Write(I)
		A := h.Sum(nil)
		for j := 1; j < iterations; j++ {
			h.Reset()
			h.Write(A)
			A = h.Sum(A[:0])
		}
		out = append(out, A...)
		if len(out) >= size {
			break
		}
		B := new(big.Int).SetBytes(fill(A)[:v])
		B.Add(B, one)
		for j := 0; j < len(I); j += v {
			Ij := new(big.Int).SetBytes(I[j : j+v])
			Ij.Add(Ij, B)
			b := Ij.Bytes()
			if len(b) > v {
				b = b[len(b)-v:]
			}
			block := I[j : j+v]
			clear(block)
			copy(block[v-len(b):], b)
		}
	}
	return out[:size]
}

// pbeDecrypt decrypts a certificate safe encrypted with PKCS#12's 3DES
// scheme or PBES2 (PBKDF2 with AES-CBC or 3DES-CBC). ok is false for any
// other scheme or a padding that does not check.
func pbeDecrypt(alg pkix.AlgorithmIdentifier, enc []byte, bmp []byte, password string) ([]byte, bool) {
	var block cipher.Block
	var iv []byte
	var ok bool
	switch {
	case alg.Algorithm.Equal(oidPBE3DES):
		block, iv, ok = pkcs12Cipher(alg, bmp)
	case alg.Algorithm.Equal(oidPBES2):
		block, iv, ok = pbes2Cipher(alg, password)
	}
	if !ok {
		return nil, false
	}
	bs := block.BlockSize()
	if len(iv) != bs || len(enc) == 0 || len(enc)%bs != 0 {
		return nil, false
	}
	out := make([]byte, len(enc))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, enc)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > bs || !bytes.Equal(out[len(out)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, false
	}
	return out[:len(out)-pad], true
}

// pkcs12Cipher is the 3DES cipher and IV of PKCS#12's own scheme
// (pbeWithSHAAnd3-KeyTripleDES-CBC), derived from the BMPString password.
func pkcs12Cipher(alg pkix.AlgorithmIdentifier, bmp []byte) (cipher.Block, []byte, bool) {
	var p struct {
		Salt       []byte
		Iterations int
	}
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || p.Iterations < 1 || p.Iterations > MaxIterations {
		return nil, nil, false
	}
	key := pkcs12KDF(sha1.New, 1, bmp, p.Salt, p.Iterations, 24)
	iv := pkcs12KDF(sha1.New, 2, bmp, p.Salt, p.Iterations, 8)
	block, err := des.NewTripleDESCipher(key)
	return block, iv, err == nil
}

// pbes2Cipher is the cipher and IV of a PBES2 scheme: PBKDF2 with an HMAC
// PRF, then AES-CBC or 3DES-CBC.
func pbes2Cipher(alg pkix.AlgorithmIdentifier, password string) (cipher.Block, []byte, bool) {
	var p struct {
		KDF    pkix.AlgorithmIdentifier
		Scheme pkix.AlgorithmIdentifier
	}
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || !p.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, nil, false
	}
	var kp struct {
		Salt       []byte
		Iterations int
		KeyLength  int                      `asn1:"optional"`
		PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(p.KDF.Parameters.FullBytes, &kp); err != nil || kp.Iterations < 1 || kp.Iterations > MaxIterations {
		return nil, nil, false
	}
	prf := pbkdf2PRF(kp.PRF.Algorithm)
	keyLen, newCipher := pbes2Scheme(p.Scheme.Algorithm)
	if prf == nil || newCipher == nil {
		return nil, nil, false
	}
	var iv []byte
	if _, err := asn1.Unmarshal(p.Scheme.Parameters.FullBytes, &iv); err != nil {
		return nil, nil, false
	}
	// PBES2 takes the password's own UTF-8 bytes, as OpenSSL writes it.
	key, err := pbkdf2.Key(prf, password, kp.Salt, kp.Iterations, keyLen)
	if err != nil {
		return nil, nil, false
	}
	block, err := newCipher(key)
	return block, iv, err == nil
}

// pbkdf2PRF is the hash of PBKDF2's HMAC PRF (HMAC-SHA1 when none is named),
// nil for one this reader does not do.
func pbkdf2PRF(oid asn1.ObjectIdentifier) func() hash.Hash {
	switch {
	case len(oid) == 0, oid.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}):
		return sha1.New
	case oid.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}):
		return sha256.New
	case oid.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}):
		return sha512.New384
	case oid.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}):
		return sha512.New
	}
	return nil
}

// pbes2Scheme is the key length and cipher of a PBES2 encryption scheme, a
// nil cipher for one this reader does not do.
func pbes2Scheme(oid asn1.ObjectIdentifier) (int, func([]byte) (cipher.Block, error)) {
	switch {
	case oid.Equal(oidAES128CBC):
		return 16, aes.NewCipher
	case oid.Equal(oidAES192CBC):
		return 24, aes.NewCipher
	case oid.Equal(oidAES256CBC):
		return 32, aes.NewCipher
	case oid.Equal(oidDESEDE3CBC):
		return 24, des.NewTripleDESCipher
	}
	return 0, nil
}
