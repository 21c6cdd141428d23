package export

import "encoding/base64"

func base64Decode(b []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(string(stripSpace(b)))
}

func base64Encode(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func stripSpace(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c != '\r' && c != '\n' && c != ' ' {
			out = append(out, c)
		}
	}
	return out
}
