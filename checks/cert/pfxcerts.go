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
	pw, ok := verifyMAC(newHash, &pfx.MacData, content, password)
	if !ok {
		return nil, nil, true, ErrPasswordIncorrect
	}

	var safes []contentInfo
	if rest, err := asn1.Unmarshal(content, &safes); err != nil || len(rest) != 0 {
		return nil, nil, false, nil
	}
	var keyIDs [][]byte
	var certIDs [][]byte
	for _, ci := range safes {
		var plain []byte
		switch {
		case ci.ContentType.Equal(oidData):
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &plain); err != nil {
				return nil, nil, false, nil
			}
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
				return nil, nil, false, nil
			}
			if plain, ok = pbeDecrypt(ed.Info.Algorithm, ed.Info.Encrypted, pw, password); !ok {
				return nil, nil, false, nil
			}
		default:
			return nil, nil, false, nil
		}
		var bags []safeBag
		if _, err := asn1.Unmarshal(plain, &bags); err != nil {
			return nil, nil, false, nil
		}
		for _, bag := range bags {
			switch {
			case bag.ID.Equal(oidCertBag):
				var cb struct {
					ID   asn1.ObjectIdentifier
					Data []byte `asn1:"tag:0,explicit"`
				}
				if _, err := asn1.Unmarshal(bag.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidX509Cert) {
					return nil, nil, false, nil
				}
				c, err := x509.ParseCertificate(cb.Data)
				if err != nil {
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
	switch {
	case alg.Algorithm.Equal(oidPBE3DES):
		var p struct {
			Salt       []byte
			Iterations int
		}
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || p.Iterations < 1 || p.Iterations > MaxIterations {
			return nil, false
		}
		key := pkcs12KDF(sha1.New, 1, bmp, p.Salt, p.Iterations, 24)
		iv = pkcs12KDF(sha1.New, 2, bmp, p.Salt, p.Iterations, 8)
		var err error
		if block, err = des.NewTripleDESCipher(key); err != nil {
			return nil, false
		}
	case alg.Algorithm.Equal(oidPBES2):
		var p struct {
			KDF    pkix.AlgorithmIdentifier
			Scheme pkix.AlgorithmIdentifier
		}
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || !p.KDF.Algorithm.Equal(oidPBKDF2) {
			return nil, false
		}
		var kp struct {
			Salt       []byte
			Iterations int
			KeyLength  int                      `asn1:"optional"`
			PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(p.KDF.Parameters.FullBytes, &kp); err != nil || kp.Iterations < 1 || kp.Iterations > MaxIterations {
			return nil, false
		}
		prf := sha1.New
		if len(kp.PRF.Algorithm) > 0 {
			switch {
			case kp.PRF.Algorithm.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}):
			case kp.PRF.Algorithm.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}):
				prf = sha256.New
			case kp.PRF.Algorithm.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}):
				prf = sha512.New384
			case kp.PRF.Algorithm.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}):
				prf = sha512.New
			default:
				return nil, false
			}
		}
		var keyLen int
		var newCipher func([]byte) (cipher.Block, error)
		switch {
		case p.Scheme.Algorithm.Equal(oidAES128CBC):
			keyLen, newCipher = 16, aes.NewCipher
		case p.Scheme.Algorithm.Equal(oidAES192CBC):
			keyLen, newCipher = 24, aes.NewCipher
		case p.Scheme.Algorithm.Equal(oidAES256CBC):
			keyLen, newCipher = 32, aes.NewCipher
		case p.Scheme.Algorithm.Equal(oidDESEDE3CBC):
			keyLen, newCipher = 24, des.NewTripleDESCipher
		default:
			return nil, false
		}
		if _, err := asn1.Unmarshal(p.Scheme.Parameters.FullBytes, &iv); err != nil {
			return nil, false
		}
		// PBES2 takes the password's own UTF-8 bytes, as OpenSSL writes it.
		key, err := pbkdf2.Key(prf, password, kp.Salt, kp.Iterations, keyLen)
		if err != nil {
			return nil, false
		}
		if block, err = newCipher(key); err != nil {
			return nil, false
		}
	default:
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
